"""Outcome measures of a project: the milestones they are due at, and recording one.

Milestones count from the end of the accompaniment (`Project.exit_date`): a measure at
exit, then 6 months, 1 year and 3 years after. Entry and free measures have no due date.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.models import EmploymentSituation, MeasureKind, Project, ProjectMeasure

# Months after the exit at which each follow-up measure falls due.
MILESTONE_MONTHS = {
    MeasureKind.AT_EXIT: 0,
    MeasureKind.SIX_MONTHS: 6,
    MeasureKind.ONE_YEAR: 12,
    MeasureKind.THREE_YEARS: 36,
}
# The follow-up campaign's milestones (the exit measure is taken at the exit meeting).
FOLLOW_UP_KINDS = (MeasureKind.SIX_MONTHS, MeasureKind.ONE_YEAR, MeasureKind.THREE_YEARS)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` calendar months (31 January + 1 month = 28/29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def milestone_due(project, kind) -> datetime.date | None:
    """When the `kind` measure of `project` falls due, or None (no exit yet, or a kind
    without a due date)."""
    if project.exit_date is None or kind not in MILESTONE_MONTHS:
        return None
    return add_months(project.exit_date, MILESTONE_MONTHS[kind])


MEASURE_FIELDS = (
    "jobs_permanent",
    "jobs_fixed_term",
    "jobs_subsidised",
    "jobs_volunteer",
    "fte",
    "turnover",
    "funds_grant",
    "funds_honour_loan",
    "funds_bank_loan",
    "funds_guarantee",
    "funds_equity",
    "funds_crowdfunding",
    "funds_sponsorship",
    "legal_status",
    "siret",
    "still_active",
)


def measure_record(
    *, project: Project, by, kind: str, measured_on: datetime.date, **figures
) -> ProjectMeasure:
    """Record a measure of `project` at a milestone. A figure left out (or None) stays
    unknown. One measure per project and date: another on the same day is refused."""
    permissions.require(permissions.can_record_measure(by, project))
    unknown = set(figures) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    measure = ProjectMeasure(
        project=project,
        kind=kind,
        measured_on=measured_on,
        recorded_by=by,
        recorded_at=timezone.now(),
        **{name: value for name, value in figures.items() if value not in (None, "")},
    )
    if ProjectMeasure.objects.filter(project=project, measured_on=measured_on).exists():
        raise ValidationError(
            {"measured_on": _("Une mesure de ce projet existe déjà à cette date.")}
        )
    measure.full_clean()
    try:
        with transaction.atomic():
            measure.save()
    except IntegrityError as error:  # the same measure saved meanwhile
        raise ValidationError(
            {"measured_on": _("Une mesure de ce projet existe déjà à cette date.")}
        ) from error
    return measure


def project_measures(project):
    """The measures of `project`, newest first, with who entered them (1 query)."""
    return project.measures.select_related("recorded_by").order_by("-measured_on", "-pk")


def project_set_situation_6_months(*, project: Project, situation: str, by) -> Project:
    """Record the participant's labour-market situation six months after exit (the ESF+
    longer-term result, asked with the +6 months measure); "" leaves it unknown."""
    permissions.require(permissions.can_record_measure(by, project))
    if situation not in ("", *EmploymentSituation.values):
        raise ValidationError({"situation_6_months_after_exit": _("Situation inconnue.")})
    if project.situation_6_months_after_exit != situation:
        project.situation_6_months_after_exit = situation
        project._history_user = by
        project.save(update_fields=["situation_6_months_after_exit", "updated_at"])
    return project
