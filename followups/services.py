"""Follow-up workflows: log a meeting with its next steps, complete an action, record
attendance, consume and certify the provider's units. Views, commands and tests call these."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import roles
from crm.models import Project
from followups.models import (
    Action,
    Attendance,
    AttendanceStatus,
    Consumption,
    Contract,
    Event,
    EventKind,
    Meeting,
    MeetingFormat,
    MeetingNote,
    PurchaseOrder,
    ServiceCertification,
    TimeKind,
    UnitKind,
)
from followups.selectors import hours_used, order_statement
from followups.templatetags.followups import hours as hours_filter

# Warn when the hours used reach this share of the allocation.
HOURS_WARNING_RATIO = Decimal("0.8")


@dataclass
class NextStep:
    title: str
    owner: object
    due_on: datetime.date


@dataclass
class MeetingResult:
    meeting: Meeting
    actions: list[Action] = field(default_factory=list)
    warning: str = ""


def can_log_meeting(user, project: Project) -> bool:
    """Officers on any project, a coach on their own projects; managers never."""
    if roles.is_officer(user):
        return True
    return roles.is_coach(user) and project.coach_id == user.pk


def _check_can_log(user, project: Project) -> None:
    if not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        raise Http404
    if not can_log_meeting(user, project):
        raise PermissionDenied


def allocation_warning(project: Project, *, extra_minutes: int = 0, exclude=None) -> str:
    """A French warning when the project's individual hours exceed or near the allocation."""
    allocated = project.hours_allocated or Decimal(0)
    used = hours_used(project, exclude=exclude) + Decimal(extra_minutes) / 60
    if allocated <= 0:
        return ""
    if used > allocated:
        return _(
            "Attention : %(used)s h utilisées pour %(allocated)s h allouées, "
            "l'allocation du projet est dépassée."
        ) % {"used": _hours(used), "allocated": _hours(allocated)}
    if used >= allocated * HOURS_WARNING_RATIO:
        return _(
            "Attention : %(used)s h utilisées sur %(allocated)s h allouées, "
            "l'allocation du projet est presque épuisée."
        ) % {"used": _hours(used), "allocated": _hours(allocated)}
    return ""


def _hours(value: Decimal) -> str:
    """12.50 -> "12,5"; 11.00 -> "11"."""
    return hours_filter(value).removesuffix("\u00a0h")


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


@transaction.atomic
def meeting_log(
    *,
    project: Project,
    by,
    start: datetime.datetime,
    duration_minutes: int,
    format: str = MeetingFormat.INDIVIDUAL,
    mode: str = "in_person",
    place: str = "",
    summary: str = "",
    decisions: str = "",
    led_by=None,
    time_kind: str = TimeKind.INDIVIDUAL,
    cohort=None,
    order: PurchaseOrder | None = None,
    themes=(),
    participants=(),
    staff=(),
    notes: list[tuple[str, str]] = (),
    next_steps: list[NextStep] = (),
    meeting: Meeting | None = None,
) -> MeetingResult:
    """Create (or update, when `meeting` is given) a meeting, its notes and next steps.

    A coach logs only on their own projects (Http404 otherwise), a manager never
    (PermissionDenied). Returns the warning to show when the allocation is near or over."""
    _check_can_log(by, project)
    if not duration_minutes or duration_minutes <= 0:
        raise ValidationError({"duration_minutes": _("La durée doit être d'au moins une minute.")})
    if meeting is None:
        meeting = Meeting(project=project)
    elif meeting.project_id != project.pk:
        raise Http404
    meeting.start = start
    meeting.duration_minutes = duration_minutes
    meeting.format = format
    meeting.mode = mode
    meeting.place = place
    meeting.summary = summary
    meeting.decisions = decisions
    meeting.led_by = led_by or by
    meeting.time_kind = time_kind
    meeting.cohort = cohort
    meeting.order = order
    if time_kind == TimeKind.COLLECTIVE and cohort is None:
        raise ValidationError({"cohort": _("Choisissez la promotion du temps collectif.")})
    _check_links(
        project=project, by=by, start=start, cohort=cohort, order=order, participants=participants
    )
    warning = ""
    if time_kind == TimeKind.INDIVIDUAL:
        warning = allocation_warning(
            project, extra_minutes=duration_minutes, exclude=meeting.pk or None
        )
    meeting.full_clean()
    meeting.save()
    meeting.themes.set(themes)
    meeting.participants.set(participants)
    meeting.staff.set(staff)
    for visibility, text in notes:
        if text.strip():
            if visibility == "internal" and not roles.is_officer(by):
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
        actions.append(action)
    _consume_for_meeting(meeting)
    return MeetingResult(meeting=meeting, actions=actions, warning=warning)


def action_complete(*, action: Action, by, on: datetime.date | None = None) -> Action:
    """Mark an action done (its owner, an officer, or the project's coach)."""
    allowed = (
        action.owner_id == by.pk
        or roles.is_officer(by)
        or (roles.is_coach(by) and action.project.coach_id == by.pk)
    )
    if not allowed:
        # The caller fetched the action through visible_to: whoever gets here may read it.
        raise PermissionDenied
    if action.done_on is None:
        action.done_on = max(on or timezone.localdate(), action.created_on)
        action.full_clean()
        action.save(update_fields=["done_on"])
    return action


@transaction.atomic
def attendance_record(
    *, event: Event, person, by, status: str = AttendanceStatus.REGISTERED, project=None
) -> Attendance:
    """Register a person at an event or record their attendance (officers only)."""
    if not roles.is_officer(by):
        raise PermissionDenied
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Présence inconnue : %(value)s") % {"value": status}})
    attendance = Attendance.objects.filter(event=event, person=person).first()
    if attendance is None:
        registered = event.attendances.count()
        if event.capacity and registered >= event.capacity:
            raise ValidationError({"person": _("L'atelier est complet.")})
        attendance = Attendance(event=event, person=person)
    attendance.status = status
    if project is not None:
        attendance.project = project
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def event_consume(*, event: Event, by) -> Consumption | None:
    """A workshop tied to an order consumes half-days (4 hours each, rounded up)."""
    if not roles.is_officer(by):
        raise PermissionDenied
    Consumption.objects.filter(event=event).delete()
    if event.order_id is None or event.kind != EventKind.WORKSHOP:
        return None
    half_days = max(1, -(-int((event.end - event.start).total_seconds()) // (4 * 3600)))
    return Consumption.objects.create(
        order=event.order,
        unit=UnitKind.WORKSHOP_HALF_DAY,
        quantity=Decimal(half_days),
        on=timezone.localdate(event.start),
        event=event,
        label=event.title,
    )


@transaction.atomic
def service_certify(*, order: PurchaseOrder, month: datetime.date, by) -> ServiceCertification:
    """An officer certifies the service done on `order` for `month` (once)."""
    if not roles.is_officer(by):
        raise PermissionDenied
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValidationError({"month": _("On ne certifie pas un mois à venir.")})
    if ServiceCertification.objects.filter(order=order, month=month).exists():
        raise ValidationError({"month": _("Le service fait de ce mois est déjà certifié.")})
    statement = order_statement(order, month, user=by)
    certification = ServiceCertification(
        order=order, month=month, amount=statement["month_amount"], certified_by=by
    )
    certification.full_clean()
    certification.save()
    return certification
