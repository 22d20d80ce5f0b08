"""Event workflows: register people and record their attendance, consume workshop units."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core import permissions
from followups.models import Attendance, AttendanceStatus, Consumption, Event, EventKind, UnitKind


@transaction.atomic
def attendance_record(
    *, event: Event, person, by, status: str = AttendanceStatus.REGISTERED, project=None
) -> Attendance:
    """Register a person at an event or record their attendance (officers only)."""
    permissions.require(permissions.can_run_programme(by))
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
def attendance_self_register(*, event: Event, person, project=None) -> Attendance | None:
    """A person registering themselves (from the entrepreneur space; the caller checked
    the event is open to them): the event's row is locked so that two last-minute
    registrations cannot both take the last place. Returns None when the event is full,
    the existing registration when there is one."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    attendance = Attendance.objects.filter(event=event, person=person).first()
    if attendance is not None:
        return attendance
    if event.capacity and event.attendances.count() >= event.capacity:
        return None
    attendance = Attendance(event=event, person=person, project=project)
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def event_consume(*, event: Event, by) -> Consumption | None:
    """A workshop tied to an order consumes half-days (4 hours each, rounded up)."""
    permissions.require(permissions.can_run_programme(by))
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


# What a registration says about the person, strongest first: when two duplicate records of
# one person were both registered at an event, the merged registration keeps the strongest.
ATTENDANCE_STRENGTH = (
    AttendanceStatus.ATTENDED,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
    AttendanceStatus.REGISTERED,
)


def attendance_combine(kept: Attendance, dropped: Attendance) -> list[str]:
    """Fold the dropped duplicate's registration at the same event into the kept one (a
    person merge's clash rule, registered in FollowupsConfig.ready): present on either
    record means present; the project is kept, or taken from the dropped one."""
    changed = []
    if ATTENDANCE_STRENGTH.index(dropped.status) < ATTENDANCE_STRENGTH.index(kept.status):
        kept.status = dropped.status
        changed.append("status")
    if kept.project_id is None and dropped.project_id is not None:
        kept.project_id = dropped.project_id
        changed.append("project")
    return changed
