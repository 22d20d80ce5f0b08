"""The dashboard and the activity report (bilan d'activité) downloads."""

import datetime
import hashlib
import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm.core import permissions, roles
from crm.core.pdf import html_to_pdf
from crm.core.spreadsheets import cell, set_download_name, sheet_title
from crm.models import AccessEventKind, Project
from crm.projects.filters import PERIOD_FILTERS, ProjectFilter
from crm.security.audit import log_access_event
from reports.forms import PeriodForm
from reports.sections.dashboard import build_sections, group_sections
from reports.sections.headline import build_headlines
from reports.sections.impact import build_impact_sections
from reports.sections.links import Links
from reports.selectors.dashboard import dashboard_figures, data_version

PERIOD_FIELDS = ("period", "start", "end")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request) -> dict:
    """Period, project filters, figures and sections of the request (fixed query count)."""
    user = request.user
    # Entrepreneurs and accounts without a role have no dashboard.
    permissions.require(permissions.can_read_reports(user))
    form = PeriodForm(request.GET or None, user=user)
    period = form.get_period()
    filter_data = request.GET.copy()
    for name in (*PERIOD_FIELDS, *PERIOD_FILTERS, "export"):
        filter_data.pop(name, None)
    base = Project.objects.visible_to(user).current()
    project_filter = ProjectFilter(filter_data or None, queryset=base, request=request)
    for name in PERIOD_FILTERS:
        # The period form above sets the period; the list's own period filters would
        # contradict it.
        project_filter.filters.pop(name)
    filtered = bool(project_filter.active_count) and project_filter.is_valid()
    projects = base
    if filtered:
        # Some filters add DISTINCT; aggregates and correlated subqueries want a plain
        # queryset, so the filtered projects come in as a subquery.
        projects = base.filter(pk__in=project_filter.qs.order_by().values("pk"))
    computed = _cached_figures(user, projects, period, filtered, filter_data)
    figures = computed["figures"]
    filter_params = {k: v for k, v in filter_data.lists() if any(x != "" for x in v)}
    links = Links(filter_params, period, may_read_calls=permissions.can_read_calls(user))
    sections = build_sections(figures, links)
    impact_sections = build_impact_sections(figures, links)
    query = request.GET.copy()
    query.pop("export", None)
    return {
        "form": form,
        "filter": project_filter,
        "period": period,
        "figures": figures,
        "sections": sections,
        "blocks": group_sections(sections),
        "headlines": build_headlines(figures, links),
        "previous_period": figures["previous"]["period"],
        "impact_sections": impact_sections,
        "query": query.urlencode(),
        "generated_at": timezone.localtime(),
        "figures_at": timezone.localtime(computed["at"]),
        "filter_summary": _filter_summary(project_filter) if filtered else [],
        "can_see_contracts": bool(figures["orders"]) or roles.sees_everything(user),
    }


def _cached_figures(user, projects, period, filtered: bool, filter_data) -> dict:
    """The figures and when they were computed: from the cache when the same scope, period
    and filters were computed within REPORTS_CACHE_SECONDS and either nothing was recorded
    since (one query checks that) or they are younger than REPORTS_FRESH_SECONDS.

    Without the second rule, an office logging a meeting every few seconds would have
    every dashboard request compute the figures again (about a second each at 60,000
    projects): under load, the dashboard alone made the 95th percentile of every page."""
    seconds = int(settings.REPORTS_CACHE_SECONDS)
    if seconds <= 0:
        figures = dashboard_figures(user, projects, period, filtered=filtered)
        return {"figures": figures, "at": timezone.now()}
    # Officers and managers share one view of the data; a coach's is their own.
    scope = "all" if roles.sees_everything(user) else f"user-{user.pk}"
    parts = [
        scope,
        # The figures carry labels (the ESF+ situations...): one entry per language.
        translation.get_language() or "",
        period.start.isoformat(),
        period.end.isoformat(),
        str(period.call.pk if period.call else ""),
        "&".join(sorted(f"{k}={v}" for k, values in filter_data.lists() for v in values)),
    ]
    key = "reports:figures:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    cached = cache.get(key)
    now = timezone.now()
    if cached and (now - cached["at"]).total_seconds() < settings.REPORTS_FRESH_SECONDS:
        return cached
    version = data_version()
    if cached and cached["version"] == version:
        return cached
    figures = dashboard_figures(user, projects, period, filtered=filtered)
    cached = {"figures": figures, "at": now, "version": version}
    cache.set(key, cached, seconds)
    return cached


def _filter_summary(project_filter) -> list[str]:
    """The project filters in force, as "Label : value" lines for the downloads."""
    lines = []
    for name, form_field in project_filter.form.fields.items():
        value = project_filter.form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, bool):
            value = _("Oui") if value else _("Non")
        elif isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        elif isinstance(value, list | tuple):
            labels = dict(getattr(form_field, "choices", []))
            value = ", ".join(str(labels.get(v, v)) for v in value)
        elif isinstance(value, str) and getattr(form_field, "choices", None):
            value = dict(form_field.choices).get(value, value)
        lines.append(f"{form_field.label} : {value}")
    return lines


@login_required
def dashboard(request):
    return render(request, "reports/dashboard.html", _report(request))


def _filename(context, ext: str) -> str:
    period = context["period"]
    return f"bilan-activite-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"


def _log_export(request, fmt: str) -> None:
    log_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        detail=f"{request.path} {fmt} {request.GET.urlencode()}",
    )


@login_required
def bilan_xlsx(request):
    """The activity report as a workbook: a summary sheet, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = _report(request)
    period = context["period"]
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Bilan")

    def add_row(target, *values):
        # Every cell through the one neutralisation: a call's title is in the period label.
        target.append([cell(value) for value in values])

    add_row(summary, _("Bilan d'activité"))
    summary["A1"].font = Font(bold=True, size=14)
    add_row(summary, _("Période"), period.label)
    add_row(summary, _("Du"), period.start)
    add_row(summary, _("Au"), period.end)
    add_row(summary, _("Édité le"), context["generated_at"])
    for line in context["filter_summary"]:
        add_row(summary, _("Filtre"), line)
    summary.append([])
    add_row(summary, _("Tableau"), _("Définition"))
    used = {summary.title.lower()}
    for section in [*context["sections"], *context["impact_sections"]]:
        add_row(summary, section.title, section.note)
        sheet = workbook.create_sheet(sheet_title(str(section.sheet or section.title), used))
        add_row(sheet, *section.headers)
        for header in sheet[1]:
            header.font = Font(bold=True)
        for row in section.rows:
            add_row(sheet, *row)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 42
    summary.column_dimensions["A"].width = 48
    handle = io.BytesIO()
    workbook.save(handle)
    _log_export(request, "xlsx")
    response = HttpResponse(handle.getvalue(), content_type=XLSX_TYPE)
    return set_download_name(response, _filename(context, "xlsx"))


@login_required
def bilan_pdf(request):
    """The activity report as a PDF laid out for printing (charts and tables)."""
    context = _report(request)
    html = render_to_string("reports/bilan_pdf.html", context, request=request)
    # The document carries its own styles and inline SVG: nothing to fetch.
    pdf = html_to_pdf(html)
    _log_export(request, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    return set_download_name(response, _filename(context, "pdf"))
