"""Read-side queries of the pipeline. Each runs a fixed number of queries."""

import datetime

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from crm.core import roles
from crm.core.stored_text import translate_stored
from crm.models import (
    FUND_FIELDS,
    Commune,
    Project,
    ProjectMeasure,
    Stage,
    StageChange,
    Status,
)
from crm.projects import registry

OPEN_STATUSES = (Status.APPLICANT, Status.ACTIVE, Status.ON_HOLD)
HOME_CARDS_PER_STAGE = 12


def _counts_by(queryset, field, choices):
    """One row per choice, zeros included; `max` scales the bars of a chart."""
    return _bars(dict(queryset.order_by().values_list(field).annotate(n=Count("pk"))), choices)


def _bars(counts: dict, choices):
    largest = max(counts.values(), default=0) or 1
    return [
        {"value": value, "label": label, "count": counts.get(value, 0), "max": largest}
        for value, label in choices.choices
    ]


def stale_project_days() -> int:
    return int(getattr(settings, "STALE_PROJECT_DAYS", 60))


def silent_since(days: int) -> Q:
    """Projects with no meeting in the last `days` days (none at all included), on the
    stored latest meeting (`Project.last_meeting_at`)."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    return Q(last_meeting_at__lt=cutoff) | Q(last_meeting_at__isnull=True)


def without_meeting_since(queryset, days: int):
    """Projects of `queryset` with no meeting in the last `days` days."""
    return queryset.filter(silent_since(days))


def home_summary(user) -> dict:
    """Figures for the home page, scoped to what `user` may see (2 to 7 queries)."""
    role = roles.primary_role(user)
    projects = Project.objects.visible_to(user).current()
    open_projects = projects.filter(status__in=OPEN_STATUSES)
    stale_days = stale_project_days()
    # One pass over the projects for every figure by stage, status and commune, the
    # projects without a recent meeting included (three before: this one, the communes,
    # and an anti-join with every meeting for the silent ones), read from the covering
    # index crm_project_figures_idx on PostgreSQL.
    groups = list(
        projects.order_by()
        .values("stage", "status", "commune_id")
        .annotate(
            n=Count("pk"),
            hours=Sum("hours_allocated"),
            mine=Count("pk", filter=Q(officer_id=user.pk)),
            silent=Count("pk", filter=Q(status=Status.ACTIVE) & silent_since(stale_days)),
        )
    )

    def count(statuses, stage=None, figure="n"):
        return sum(
            row[figure]
            for row in groups
            if row["status"] in statuses and stage in (None, row["stage"])
        )

    open_hours = [
        row["hours"]
        for row in groups
        if row["status"] in OPEN_STATUSES and row["hours"] is not None
    ]
    totals = {
        "active": count((Status.ACTIVE,)),
        "applicants": count((Status.APPLICANT,)),
        "on_hold": count((Status.ON_HOLD,)),
        "closed": count((Status.EXITED, Status.COMPLETED)),
        "hours_allocated": sum(open_hours) if open_hours else None,
    }
    context = {
        "role": role,
        "totals": totals,
        # Projects in accompaniment with no meeting for STALE_PROJECT_DAYS days.
        "stale_days": stale_days,
        "stale_count": sum(row["silent"] for row in groups),
        "stage_counts": _bars(
            {value: count(OPEN_STATUSES, value) for value in Stage.values}, Stage
        ),
        "status_counts": _bars({value: count((value,)) for value in Status.values}, Status),
    }
    if role is None:
        return context

    if role == roles.Role.COACH:
        # The coach's projects as columns by stage: a page of cards per column (one query
        # each, five in all) and the column's count, however many projects there are.
        counts = {item["value"]: item["count"] for item in context["stage_counts"]}
        context["columns"] = []
        for value, label in Stage.choices:
            cards = list(
                open_projects.filter(stage=value)
                .select_related("commune", "organisation")
                .order_by("name", "pk")[:HOME_CARDS_PER_STAGE]
            )
            context["columns"].append(
                {
                    "stage": value,
                    "label": label,
                    "projects": cards,
                    "count": counts.get(value, 0),
                    "more": counts.get(value, 0) - len(cards),
                }
            )
    else:
        # From the same pass (counting from the communes with an IN (subquery) filter
        # scanned the projects three times: 1.2 s at 60,000); only the names are read here.
        open_by_commune: dict[int, int] = {}
        for row in groups:
            commune_id = row["commune_id"]
            if row["status"] in OPEN_STATUSES and commune_id is not None:
                open_by_commune[commune_id] = open_by_commune.get(commune_id, 0) + row["n"]
        names = dict(Commune.objects.filter(pk__in=open_by_commune).values_list("pk", "name"))
        context["by_commune"] = sorted(
            ({"name": names[pk], "n": n} for pk, n in open_by_commune.items()),
            key=lambda item: (-item["n"], item["name"]),
        )
        context["recent_moves"] = list(
            StageChange.objects.visible_to(user)
            .select_related("project", "by")
            .order_by("-at", "-pk")[:8]
        )
    if role == roles.Role.OFFICER:
        context["my_projects"] = _bars(
            {value: count(OPEN_STATUSES, value, figure="mine") for value in Stage.values}, Stage
        )
        context["my_project_total"] = sum(item["count"] for item in context["my_projects"])
    return context


# ---------------------------------------------------------------------------------------
# Project page


def get_project_for(user, pk) -> Project:
    """The project `pk` if `user` may see it, else 404 (never 403: that would confirm it
    exists). Archived projects stay reachable so that an officer can restore them."""
    return get_object_or_404(
        Project.objects.visible_to(user).select_related(
            "commune", "officer", "coach", "organisation"
        ),
        pk=pk,
    )


# How many entries each timeline source contributes at most: the page stays bounded
# whatever the project's age.
TIMELINE_LIMIT = 100
# Columns whose change is already told by a stage move, or is bookkeeping (the history
# does not keep updated_at and last_meeting_at at all).
_HISTORY_IGNORED = {
    "id",
    "version",
    "updated_at",
    "created_at",
    "last_meeting_at",
    "stage",
    "status",
    "exit_reason",
}


def _stage_change_entries(project, user):
    """One entry per move of the project's stage or status (1 query)."""
    moves = project.stage_changes.select_related("by").order_by("-at", "-pk")[:TIMELINE_LIMIT]
    for move in moves:
        if not move.from_stage and not move.from_status:
            title = _("Entrée dans le programme : %(stage)s, %(status)s") % {
                "stage": move.get_to_stage_display(),
                "status": move.get_to_status_display(),
            }
        else:
            parts = []
            if move.from_stage != move.to_stage:
                parts.append(
                    _("Étape : %(old)s → %(new)s")
                    % {"old": move.get_from_stage_display(), "new": move.get_to_stage_display()}
                )
            if move.from_status != move.to_status:
                parts.append(
                    _("Statut : %(old)s → %(new)s")
                    % {"old": move.get_from_status_display(), "new": move.get_to_status_display()}
                )
            title = " ; ".join(parts)
        detail = translate_stored(move.note)
        if move.exit_reason:
            reason = _("Motif de sortie : %(reason)s") % {"reason": move.get_exit_reason_display()}
            detail = f"{reason}. {detail}" if detail else reason
        yield {"kind": "stage", "at": move.at, "who": move.by, "title": title, "detail": detail}


def _history_entries(project, user):
    """One entry per edit of the project's record, naming the fields changed (1 query).

    Edits that only moved the stage or status are left out: the move tells them."""
    records = list(
        project.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : TIMELINE_LIMIT + 1
        ]
    )
    fields = [f for f in Project._meta.concrete_fields if f.name not in _HISTORY_IGNORED]
    for newer, older in zip(records, records[1:], strict=False):
        if newer.history_type != "~":
            continue
        changed = [f for f in fields if getattr(newer, f.attname) != getattr(older, f.attname)]
        if not changed:
            continue
        if [f.name for f in changed] == ["archived_at"]:
            title = _("Projet archivé") if newer.archived_at else _("Projet restauré")
            detail = ""
        else:
            title = _("Fiche modifiée")
            names = ", ".join(str(f.verbose_name) for f in changed)
            detail = _("Champs modifiés : %(fields)s") % {"fields": names}
        yield {
            "kind": "edit",
            "at": newer.history_date,
            "who": newer.history_user,
            "title": title,
            "detail": detail,
        }


# Each source is a function (project, user) -> iterable of entries
# {"kind", "at", "who", "title", "detail"} running a fixed number of queries and scoping
# what it reads to `user` (internal notes, for example). Meetings, actions and applications
# plug in by appending their function here (from their app's ready(), or this module).
def _application_entries(project, user) -> list[dict]:
    """The project's applications to calls for projects (1 query)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from crm.models import Application

    entries = []
    applications = (
        Application.objects.visible_to(user)
        .filter(project=project)
        .select_related("call")
        .order_by("-call__year", "-pk")[:TIMELINE_LIMIT]
    )
    for application in applications:
        entries.append(
            {
                "kind": "application",
                "at": application.decided_at or application.created_at,
                "who": "",
                "title": _("Candidature à l'appel à projets %(call)s") % {"call": application.call},
                "detail": application.get_decision_display(),
                "url": reverse("crm:call-application-detail", args=[application.pk]),
            }
        )
    return entries


OWN_TIMELINE_SOURCES = (_stage_change_entries, _history_entries, _application_entries)


def project_timeline(project, user) -> list[dict]:
    """Everything that happened to `project`, newest first: the pipeline's own entries and
    those of every source the apps registered (crm.projects.registry)."""
    sources = (*OWN_TIMELINE_SOURCES, *registry.timeline_sources)
    entries = [entry for source in sources for entry in source(project, user)]
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries


def project_indicators(project) -> dict | None:
    """The latest measure of `project` with its funds by type (1 query), or None."""
    measure = project.measures.order_by("-measured_on", "-pk").first()
    if measure is None:
        return None
    funds = [
        {
            # "subventions (€)" → "Subventions": the amount shows its currency.
            "label": capfirst(str(ProjectMeasure._meta.get_field(name).verbose_name)).removesuffix(
                " (€)"
            ),
            "amount": getattr(measure, name),
        }
        for name in FUND_FIELDS
    ]
    return {"measure": measure, "funds": [f for f in funds if f["amount"]]}


# ---------------------------------------------------------------------------------------
# Pipeline board

BOARD_CARDS_PER_COLUMN = 50


def project_board(queryset, *, limit: int = BOARD_CARDS_PER_COLUMN) -> list[dict]:
    """Columns of the pipeline board, one per stage, from an already scoped and filtered
    `queryset` of projects (six queries: the counts by stage and status, then the first
    `limit` cards of each stage, each read in name order from the board index and stopped
    at `limit`).

    Each card knows since when its project is in its stage: the latest StageChange that
    entered the current stage, read in a subquery for the cards shown only.

    (Ranking every project with a window function and keeping the first 50 per stage cost
    ×3 from 60 to 6,000 projects: every row was ranked, and its subquery run, first.)"""
    # One query for the columns' counts and their split by status.
    by_status: dict[str, dict[str, int]] = {}
    for stage, status, n in (
        queryset.order_by().values_list("stage", "status").annotate(n=Count("pk"))
    ):
        by_status.setdefault(stage, {})[status] = n
    counts = {stage: sum(split.values()) for stage, split in by_status.items()}
    late_before = timezone.now() - datetime.timedelta(days=stale_project_days())
    entered = (
        StageChange.objects.filter(project=OuterRef("pk"), to_stage=OuterRef("stage"))
        .exclude(from_stage=F("to_stage"))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    cards = queryset.select_related("commune", "coach").annotate(stage_since=Subquery(entered))
    now = timezone.now()
    by_stage: dict[str, list] = {}
    for value in Stage.values:
        column = list(cards.filter(stage=value).order_by("name", "pk")[:limit])
        for card in column:
            card.days_in_stage = (now - card.stage_since).days if card.stage_since else None
            # In accompaniment and silent for STALE_PROJECT_DAYS (as on the home page).
            card.late_follow_up = card.status == Status.ACTIVE and (
                card.last_meeting_at is None or card.last_meeting_at < late_before
            )
        by_stage[value] = column
    return [
        {
            "stage": value,
            "label": label,
            "index": index,
            "count": counts.get(value, 0),
            "cards": by_stage[value],
            "hidden": counts.get(value, 0) - len(by_stage[value]),
            "by_status": [
                {"value": status, "label": label, "count": by_status[value][status]}
                for status, label in Status.choices
                if by_status.get(value, {}).get(status)
            ],
        }
        for index, (value, label) in enumerate(Stage.choices, start=1)
    ]


def with_lead_name(queryset):
    """The project list's rows: commune, coach and the lead entrepreneur's name (in a
    subquery), whatever the number of rows."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    from crm.models import ProjectMember

    lead_name = ProjectMember.objects.filter(project=OuterRef("pk"), is_lead=True).values(
        full_name=Concat("person__first_name", Value(" "), "person__last_name")
    )[:1]
    return queryset.select_related("commune", "coach").annotate(lead_name=Subquery(lead_name))
