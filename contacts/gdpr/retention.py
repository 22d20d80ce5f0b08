"""Retention: which people fall due for anonymisation, under which rule, and when.

Three rules (periods in settings, the reasons beside them):
- beneficiary: an accompanied project (or a call winner) — RETENTION_BENEFICIARY_DAYS after
  the latest exit; never while a project is still accompanied or on hold;
- rejected: never accompanied, every application decided "not retained" and no contact
  since — RETENTION_REJECTED_APPLICATION_DAYS after the latest decision (appeal period);
- prospect: anybody else never accompanied — RETENTION_PROSPECT_DAYS after the last contact
  (registration, meeting of their project, workshop attended, record created).
An officer's extension pushes the date back; a legal hold or a pending application keeps
the person out. The due date is compared in the database against the horizon moved back by
each rule's period, so the list is one filtered, paginated query.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from contacts.models import LegalHold, Person, RetentionExtension, RetentionRule
from crm.models import Application, ProjectMember, StageChange, Status
from crm.models.intake import CommitteeDecision

ACCOMPANIED = (Status.ACTIVE, Status.ON_HOLD, Status.COMPLETED)
ONGOING = (Status.ACTIVE, Status.ON_HOLD)


def period_days(rule: str) -> int:
    return {
        RetentionRule.PROSPECT: settings.RETENTION_PROSPECT_DAYS,
        RetentionRule.REJECTED: settings.RETENTION_REJECTED_APPLICATION_DAYS,
        RetentionRule.BENEFICIARY: settings.RETENTION_BENEFICIARY_DAYS,
    }[rule]


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def with_retention(people):
    """Annotate `rule`, `reference` (the date the period runs from), `extended_until`,
    `held` and `pending` on a Person queryset (subqueries and one GROUP BY)."""
    person = OuterRef("pk")
    applications = Application.objects.filter(project__members__person=person)
    last_rejection = (
        applications.filter(decision=CommitteeDecision.REJECTED, decided_at__isnull=False)
        .order_by("-decided_at")
        .values("decided_at")[:1]
    )
    created = F("created_at")
    last_contact = Greatest(
        created,
        Coalesce(Max("registrations__submitted_at"), created),
        Coalesce(Max("project_memberships__project__last_meeting_at"), created),
        Coalesce(Max("attendances__event__start"), created),
        output_field=DateTimeField(),
    )
    accompanied = (
        Exists(
            StageChange.objects.filter(project__members__person=person, to_status__in=ACCOMPANIED)
        )
        | Exists(ProjectMember.objects.filter(person=person, project__status__in=ACCOMPANIED))
        | Exists(applications.filter(decision=CommitteeDecision.WINNER))
    )
    return people.annotate(
        accompanied=accompanied,
        ongoing=Exists(ProjectMember.objects.filter(person=person, project__status__in=ONGOING)),
        pending=Exists(applications.filter(decision=CommitteeDecision.PENDING)),
        held=Exists(LegalHold.objects.active().filter(person=person))
        | Exists(LegalHold.objects.active().filter(project__members__person=person)),
        last_contact=last_contact,
        last_exit=Max("project_memberships__project__exit_date"),
        last_rejection=Subquery(last_rejection, output_field=DateTimeField()),
        extended_until=Subquery(
            RetentionExtension.objects.filter(person=person).order_by("-until").values("until")[:1],
            output_field=DateField(),
        ),
    ).annotate(
        rule=Case(
            When(accompanied=True, then=Value(RetentionRule.BENEFICIARY)),
            When(
                Q(last_rejection__isnull=False, last_contact__lte=F("last_rejection")),
                then=Value(RetentionRule.REJECTED),
            ),
            default=Value(RetentionRule.PROSPECT),
            output_field=CharField(),
        ),
        reference=Case(
            When(accompanied=True, then=Cast("last_exit", DateField())),
            When(
                Q(last_rejection__isnull=False, last_contact__lte=F("last_rejection")),
                then=Cast("last_rejection", DateField()),
            ),
            default=Cast("last_contact", DateField()),
            output_field=DateField(),
        ),
    )


def due_by(horizon: datetime.date, people=None):
    """People whose data falls due on or before `horizon`, oldest first by rule."""
    people = Person.objects.all() if people is None else people
    days = {rule: period_days(rule) for rule in RetentionRule.values}
    falls_due = (
        (
            Q(rule=RetentionRule.BENEFICIARY, ongoing=False, last_exit__isnull=False)
            & Q(last_exit__lte=horizon - datetime.timedelta(days=days[RetentionRule.BENEFICIARY]))
        )
        | Q(
            rule=RetentionRule.REJECTED,
            last_rejection__lte=_end_of(
                horizon - datetime.timedelta(days=days[RetentionRule.REJECTED])
            ),
        )
        | Q(
            rule=RetentionRule.PROSPECT,
            last_contact__lte=_end_of(
                horizon - datetime.timedelta(days=days[RetentionRule.PROSPECT])
            ),
        )
    )
    return (
        with_retention(people.filter(erasure__isnull=True, merged_into__isnull=True))
        .filter(falls_due, held=False, pending=False)
        .filter(Q(extended_until__isnull=True) | Q(extended_until__lte=horizon))
        .order_by("reference", "pk")
    )


def due_on(person) -> datetime.date | None:
    """The day an annotated person falls due (their rule's period after the reference,
    or the extension if later)."""
    if person.reference is None:
        return None
    due = person.reference + datetime.timedelta(days=period_days(person.rule))
    if person.extended_until and person.extended_until > due:
        return person.extended_until
    return due


@dataclass
class Extended:
    extension: RetentionExtension


def retention_extend(*, person, until: datetime.date, reason: str, by) -> RetentionExtension:
    """Keep a person's data until `until`, for `reason` (recorded, shown on the page)."""
    from crm.core import permissions

    permissions.require(permissions.can_manage_retention(by))
    extension = RetentionExtension(person=person, until=until, reason=reason, by=by)
    extension.full_clean()
    extension.save()
    return extension
