"""The search page: the hits of the query, grouped by kind, each with its matched line."""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.search import selectors
from crm.search.snippets import Line, matched_line

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    context: str  # what the hit belongs to or where it is
    line: Line | None
    badge: str = ""
    badge_key: str = ""  # a note's visibility, for its colour


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def _hit(kind, record, terms) -> Hit:
    line = matched_line(record, kind.fields, terms)
    commune = getattr(getattr(record, "commune", None), "name", "")
    if kind is selectors.PROJECTS:
        context = " · ".join(filter(None, [record.get_stage_display(), commune]))
        return Hit(record.name, record.get_absolute_url(), context, line)
    if kind is selectors.PEOPLE:
        return Hit(record.full_name, record.get_absolute_url(), commune, line)
    if kind is selectors.ORGANISATIONS:
        return Hit(record.name, record.get_absolute_url(), commune, line)
    if kind is selectors.MEETINGS:
        url = reverse("followups:meeting-detail", args=[record.pk])
        title = _("Rendez-vous du %(day)s") % {"day": _day(record.start)}
        return Hit(title, url, record.project.name, line, record.get_format_display())
    meeting = record.meeting
    url = reverse("followups:meeting-detail", args=[meeting.pk]) + f"#note-{record.pk}"
    title = _("Note du rendez-vous du %(day)s") % {"day": _day(meeting.start)}
    badge = record.get_visibility_display()
    return Hit(title, url, meeting.project.name, line, badge, record.visibility)


@permissions.permission_required(permissions.can_search)
def search_page(request):
    """GET /search/?q=: what the user may see that matches, a few of each kind."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    terms = selectors.terms_of(query)
    groups = [
        {
            "kind": group.kind,
            "hits": [_hit(group.kind, record, terms) for record in group.records],
            "more": group.more,
        }
        for group in selectors.search(request.user, query)
    ]
    context = {
        "query": query,
        "search_query": query,
        "groups": groups,
        "searched": bool(query),
        "too_short": bool(query) and sum(map(len, terms)) < selectors.MIN_QUERY_LENGTH,
        "per_kind": selectors.PER_KIND,
    }
    return render(request, "search/results.html", context)
