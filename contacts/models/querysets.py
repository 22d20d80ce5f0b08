"""Querysets of people and organisations: archived or current, and what a user may see."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from contacts.models.memberships import PersonOrganisation
from crm.core import roles
from crm.models import Project, ProjectMember


class ArchivableQuerySet(models.QuerySet):
    def current(self):
        """Records not archived: what default lists show."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class OrganisationQuerySet(ArchivableQuerySet):
    def named(self, name: str):
        """Organisations with this name ignoring case, through the lower(name) index."""
        return self.alias(name_lower=Lower("name")).filter(
            name_lower=" ".join((name or "").split()).lower()
        )

    def visible_to(self, user):
        """Officers and managers see every organisation; a coach those of their projects."""
        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            # IN (subquery) rather than joins + DISTINCT: an OR across two multi-valued joins
            # multiplies rows (minutes at 6,000 projects); PostgreSQL runs these as hashed
            # semi-joins, where a correlated EXISTS … LIMIT 1 would run once per row.
            people = ProjectMember.objects.filter(project__coach=user).values("person")
            return self.filter(
                Q(pk__in=Project.objects.filter(coach=user).values("organisation"))
                | Q(
                    pk__in=PersonOrganisation.objects.filter(person__in=people).values(
                        "organisation"
                    )
                )
            )
        return self.none()


class PersonQuerySet(ArchivableQuerySet):
    def with_email(self, email: str):
        """People with this email, ignoring case, through the unique index on lower(email)
        (the `email <> ''` term lets the database use that partial index)."""
        return (
            self.exclude(email="")
            .alias(email_lower=Lower("email"))
            .filter(email_lower=(email or "").strip().lower())
        )

    def visible_to(self, user):
        """Officers and managers see everyone; a coach the entrepreneurs of their projects."""
        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            return self.filter(
                pk__in=ProjectMember.objects.filter(project__coach=user).values("person")
            )
        return self.none()
