"""Follow-up workflows: log a meeting with its next steps, complete an action, record
attendance, consume and certify the provider's units. Views, commands and tests call these."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.models import Project
from followups.models import (
    Action,
    Attendance,
    AttendanceStatus,
    Cohort,
    Consumption,
    Contract,
    Event,
    EventKind,
    Meeting,
    MeetingFormat,
    MeetingNote,
    NoteVisibility,
    OrderLine,
    PurchaseOrder,
    ServiceCertification,
    TimeKind,
    UnitKind,
    UnitPrice,
)
from followups.selectors import cohort_hours_used, hours_used, order_statement
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


def _check_can_log(user, project: Project) -> None:
    if not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        raise Http404
    permissions.require(permissions.can_log_meeting(user, project))


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
    elif cohort is not None:
        warning = cohort_allocation_warning(
            cohort,
            extra_hours=Decimal(duration_minutes) / 60,
            exclude_meeting=meeting.pk or None,
        )
    meeting.full_clean()
    meeting.save()
    refresh_last_meeting([project.pk])
    meeting.themes.set(themes)
    meeting.participants.set(participants)
    meeting.staff.set(staff)
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
        actions.append(action)
    _consume_for_meeting(meeting)
    return MeetingResult(meeting=meeting, actions=actions, warning=warning)


def action_complete(*, action: Action, by, on: datetime.date | None = None) -> Action:
    """Mark an action done (its owner, an officer, or the project's coach)."""
    # The caller fetched the action through visible_to: whoever gets here may read it.
    permissions.require(permissions.can_complete_action(by, action))
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


@transaction.atomic
def service_certify(*, order: PurchaseOrder, month: datetime.date, by) -> ServiceCertification:
    """An officer certifies the service done on `order` for `month` (once)."""
    permissions.require(permissions.can_run_programme(by))
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


# Cohorts: the flat unit per cohort entrepreneur, collective hours


def _certified(order_id, day: datetime.date) -> bool:
    return ServiceCertification.objects.filter(order_id=order_id, month=day.replace(day=1)).exists()


@transaction.atomic
def cohort_consume(cohort: Cohort) -> dict:
    """Bring the cohort's flat units in line with its projects and purchase order.

    Each project of a cohort tied to an order consumes one "cohort entrepreneur" unit,
    dated the day it joined (or the cohort's start, if later). Idempotent: a second call
    changes nothing. A project that left (or an order that changed) loses its unit unless
    the month of that unit is already certified: what was certified stays on the ledger.
    Returns {"added": n, "removed": n, "kept": n} (kept: certified units left in place)."""
    today = timezone.localdate()
    members = set(cohort.projects.values_list("pk", flat=True))
    existing = list(Consumption.objects.filter(cohort=cohort).select_related("project"))
    added = removed = kept = 0
    have = set()
    for row in existing:
        wanted = row.project_id in members and row.order_id == cohort.order_id
        if wanted:
            have.add(row.project_id)
        elif _certified(row.order_id, row.on):
            kept += 1
            have.add(row.project_id)
        else:
            row.delete()
            removed += 1
    if cohort.order_id is not None:
        on = max(today, cohort.start_date)
        names = dict(Project.objects.filter(pk__in=members - have).values_list("pk", "name"))
        for project_id in sorted(members - have):
            Consumption.objects.create(
                order_id=cohort.order_id,
                unit=UnitKind.COHORT_ENTREPRENEUR,
                quantity=Decimal(1),
                on=on,
                cohort=cohort,
                project_id=project_id,
                label=f"{cohort.name} – {names[project_id]}",
            )
            added += 1
    return {"added": added, "removed": removed, "kept": kept}


def _check_cohort_order(cohort: Cohort, by) -> None:
    order = cohort.order
    if order is None:
        return
    if not Contract.objects.visible_to(by).filter(pk=order.contract_id).exists():
        raise ValidationError({"order": _("Bon de commande inconnu.")})
    if not UnitPrice.objects.filter(
        contract_id=order.contract_id, unit=UnitKind.COHORT_ENTREPRENEUR
    ).exists():
        raise ValidationError(
            {
                "order": _(
                    "Le marché de ce bon n'a pas de prix « entrepreneur·e en promotion "
                    "(forfait) » : ajoutez ce prix unitaire au marché d'abord."
                )
            }
        )


@transaction.atomic
def cohort_save(*, cohort: Cohort, projects, by) -> dict:
    """Create or update a cohort with its projects (officers only), then bring its flat
    units on the purchase order in line (see cohort_consume)."""
    permissions.require(permissions.can_run_programme(by))
    _check_cohort_order(cohort, by)
    cohort.full_clean()
    cohort.save()
    cohort.projects.set(projects)
    return cohort_consume(cohort)


@transaction.atomic
def cohort_project_add(*, cohort: Cohort, project: Project, by) -> dict:
    """A project joins a cohort (officers only): it consumes the cohort's flat unit."""
    permissions.require(permissions.can_run_programme(by))
    cohort.projects.add(project)
    return cohort_consume(cohort)


@transaction.atomic
def cohort_project_remove(*, cohort: Cohort, project: Project, by) -> dict:
    """A project leaves a cohort (officers only): its flat unit is given back unless the
    month it was consumed in is already certified."""
    permissions.require(permissions.can_run_programme(by))
    cohort.projects.remove(project)
    return cohort_consume(cohort)


def cohort_allocation_warning(
    cohort: Cohort, *, extra_hours: Decimal = Decimal(0), exclude_meeting=None, exclude_event=None
) -> str:
    """A French warning when the cohort's collective hours exceed or near its allocation."""
    allocated = cohort.hours_allocated or Decimal(0)
    if allocated <= 0:
        return ""
    used = (
        cohort_hours_used(cohort, exclude_meeting=exclude_meeting, exclude_event=exclude_event)
        + extra_hours
    )
    values = {"used": _hours(used), "allocated": _hours(allocated), "cohort": cohort.name}
    if used > allocated:
        return (
            _(
                "Attention : %(used)s h de temps collectif utilisées pour %(allocated)s h "
                "allouées, l'allocation de la promotion %(cohort)s est dépassée."
            )
            % values
        )
    if used >= allocated * HOURS_WARNING_RATIO:
        return (
            _(
                "Attention : %(used)s h de temps collectif utilisées sur %(allocated)s h "
                "allouées, l'allocation de la promotion %(cohort)s est presque épuisée."
            )
            % values
        )
    return ""


# Contracts, unit prices, purchase orders


def _price_of(prices: dict, unit: str) -> Decimal:
    return prices.get(unit, Decimal(0))


def _ordered_amount(contract: Contract, *, prices: dict, replace_order=None, lines=None):
    """The amount ordered on `contract`'s purchase orders at `prices`, with `replace_order`'s
    lines replaced by `lines` ({unit: quantity}) when given (1 query)."""
    total = Decimal(0)
    rows = OrderLine.objects.filter(order__contract=contract)
    if replace_order is not None and replace_order.pk:
        rows = rows.exclude(order=replace_order)
    for unit, quantity in rows.values_list("unit", "quantity"):
        total += quantity * _price_of(prices, unit)
    for unit, quantity in (lines or {}).items():
        total += quantity * _price_of(prices, unit)
    return total.quantize(Decimal("0.01"))


def _euros(value: Decimal) -> str:
    from followups.templatetags.followups import euros

    return euros(value)


@transaction.atomic
def contract_save(*, contract: Contract, prices: dict, by) -> Contract:
    """Create or update a contract and its unit prices ({unit: price}) (officers only).

    The purchase orders already issued must still fit under the maximum at the new prices,
    and a unit ordered on one of them keeps a price."""
    permissions.require(permissions.can_run_programme(by))
    errors = {}
    for unit, price in prices.items():
        if unit not in UnitKind.values:
            errors.setdefault("prices", []).append(_("Unité d'œuvre inconnue : %s") % unit)
        elif price is None or price <= 0:
            errors.setdefault("prices", []).append(
                _("Le prix « %(unit)s » doit être positif.") % {"unit": UnitKind(unit).label}
            )
    if errors:
        raise ValidationError(errors)
    contract.full_clean()
    if contract.pk:
        ordered_units = set(
            OrderLine.objects.filter(order__contract=contract).values_list("unit", flat=True)
        )
        missing = sorted(ordered_units - set(prices))
        if missing:
            raise ValidationError(
                {
                    "prices": _(
                        "Ces unités figurent sur des bons de commande et gardent un prix : %s."
                    )
                    % ", ".join(str(UnitKind(u).label) for u in missing)
                }
            )
        ordered = _ordered_amount(contract, prices=prices)
        if ordered > contract.max_amount:
            raise ValidationError(
                {
                    "max_amount": _(
                        "Les bons de commande du marché totalisent %(ordered)s à ces prix, "
                        "plus que le montant maximum (%(max)s)."
                    )
                    % {"ordered": _euros(ordered), "max": _euros(contract.max_amount)}
                }
            )
        bad_orders = contract.orders.exclude(
            issued_on__gte=contract.start_date, issued_on__lte=contract.end_date
        ).values_list("number", flat=True)
        if bad_orders:
            raise ValidationError(
                {
                    "end_date": _("Ces bons de commande sortiraient des dates du marché : %s.")
                    % ", ".join(bad_orders)
                }
            )
    contract.save()
    UnitPrice.objects.filter(contract=contract).exclude(unit__in=list(prices)).delete()
    current = {p.unit: p for p in UnitPrice.objects.filter(contract=contract)}
    for unit, price in prices.items():
        row = current.get(unit) or UnitPrice(contract=contract, unit=unit)
        if row.price != price:
            row.price = price
            row.full_clean()
            row.save()
    return contract


@transaction.atomic
def order_save(*, order: PurchaseOrder, lines: dict, by) -> PurchaseOrder:
    """Create or update a purchase order and its lines ({unit: quantity}) (officers only).

    The order falls within its contract's dates, orders only priced units, never less than
    what is already consumed, and the contract's orders stay under its maximum."""
    permissions.require(permissions.can_run_programme(by))
    contract = order.contract
    if not lines:
        raise ValidationError({"lines": _("Commandez au moins une unité d'œuvre.")})
    prices = dict(UnitPrice.objects.filter(contract=contract).values_list("unit", "price"))
    errors: dict[str, list] = {}
    for unit, quantity in lines.items():
        label = UnitKind(unit).label if unit in UnitKind.values else unit
        if unit not in prices:
            errors.setdefault("lines", []).append(
                _("« %(unit)s » n'a pas de prix unitaire dans le marché.") % {"unit": label}
            )
        if quantity is None or quantity <= 0:
            errors.setdefault("lines", []).append(
                _("La quantité de « %(unit)s » doit être positive.") % {"unit": label}
            )
    if order.issued_on and not contract.start_date <= order.issued_on <= contract.end_date:
        errors.setdefault("issued_on", []).append(
            _("La date du bon doit être dans les dates du marché (du %(start)s au %(end)s).")
            % {
                "start": contract.start_date.strftime("%d/%m/%Y"),
                "end": contract.end_date.strftime("%d/%m/%Y"),
            }
        )
    if order.pk:
        consumed = dict(
            Consumption.objects.filter(order=order)
            .order_by()
            .values_list("unit")
            .annotate(total=models.Sum("quantity"))
        )
        for unit, total in consumed.items():
            if lines.get(unit, Decimal(0)) < total:
                errors.setdefault("lines", []).append(
                    _(
                        "« %(unit)s » : %(consumed)s déjà consommé(s), la quantité commandée "
                        "ne peut pas être inférieure."
                    )
                    % {"unit": UnitKind(unit).label, "consumed": _hours(total)}
                )
    if errors:
        raise ValidationError(errors)
    ordered = _ordered_amount(contract, prices=prices, replace_order=order, lines=lines)
    if ordered > contract.max_amount:
        raise ValidationError(
            {
                "lines": _(
                    "Avec ce bon, les commandes du marché atteindraient %(ordered)s, plus que "
                    "son montant maximum (%(max)s)."
                )
                % {"ordered": _euros(ordered), "max": _euros(contract.max_amount)}
            }
        )
    order.full_clean()
    order.save()
    OrderLine.objects.filter(order=order).exclude(unit__in=list(lines)).delete()
    current = {line.unit: line for line in OrderLine.objects.filter(order=order)}
    for unit, quantity in lines.items():
        line = current.get(unit) or OrderLine(order=order, unit=unit)
        if line.quantity != quantity:
            line.quantity = quantity
            line.full_clean()
            line.save()
    return order


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
    from crm.core.concurrency import save_if_unchanged

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
