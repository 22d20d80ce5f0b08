"""The follow-up campaign: the +6 months, +1 year and +3 years measures after a project's
exit (crm.projects.measures.MILESTONE_MONTHS). Each milestone pending is a task ("Mesure à
+1 an") on its owner's "Mon travail", created by `campaign_run` (manage.py
measure_campaign, daily) and closed once the measure is recorded, whichever page records it.

A milestone is *pending* from its due day until the next milestone falls due (the +3 years
one for a year), unless a measure of that kind exists: a project has at most one pending
milestone at a time. It is *late* when its due day is more than LATE_AFTER_DAYS past.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from crm.core import permissions
from crm.models import MeasureKind, Project, ProjectMeasure
from crm.projects.measures import (
    MILESTONE_MONTHS,
    add_months,
    measure_record,
    milestone_due,
    project_set_situation_6_months,
)
from followups.models import Action
from followups.services import action_complete, action_create

logger = logging.getLogger(__name__)

# Months after the exit at which each campaign milestone stops being pending.
PENDING_UNTIL_MONTHS = {
    MeasureKind.SIX_MONTHS: 12,
    MeasureKind.ONE_YEAR: 36,
    MeasureKind.THREE_YEARS: 48,
}
CAMPAIGN_KINDS = tuple(PENDING_UNTIL_MONTHS)
LATE_AFTER_DAYS = 30
# The task is due this many days after the milestone: time to reach the entrepreneur.
TASK_DAYS = 30

TASK_TITLES = {
    MeasureKind.SIX_MONTHS: gettext_lazy("Mesure à +6 mois"),
    MeasureKind.ONE_YEAR: gettext_lazy("Mesure à +1 an"),
    MeasureKind.THREE_YEARS: gettext_lazy("Mesure à +3 ans"),
}


def _window(kind, today: datetime.date) -> Q:
    """Exit dates for which `kind` is due on `today` and the next milestone is not."""
    return Q(
        exit_date__lte=add_months(today, -MILESTONE_MONTHS[kind]),
        exit_date__gt=add_months(today, -PENDING_UNTIL_MONTHS[kind]),
    )


def _late(kind, today: datetime.date) -> Q:
    last_on_time = today - datetime.timedelta(days=LATE_AFTER_DAYS)
    return Q(milestone=kind, exit_date__lt=add_months(last_on_time, -MILESTONE_MONTHS[kind]))


def pending_projects(projects, today: datetime.date | None = None):
    """`projects` (a scoped queryset) with a pending campaign milestone, annotated with
    `milestone` (its MeasureKind) and `late` (bool). One query when evaluated."""
    today = today or timezone.localdate()
    milestone = Case(
        *[When(_window(kind, today), then=Value(kind.value)) for kind in CAMPAIGN_KINDS],
        default=Value(""),
        output_field=CharField(),
    )
    measured = ProjectMeasure.objects.filter(project=OuterRef("pk"), kind=OuterRef("milestone"))
    late = Q()
    for kind in CAMPAIGN_KINDS:
        late |= _late(kind, today)
    return (
        projects.current()
        .filter(exit_date__isnull=False)
        .annotate(milestone=milestone)
        .exclude(milestone="")
        .exclude(Exists(measured))
        .annotate(late=Case(When(late, then=Value(True)), default=Value(False)))
    )


def task_owner(project):
    """Who collects the measure: the project's coach, else its officer (None: nobody)."""
    return project.coach or project.officer


def campaign_run(today: datetime.date | None = None) -> dict:
    """Create the task of every pending milestone that has none (one per project and
    milestone, ever: a run twice a day, or again after a task was done, adds nothing), and
    mark done the open campaign tasks whose measure was recorded meanwhile. Returns the
    counts: created, closed, without_owner."""
    today = today or timezone.localdate()
    counts = {"created": 0, "closed": 0, "without_owner": 0}
    pending = (
        pending_projects(Project.objects.all(), today)
        .exclude(
            Exists(
                Action.objects.filter(project=OuterRef("pk"), measure_kind=OuterRef("milestone"))
            )
        )
        .select_related("coach", "officer")
        .order_by("pk")
    )
    for project in pending.iterator(chunk_size=500):
        owner = task_owner(project)
        if owner is None or not owner.is_active:
            counts["without_owner"] += 1
            continue
        due = milestone_due(project, project.milestone)
        try:
            with transaction.atomic():
                action_create(
                    project=project,
                    title=str(TASK_TITLES[project.milestone]),
                    owner=owner,
                    due_on=max(due + datetime.timedelta(days=TASK_DAYS), today),
                    by=owner,
                    measure_kind=project.milestone,
                )
        except IntegrityError:  # another run created it meanwhile
            continue
        except (ValidationError, PermissionDenied) as error:
            logger.warning("campaign task for project %s not created: %s", project.pk, error)
            counts["without_owner"] += 1
            continue
        counts["created"] += 1
    measured = ProjectMeasure.objects.filter(
        project=OuterRef("project"), kind=OuterRef("measure_kind")
    )
    to_close = (
        Action.objects.open()
        .exclude(measure_kind="")
        .filter(Exists(measured))
        .select_related("project", "owner")
    )
    for action in to_close.iterator(chunk_size=500):
        close_task(action, action.owner)
        counts["closed"] += 1
    return counts


def close_task(action: Action, by) -> None:
    """Mark a campaign task done, as `by` (or its owner when `by` may not)."""
    who = by if permissions.can_complete_action(by, action) else action.owner
    action_complete(action=action, by=who)


def close_tasks_for(project, kind, by) -> int:
    """Mark done the open campaign task of `project` for milestone `kind` (after its
    measure was recorded). Returns how many were closed (0 or 1)."""
    closed = 0
    for action in Action.objects.open().filter(project=project, measure_kind=kind):
        close_task(action, by)
        closed += 1
    return closed


def campaign_record(
    *,
    project,
    kind: str,
    by,
    measured_on: datetime.date,
    figures: dict,
    situation_6_months: str | None = None,
):
    """Record the campaign measure `kind` of `project`, the participant's situation six
    months after exit when given (the ESF+ result indicator), and close its task, in one
    transaction."""
    with transaction.atomic():
        measure = measure_record(
            project=project, by=by, kind=kind, measured_on=measured_on, **figures
        )
        if situation_6_months is not None and kind == MeasureKind.SIX_MONTHS:
            project_set_situation_6_months(project=project, situation=situation_6_months, by=by)
        close_tasks_for(project, kind, by)
    return measure
