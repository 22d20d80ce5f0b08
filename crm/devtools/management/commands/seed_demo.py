"""Load the demo data set: about 60 projects over the 16 communes, and one user per role."""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from contacts.models import Organisation, OrganisationLabel, Person, PersonOrganisation
from crm.core import stored_text
from crm.core.roles import Role
from crm.core.stored_text import app_text
from crm.devtools import demo
from crm.devtools.demo_calls import load_calls_demo
from crm.devtools.demo_followups import load_demo as load_followups_demo
from crm.devtools.demo_portal import PASSWORD as PORTAL_PASSWORD
from crm.devtools.demo_portal import load_portal_demo
from crm.devtools.scale.bulk import analyze
from crm.devtools.scale.followups import seed_scale_followups
from crm.devtools.scale.projects import seed_scale
from crm.models import (
    Commune,
    EsfParticipant,
    Project,
    ProjectMeasure,
    ProjectMember,
    Theme,
    User,
)
from crm.projects.reference import load_reference_data
from crm.projects.services import project_create, project_move

# username, first name, last name, role (None: the administrator), password
DEMO_USERS = [
    ("officer", "Camille", "Lefort", Role.OFFICER),
    ("coach", "Julien", "Morel", Role.COACH),
    ("coach2", "Aïssata", "Diop", Role.COACH),
    ("manager", "Hélène", "Garnier", Role.MANAGER),
    ("admin", "Alex", "Admin", None),
]


def demo_password(username: str) -> str:
    return f"ess-demo-{username}"


class Command(BaseCommand):
    help = (
        "Load a believable demo data set (projects, people, organisations, stage histories) "
        "and one user per role. Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Hold SCALE × 60 projects: the believable demo, then bulk-generated projects "
            "over ten years for benchmarks (for example 1000 ≈ 60,000 projects).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts have published passwords).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts whose passwords are published: run it on a "
                "development or demo database (DEBUG=1), or pass --force."
            )
        if options["scale"] < 1:
            raise CommandError("--scale must be 1 or more.")
        with transaction.atomic():
            load_reference_data()
            users, new_users = self._users()
            created = self._projects(users)
            load_followups_demo(users)
            load_calls_demo(officer=users["officer"], today=timezone.localdate())
            entrepreneur = load_portal_demo(users)
        if options["scale"] > 1:
            created += seed_scale(scale=options["scale"], users=users, log=self.stdout.write)
            followups = seed_scale_followups(users=users, log=self.stdout.write)
            if followups:
                self.stdout.write(
                    "Follow-ups added: "
                    + ", ".join(f"{count} {name}" for name, count in followups.items())
                )
            analyze()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {created} project(s) and {new_users} user(s) created, "
                f"{Project.objects.count()} project(s) in the database."
            )
        )
        self.stdout.write("Demo logins (username / password):")
        for username, _first, _last, role in DEMO_USERS:
            label = role.label if role else "administrateur·rice"
            self.stdout.write(f"  {username:<8} / {demo_password(username):<18} ({label})")
        if entrepreneur:
            self.stdout.write(
                f"  {entrepreneur} / {PORTAL_PASSWORD} "
                "(porteur·se de projet invité·e : son espace /espace/)"
            )

    def _users(self):
        provider, _ = Organisation.objects.get_or_create(
            name=demo.PROVIDER_NAME,
            defaults={"kind": "provider", "legal_form": "scic", "email": "contact@exemple.fr"},
        )
        for name, kind, legal_form in demo.PARTNERS:
            Organisation.objects.get_or_create(
                name=name, defaults={"kind": kind, "legal_form": legal_form}
            )
        groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
        users, created_count = {}, 0
        for username, first, last, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@exemple.fr",
                    "is_staff": role is None,
                    "is_superuser": role is None,
                    "organisation": provider if role == Role.COACH else None,
                },
            )
            if created:
                created_count += 1
                user.set_password(demo_password(username))
                user.save(update_fields=["password"])
                if role:
                    user.groups.add(groups[role])
            users[username] = user
        return users, created_count

    def _projects(self, users) -> int:
        communes = {c.name: c for c in Commune.objects.filter(in_territory=True)}
        themes = {t.code: t for t in Theme.objects.all()}
        today = timezone.localdate()
        plans = demo.build_plan(communes=sorted(communes), today=today)
        existing = set(
            Project.objects.filter(name__in=[p.name for p in plans]).values_list("name", flat=True)
        )
        created = 0
        for plan in plans:
            if plan.name in existing:
                continue
            created += 1
            self._create_project(plan, users, communes, themes)
        return created

    def _person(self, plan: demo.PersonPlan, communes) -> Person:
        person = Person.objects.with_email(plan.email).first()
        if person:
            return person
        return Person.objects.create(
            first_name=plan.first_name,
            last_name=plan.last_name,
            email=plan.email,
            phone=plan.phone,
            gender=plan.gender,
            birth_year=plan.birth_year,
            commune=communes[plan.commune],
            lives_in_qpv=plan.lives_in_qpv,
            employment_situation_at_entry=plan.employment,
        )

    def _organisation(self, plan: demo.OrganisationPlan, communes) -> Organisation:
        organisation, created = Organisation.objects.get_or_create(
            name=plan.name,
            defaults={
                "legal_form": plan.legal_form,
                "siret": plan.siret,
                "commune": communes[plan.commune],
                "naf_code": plan.naf_code,
            },
        )
        if created and plan.esus_since:
            label = OrganisationLabel(
                organisation=organisation, kind="esus", obtained_on=plan.esus_since
            )
            label.clean()
            label.save()
        return organisation

    def _create_project(self, plan: demo.ProjectPlan, users, communes, themes) -> None:
        lead = self._person(plan.lead, communes)
        organisation = (
            self._organisation(plan.organisation, communes) if plan.organisation else None
        )
        officer = users["officer"]

        def at(day: datetime.date, hour: int) -> datetime.datetime:
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + hour % 9)))

        first_day, first_stage, first_status, _reason, _note = plan.moves[0]
        project = project_create(
            by=officer,
            name=plan.name,
            lead=lead,
            at=at(first_day, 0),
            note=app_text(stored_text.REGISTRATION_RECEIVED),
            summary=plan.summary,
            sector=plan.sector,
            social_impact=plan.social_impact,
            environmental_impact=plan.environmental_impact,
            stage=first_stage,
            status=first_status,
            organisation=organisation,
            commune=communes[plan.commune],
            in_qpv=plan.in_qpv,
            source=plan.source,
            officer=users[plan.officer] if plan.officer else None,
            coach=users[plan.coach] if plan.coach else None,
            hours_allocated=plan.hours_allocated,
            entry_date=plan.entry_date,
        )
        project.themes.set([themes[code] for code in plan.themes])
        if plan.partner:
            ProjectMember.objects.create(
                project=project, person=self._person(plan.partner, communes)
            )
        if organisation:
            PersonOrganisation.objects.get_or_create(
                person=lead, organisation=organisation, role="founder"
            )
        for index, (day, stage, status, reason, note) in enumerate(plan.moves[1:], start=1):
            mover = (
                users[plan.coach] if plan.coach and status == "active" and index > 1 else officer
            )
            project_move(
                project=project,
                by=mover,
                stage=stage,
                status=status,
                exit_reason=reason,
                note=note,
                at=at(day, index),
            )
        ProjectMeasure.objects.bulk_create(
            ProjectMeasure(project=project, **measure) for measure in plan.measures
        )
        if plan.esf_funded or plan.situation_at_exit:
            Project.objects.filter(pk=project.pk).update(
                esf_funded=plan.esf_funded,
                situation_at_exit=plan.situation_at_exit,
                situation_6_months_after_exit=plan.situation_6_months,
            )
        if plan.esf:
            EsfParticipant.objects.create(project=project, updated_by=officer, **plan.esf)
