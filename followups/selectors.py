"""Read-side queries of follow-ups. Each runs a fixed number of queries whatever the size,
and starts from a `visible_to(user)` queryset."""

import datetime
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.core import permissions, roles
from crm.models import Project, Status
from crm.projects.selectors import TIMELINE_LIMIT, stale_project_days, without_meeting_since
from followups.models import (
    Action,
    ActionChange,
    ActionChangeKind,
    Consumption,
    Event,
    Meeting,
    MeetingNote,
    OrderLine,
    PurchaseOrder,
    ServiceCertification,
    TimeKind,
    UnitKind,
    UnitPrice,
)

HOURS = DecimalField(max_digits=8, decimal_places=2)


def _individual_minutes(project_ref):
    return (
        Meeting.objects.filter(project=project_ref, time_kind=TimeKind.INDIVIDUAL)
        .order_by()
        .values("project")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )


def with_hours_used(queryset):
    """Annotate a Project queryset with `hours_used` (individual meeting hours), in one
    subquery, so a list shows the figure without a query per row."""
    return queryset.annotate(
        minutes_used=Coalesce(Subquery(_individual_minutes(OuterRef("pk"))), Value(0)),
        hours_used=ExpressionWrapper(F("minutes_used") / Value(60.0), output_field=HOURS),
    )


def hours_used(project, *, exclude=None) -> Decimal:
    """Individual coaching hours used by `project`'s meetings (one query)."""
    meetings = Meeting.objects.filter(project=project, time_kind=TimeKind.INDIVIDUAL)
    if exclude:
        meetings = meetings.exclude(pk=exclude)
    minutes = meetings.aggregate(total=Sum("duration_minutes"))["total"] or 0
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def _event_seconds(events) -> Decimal:
    """Total length of `events` in seconds (one aggregate query)."""
    total = events.aggregate(total=Sum(F("end") - F("start"), output_field=DurationField()))[
        "total"
    ]
    return Decimal(total.total_seconds()) if total else Decimal(0)


def cohort_hours_used(cohort, *, exclude_meeting=None, exclude_event=None) -> Decimal:
    """Collective hours used by `cohort`: its collective meetings and its events (2 queries,
    whatever the number of meetings or events)."""
    meetings = Meeting.objects.filter(cohort=cohort, time_kind=TimeKind.COLLECTIVE)
    if exclude_meeting:
        meetings = meetings.exclude(pk=exclude_meeting)
    minutes = meetings.aggregate(total=Sum("duration_minutes"))["total"] or 0
    events = Event.objects.filter(cohort=cohort)
    if exclude_event:
        events = events.exclude(pk=exclude_event)
    seconds = Decimal(minutes) * 60 + _event_seconds(events)
    return (seconds / 3600).quantize(Decimal("0.01"))


def cohort_hours(cohort) -> dict:
    """Used / allocated collective hours of a cohort with the warning level (2 queries)."""
    used = cohort_hours_used(cohort)
    allocated = cohort.hours_allocated or Decimal(0)
    return {
        "used": used,
        "allocated": allocated,
        "level": hours_level(used, allocated),
        "left": allocated - used,
    }


def hours_level(used: Decimal, allocated: Decimal) -> str:
    """ "ok", "warning" (80 % reached) or "over" (allocation exceeded); "" if none allocated."""
    if not allocated:
        return ""
    if used > allocated:
        return "over"
    if used >= allocated * Decimal("0.8"):
        return "warning"
    return "ok"


def visible_meetings(user):
    return Meeting.objects.visible_to(user).select_related("project", "led_by")


def notes_prefetch(user):
    """Prefetch of a meeting's notes that leaves out what `user` may not read."""
    return Prefetch(
        "notes",
        queryset=MeetingNote.objects.visible_to(user).select_related("author"),
        to_attr="visible_notes",
    )


def project_followups(project, user) -> dict:
    """What the project page shows: recent meetings, open actions, hours used / allocated
    with the warning level, and whether `user` may log a meeting (4 queries)."""
    meetings = list(visible_meetings(user).filter(project=project).order_by("-start", "-pk")[:5])
    actions = list(
        Action.objects.visible_to(user)
        .open()
        .filter(project=project)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    used = hours_used(project)
    allocated = project.hours_allocated or Decimal(0)
    return {
        "project": project,
        "recent_meetings": meetings,
        "open_actions": actions,
        "hours_used": used,
        "hours_allocated": allocated,
        "hours_level": hours_level(used, allocated),
        "today": timezone.localdate(),
        "can_log": permissions.can_log_meeting(user, project),
    }


def timeline_entries(project, user) -> list[dict]:
    """Meetings and actions of `project` as timeline items {kind, at, who, title, detail,
    url}, newest first, for the project page's merged timeline (3 queries)."""
    entries = []
    meetings = visible_meetings(user).filter(project=project).order_by("-start", "-pk")
    for meeting in meetings[:TIMELINE_LIMIT]:
        entries.append(
            {
                "kind": "meeting",
                "at": meeting.start,
                "who": str(meeting.led_by),
                "title": meeting.get_format_display(),
                "detail": meeting.summary[:200],
                "url": reverse("followups:meeting-detail", args=[meeting.pk]),
            }
        )
    entries += _action_entries(project, user)
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


CHANGE_TITLES = {
    ActionChangeKind.REASSIGNED: gettext_lazy("Action réattribuée : %(title)s"),
    ActionChangeKind.POSTPONED: gettext_lazy("Action reportée : %(title)s"),
    ActionChangeKind.DONE: gettext_lazy("Action faite : %(title)s"),
    ActionChangeKind.REOPENED: gettext_lazy("Action rouverte : %(title)s"),
}


def _action_entries(project, user) -> list[dict]:
    """Each step as it was set (on its creation day), then what happened to it since:
    reassigned, postponed, done, reopened, with who and why (2 queries)."""
    url = reverse("followups:action-list") + f"?project={project.pk}"
    entries = []
    actions = (
        Action.objects.visible_to(user)
        .filter(project=project)
        .select_related("owner")
        .order_by("-created_on", "-pk")
    )
    for action in actions[:TIMELINE_LIMIT]:
        at = timezone.make_aware(datetime.datetime.combine(action.created_on, datetime.time(9)))
        entries.append(
            {
                "kind": "action",
                "at": at,
                "who": str(action.owner),
                "title": action.title,
                "detail": _("À faire pour le %(day)s") % {"day": f"{action.due_on:%d/%m/%Y}"},
                "url": url,
            }
        )
    changes = (
        ActionChange.objects.visible_to(user)
        .filter(action__project=project)
        .exclude(kind=ActionChangeKind.CREATED)
        .select_related("action", "by")
        .order_by("-at", "-pk")
    )
    for change in changes[:TIMELINE_LIMIT]:
        entries.append(
            {
                "kind": f"action_{change.kind}",
                "at": change.at,
                "who": str(change.by) if change.by else "",
                "title": CHANGE_TITLES[change.kind] % {"title": change.action.title},
                "detail": change.detail,
                "url": url,
            }
        )
    return entries


STALE_SHOWN = 20
# Actions listed per section of "my work" (the rest is counted, and one click away).
ACTIONS_SHOWN = 20
ACTIONS_SHOWN_ALL = 500


def my_work(user, *, show_all: str = "") -> dict:
    """The user's open actions split by due date, and their projects with no recent
    meeting (a fixed number of queries, whatever the data). Each section lists its first
    ACTIONS_SHOWN actions with its full count; `show_all` names the one section listed
    further (up to ACTIONS_SHOWN_ALL): an owner of thousands of open steps still gets a
    quick page."""
    today = timezone.localdate()
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    open_actions = Action.objects.visible_to(user).open().filter(owner=user)
    bounds = {
        "overdue": Q(due_on__lt=today),
        "this_week": Q(due_on__gte=today, due_on__lte=week_end),
        "upcoming": Q(due_on__gt=week_end),
    }
    totals = open_actions.aggregate(**{key: Count("pk", filter=q) for key, q in bounds.items()})
    listed = {}
    for key, condition in bounds.items():
        limit = ACTIONS_SHOWN_ALL if show_all == key else ACTIONS_SHOWN
        listed[key] = list(
            open_actions.filter(condition)
            .select_related("project", "meeting")
            .order_by("due_on", "pk")[:limit]
        )
    days = stale_project_days()
    stale, stale_total = [], 0
    if roles.is_coach(user) or roles.is_officer(user):
        mine = Project.objects.visible_to(user).current().filter(status=Status.ACTIVE)
        mine = mine.filter(Q(coach=user) | Q(officer=user))
        stale_projects = without_meeting_since(mine, days)
        # The oldest silences first, a page of them; the rest is one click away in the list.
        stale = list(
            stale_projects.order_by(F("last_meeting_at").asc(nulls_first=True), "name", "pk")[
                :STALE_SHOWN
            ]
        )
        # Counted even when the page holds them all: the same queries at every scale.
        stale_total = stale_projects.count()
    return {
        **listed,
        "action_totals": totals,
        "stale_projects": stale,
        "stale_total": stale_total,
        "stale_more": stale_total - len(stale),
        "stale_days": days,
        "today": today,
    }


def _month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def order_statement(order: PurchaseOrder, month: datetime.date, *, user) -> dict:
    """The monthly statement of a purchase order: per unit, quantity ordered, consumed this
    month, consumed to date, remaining, and the amounts. A coach sees only the units of
    their own meetings (4 queries)."""
    first, following = _month_bounds(month)
    prices = dict(
        UnitPrice.objects.filter(contract_id=order.contract_id).values_list("unit", "price")
    )
    ordered = dict(OrderLine.objects.filter(order=order).values_list("unit", "quantity"))
    consumptions = Consumption.objects.visible_to(user).filter(order=order)
    totals = {
        row["unit"]: row
        for row in consumptions.order_by()
        .values("unit")
        .annotate(
            month=Coalesce(
                Sum("quantity", filter=Q(on__gte=first, on__lt=following)), Value(Decimal(0))
            ),
            to_date=Coalesce(Sum("quantity", filter=Q(on__lt=following)), Value(Decimal(0))),
        )
    }
    lines = []
    for unit, label in UnitKind.choices:
        if unit not in ordered and unit not in totals:
            continue
        price = prices.get(unit, Decimal(0))
        quantity = ordered.get(unit, Decimal(0))
        month_qty = totals.get(unit, {}).get("month", Decimal(0))
        to_date = totals.get(unit, {}).get("to_date", Decimal(0))
        lines.append(
            {
                "unit": unit,
                "label": label,
                "price": price,
                "ordered": quantity,
                "month_quantity": month_qty,
                "month_amount": _money(month_qty * price),
                "to_date": to_date,
                "remaining": quantity - to_date,
                "remaining_amount": _money((quantity - to_date) * price),
            }
        )
    details = list(
        consumptions.filter(on__gte=first, on__lt=following)
        .select_related("meeting__project", "event")
        .order_by("on", "pk")
    )
    return {
        "order": order,
        "month": first,
        "lines": lines,
        "details": details,
        "month_amount": sum((line["month_amount"] for line in lines), Decimal(0)),
        "ordered_amount": _money(sum((line["ordered"] * line["price"] for line in lines), 0)),
        "remaining_amount": sum((line["remaining_amount"] for line in lines), Decimal(0)),
    }


def contract_summary(contract, *, user) -> dict:
    """Amounts of a contract: ordered on its purchase orders and consumed to date (as far
    as `user` may see), against its maximum (3 queries)."""
    prices = dict(UnitPrice.objects.filter(contract=contract).values_list("unit", "price"))
    ordered = OrderLine.objects.filter(order__contract=contract).values_list("unit", "quantity")
    consumed = (
        Consumption.objects.visible_to(user)
        .filter(order__contract=contract)
        .order_by()
        .values_list("unit")
        .annotate(total=Sum("quantity"))
    )
    ordered_amount = _money(sum((q * prices.get(u, 0) for u, q in ordered), Decimal(0)))
    consumed_amount = _money(sum((q * prices.get(u, 0) for u, q in consumed), Decimal(0)))
    return {
        "ordered_amount": ordered_amount,
        "consumed_amount": consumed_amount,
        "left_on_contract": _money(contract.max_amount - ordered_amount),
    }


def order_certifications(order: PurchaseOrder, month: datetime.date) -> dict:
    """The service certified on a purchase order: the month's standing certification, the
    amount certified to date (revoked certifications left out) and every certification,
    revoked ones with who, when and why, newest month first (1 query)."""
    rows = list(
        ServiceCertification.objects.filter(order=order)
        .select_related("certified_by", "revoked_by")
        .order_by("-month", "-certified_at", "-pk")
    )
    standing = [row for row in rows if row.revoked_at is None]
    return {
        "current": next((row for row in standing if row.month == month.replace(day=1)), None),
        "certified_amount": sum((row.amount for row in standing), Decimal(0)),
        "rows": rows,
        "revoked_count": len(rows) - len(standing),
    }
