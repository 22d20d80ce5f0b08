"""The project follow-up sheet (fiche de suivi): everything about one project that may be
handed to its entrepreneur, gathered once for both the PDF and the XLSX.

The sheet is meant to be sent to the entrepreneur: of the meeting notes it keeps only those
marked "shareable with the entrepreneur", whoever downloads it (officers included), and it
says so in its footer. Every read starts from a `visible_to(user)` queryset.

`gather()` runs a fixed number of queries whatever the number of meetings, actions or
stage changes (see its docstring)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Application, Project, ProjectMeasure, StageChange
from followups.models import Action, Meeting, MeetingNote, NoteVisibility, TimeKind
from followups.selectors import hours_level
from reports.eu_fund import ProjectSituation, project_situations

# The only note visibility the sheet ever shows.
SHEET_NOTE_VISIBILITY = NoteVisibility.ENTREPRENEUR

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
    "still_active",
)


@dataclass
class FollowUpSheet:
    project: Project
    generated_at: datetime.datetime
    themes: list
    members: list  # ProjectMember with person, lead first
    lead: object  # the lead Person, or None
    stage_changes: list  # StageChange, oldest first
    meetings: list  # Meeting with .sheet_notes (shareable notes) and participants
    actions: list  # Action, open first then done
    hours_used: Decimal
    hours_allocated: Decimal
    hours_collective: Decimal
    hours_level: str
    applications: list  # Application with call; empty if the user may not see calls
    sees_applications: bool
    measures: list  # ProjectMeasure, oldest first
    situations: list[ProjectSituation] = field(default_factory=list)

    @property
    def open_actions(self) -> list:
        return [action for action in self.actions if action.done_on is None]

    @property
    def done_actions(self) -> list:
        return [action for action in self.actions if action.done_on is not None]

    @property
    def amount_requested(self) -> Decimal:
        return sum((a.amount_requested for a in self.applications), Decimal(0))

    @property
    def amount_awarded(self) -> Decimal:
        return sum((a.amount_awarded for a in self.applications), Decimal(0))


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def gather(project: Project, user) -> FollowUpSheet:
    """Everything the sheet shows for `project` (already fetched through
    `get_project_for(user, pk)`, with commune, officer, coach and organisation).

    Queries, whatever the data size: themes 1, members 1, stage changes 1, meetings 1 +
    their participants 1 + their shareable notes 1, actions 1, applications 1 (none when
    the user may not see calls), measures 1: 9 at most."""
    from crm.core import roles

    themes = list(project.themes.all())
    members = list(
        project.members.select_related("person").order_by("-is_lead", "person__last_name", "pk")
    )
    lead = next((member.person for member in members if member.is_lead), None)
    stage_changes = list(
        StageChange.objects.visible_to(user)
        .filter(project=project)
        .select_related("by")
        .order_by("at", "pk")
    )
    notes = (
        MeetingNote.objects.visible_to(user)
        .filter(visibility=SHEET_NOTE_VISIBILITY)
        .order_by("created_at", "pk")
    )
    meetings = list(
        Meeting.objects.visible_to(user)
        .filter(project=project)
        .select_related("led_by", "cohort")
        .prefetch_related("participants", Prefetch("notes", queryset=notes, to_attr="sheet_notes"))
        .order_by("start", "pk")
    )
    actions = list(
        Action.objects.visible_to(user)
        .filter(project=project)
        .select_related("owner")
        .order_by("done_on", "due_on", "pk")
    )
    # Open actions first (done_on NULL sorts last on PostgreSQL, first on SQLite).
    actions.sort(key=lambda action: (action.done_on is not None, action.due_on, action.pk))
    individual = sum(m.duration_minutes for m in meetings if m.time_kind == TimeKind.INDIVIDUAL)
    collective = sum(m.duration_minutes for m in meetings if m.time_kind == TimeKind.COLLECTIVE)
    used = _hours(individual)
    allocated = project.hours_allocated or Decimal(0)
    sees_applications = roles.sees_everything(user)
    applications = (
        list(
            Application.objects.visible_to(user)
            .filter(project=project)
            .select_related("call")
            .order_by("call__year", "pk")
        )
        if sees_applications
        else []
    )
    measures = list(
        ProjectMeasure.objects.visible_to(user)
        .filter(project=project)
        .order_by("measured_on", "pk")
    )
    return FollowUpSheet(
        project=project,
        generated_at=timezone.localtime(),
        themes=themes,
        members=members,
        lead=lead,
        stage_changes=stage_changes,
        meetings=meetings,
        actions=actions,
        hours_used=used,
        hours_allocated=allocated,
        hours_collective=_hours(collective),
        hours_level=hours_level(used, allocated),
        applications=applications,
        sees_applications=sees_applications,
        measures=measures,
        situations=project_situations(project, lead),
    )


def measure_labels() -> list[tuple[str, str]]:
    """(field name, French label) of the indicators shown for each measure."""
    return [
        (name, str(ProjectMeasure._meta.get_field(name).verbose_name)) for name in MEASURE_FIELDS
    ]


def footer_text() -> str:
    return _(
        "Fiche destinée au·à la porteur·se de projet : seules les notes de rendez-vous "
        "marquées « partageable avec le·la porteur·se » y figurent ; les notes internes et "
        "les notes réservées au prestataire n'y figurent jamais."
    )
