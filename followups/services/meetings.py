"""Meeting workflows: log a meeting with its notes and next steps, delete one logged by
mistake, edit the notes afterwards (the steps' own life is in followups.services.actions)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.core.concurrency import save_if_unchanged, save_versioned
from crm.models import Project
from followups.models import (
    Action,
    ActionChange,
    ActionChangeKind,
    Consumption,
    Contract,
    Meeting,
    MeetingFormat,
    MeetingNote,
    NoteVisibility,
    PurchaseOrder,
    ServiceCertification,
    TimeKind,
    UnitKind,
)
from followups.services.allocation import allocation_warning, cohort_allocation_warning


@dataclass
class NextStep:
    title: str
    owner: object
    due_on: datetime.date


@dataclass(frozen=True)
class MeetingDetails:
    """What a meeting is: when, how long, how, about what, with whom. The meeting form
    builds it (`MeetingForm.details`), so do the meeting import and the demo data."""

    start: datetime.datetime
    duration_minutes: int
    format: str = MeetingFormat.INDIVIDUAL
    mode: str = "in_person"
    place: str = ""
    summary: str = ""
    decisions: str = ""
    led_by: object = None
    time_kind: str = TimeKind.INDIVIDUAL
    cohort: object = None
    order: PurchaseOrder | None = None
    themes: Sequence = ()
    participants: Sequence = ()
    staff: Sequence = ()


# The columns meeting_log writes on an update (the rest belongs to other workflows).
MEETING_FIELDS = [
    "start",
    "duration_minutes",
    "format",
    "mode",
    "place",
    "summary",
    "decisions",
    "led_by",
    "time_kind",
    "cohort",
    "order",
]


@dataclass
class MeetingResult:
    meeting: Meeting
    actions: list[Action] = field(default_factory=list)
    warning: str = ""


def _check_can_log(user, project: Project) -> None:
    if not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        raise Http404
    permissions.require(permissions.can_log_meeting(user, project))


def _consume_for_meeting(meeting: Meeting) -> None:
    """A meeting tied to a purchase order consumes a diagnostic or coaching hours."""
    Consumption.objects.filter(meeting=meeting).delete()
    if meeting.order_id is None or meeting.time_kind != TimeKind.INDIVIDUAL:
        return
    if meeting.format == MeetingFormat.DIAGNOSTIC:
        unit, quantity = UnitKind.DIAGNOSTIC, Decimal(1)
    else:
        unit, quantity = UnitKind.COACHING_HOUR, meeting.hours
    Consumption.objects.create(
        order=meeting.order,
        unit=unit,
        quantity=quantity,
        on=timezone.localdate(meeting.start),
        meeting=meeting,
        label=str(meeting.project),
    )


def _check_links(*, project, by, start, cohort, order, participants) -> None:
    """The cohort, order and people of a meeting must belong with its project and author
    (forms offer only those; this guards the other callers)."""
    if cohort is not None and not cohort.projects.filter(pk=project.pk).exists():
        raise ValidationError({"cohort": _("Ce projet ne fait pas partie de cette promotion.")})
    if order is not None:
        if not Contract.objects.visible_to(by).filter(pk=order.contract_id).exists():
            raise ValidationError({"order": _("Bon de commande inconnu.")})
        day = timezone.localdate(start)
        if not order.contract.start_date <= day <= order.contract.end_date:
            raise ValidationError({"order": _("Le marché de ce bon ne couvre pas cette date.")})
    people = {person.pk for person in participants}
    if people - set(project.people.values_list("pk", flat=True)):
        raise ValidationError(
            {"participants": _("Seul·es les porteur·ses du projet peuvent être indiqué·es.")}
        )


def refresh_last_meeting(project_ids) -> None:
    """Store on each project the start of its latest meeting, planned ones included (one
    UPDATE, whatever the number of projects). Every path that writes meetings calls it:
    `meeting_log`, the meeting import and the scaled demo seed."""
    latest = Meeting.objects.filter(project=OuterRef("pk")).order_by("-start").values("start")[:1]
    Project.objects.filter(pk__in=project_ids).update(last_meeting_at=Subquery(latest))


@transaction.atomic
def meeting_log(
    *,
    project: Project,
    by,
    details: MeetingDetails,
    notes: Sequence[tuple[str, str]] = (),
    next_steps: Sequence[NextStep] = (),
    meeting: Meeting | None = None,
    expected_version: int | None = None,
) -> MeetingResult:
    """Create (or update, when `meeting` is given) a meeting, its notes and next steps.

    A coach logs only on their own projects (Http404 otherwise), a manager never
    (PermissionDenied). Returns the warning to show when the allocation is near or over.
    An update claims the version the user loaded (`expected_version`, by default the one
    `meeting` was read with) and raises StaleObjectError, writing nothing, when somebody
    saved the meeting since."""
    _check_can_log(by, project)
    if not details.duration_minutes or details.duration_minutes <= 0:
        raise ValidationError({"duration_minutes": _("La durée doit être d'au moins une minute.")})
    if meeting is None:
        meeting = Meeting(project=project)
    elif meeting.project_id != project.pk:
        raise Http404
    meeting.start = details.start
    meeting.duration_minutes = details.duration_minutes
    meeting.format = details.format
    meeting.mode = details.mode
    meeting.place = details.place
    meeting.summary = details.summary
    meeting.decisions = details.decisions
    meeting.led_by = details.led_by or by
    meeting.time_kind = details.time_kind
    meeting.cohort = details.cohort
    meeting.order = details.order
    if details.time_kind == TimeKind.COLLECTIVE and details.cohort is None:
        raise ValidationError({"cohort": _("Choisissez la promotion du temps collectif.")})
    _check_links(
        project=project,
        by=by,
        start=details.start,
        cohort=details.cohort,
        order=details.order,
        participants=details.participants,
    )
    warning = ""
    if details.time_kind == TimeKind.INDIVIDUAL:
        warning = allocation_warning(
            project, extra_minutes=details.duration_minutes, exclude=meeting.pk or None
        )
    elif details.cohort is not None:
        warning = cohort_allocation_warning(
            details.cohort,
            extra_hours=Decimal(details.duration_minutes) / 60,
            exclude_meeting=meeting.pk or None,
        )
    meeting.full_clean()
    save_versioned(meeting, expected_version=expected_version, update_fields=MEETING_FIELDS)
    refresh_last_meeting([project.pk])
    meeting.themes.set(details.themes)
    meeting.participants.set(details.participants)
    meeting.staff.set(details.staff)
    for visibility, text in notes:
        if text.strip():
            if visibility == NoteVisibility.INTERNAL and not permissions.can_write_internal_notes(
                by
            ):
                raise ValidationError(
                    {"notes": _("Seul·es les chargé·es de mission écrivent des notes internes.")}
                )
            note = MeetingNote(meeting=meeting, text=text, visibility=visibility, author=by)
            note.full_clean()
            note.save()
    actions = []
    for step in next_steps:
        action = Action(
            title=step.title,
            project=project,
            owner=step.owner,
            due_on=step.due_on,
            meeting=meeting,
        )
        action.full_clean()
        action.save()
        ActionChange.objects.create(action=action, kind=ActionChangeKind.CREATED, by=by)
        actions.append(action)
    _consume_for_meeting(meeting)
    return MeetingResult(meeting=meeting, actions=actions, warning=warning)


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by) -> None:
    """Delete a meeting logged by mistake (its author within a day, officers at any time).

    The history keeps the deleted meeting and who deleted it; its notes and the hours it
    consumed go with it, its next steps stay (without their meeting); the project's latest
    meeting date is recomputed. Refused while documents are attached to it (they would be
    deleted with it) or while the month of the hours it consumed is certified."""
    if not Meeting.objects.visible_to(by).filter(pk=meeting.pk).exists():
        raise Http404
    permissions.require(permissions.can_delete_meeting(by, meeting, now=timezone.now()))
    if meeting.documents.exists():
        raise ValidationError(
            _("Des documents sont joints à ce rendez-vous : supprimez-les d'abord.")
        )
    consumption = Consumption.objects.filter(meeting=meeting).first()
    if (
        consumption is not None
        and ServiceCertification.objects.active()
        .filter(order_id=consumption.order_id, month=consumption.on.replace(day=1))
        .exists()
    ):
        raise ValidationError(
            _(
                "Le service fait de ce mois est certifié : "
                "ce rendez-vous ne peut plus être supprimé."
            )
        )
    project_id = meeting.project_id
    meeting._history_user = by  # simple-history: the deletion's author
    meeting.delete()
    refresh_last_meeting([project_id])


# Notes edited after the meeting


def _check_note_visibility(user, visibility: str) -> None:
    if visibility not in NoteVisibility.values:
        raise ValidationError({"visibility": _("Visibilité inconnue.")})
    if visibility == NoteVisibility.INTERNAL and not permissions.can_write_internal_notes(user):
        raise ValidationError(
            {"visibility": _("Seul·es les chargé·es de mission écrivent des notes internes.")}
        )


def note_add(*, meeting: Meeting, text: str, visibility: str, by) -> MeetingNote:
    _check_can_log(by, meeting.project)
    _check_note_visibility(by, visibility)
    if not text.strip():
        raise ValidationError({"text": _("La note est vide.")})
    note = MeetingNote(meeting=meeting, text=text, visibility=visibility, author=by)
    note.full_clean()
    note.save()
    return note


def note_update(
    *, note: MeetingNote, text: str, visibility: str, by, expected_version: int
) -> MeetingNote:
    """Change a note's text or visibility. Raises crm.core.concurrency.StaleObjectError when
    somebody saved it since `expected_version` was loaded."""
    if not MeetingNote.objects.visible_to(by).filter(pk=note.pk).exists():
        raise Http404
    permissions.require(permissions.can_edit_note(by, note))
    _check_note_visibility(by, visibility)
    if not text.strip():
        raise ValidationError({"text": _("La note est vide.")})
    note.text = text
    note.visibility = visibility
    note.full_clean(exclude=["version", "author"])
    return save_if_unchanged(
        note, expected_version=expected_version, update_fields=["text", "visibility"]
    )


def note_delete(*, note: MeetingNote, by) -> None:
    if not MeetingNote.objects.visible_to(by).filter(pk=note.pk).exists():
        raise Http404
    permissions.require(permissions.can_edit_note(by, note))
    note.delete()
