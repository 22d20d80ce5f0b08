"""Pages the benchmark measures, shared by `manage.py bench` (the orchestrator, which times
them over HTTP against gunicorn) and `manage.py bench_probe` (which runs inside the measured
database to count queries, time the raw SQL and mint session cookies).

A page is listed by route name; pages whose route does not exist yet are skipped, so the
bench grows with the application without edits here beyond one line per page.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    route: str
    query: str = ""
    needs_project: bool = False
    roles: tuple[str, ...] = ("officer", "coach", "manager")


PAGES = [
    Page("home", "Home", "crm:home"),
    Page("projects", "Project list", "crm:project-list"),
    Page(
        "projects_filtered",
        "Project list, filtered",
        "crm:project-list",
        "stage=launch&status=active",
    ),
    Page("projects_sorted", "Project list, sorted by commune", "crm:project-list", "sort=-commune"),
    Page("projects_late", "Project list, page 40", "crm:project-list", "page=40"),
    Page("project", "Project page", "crm:project-detail", needs_project=True),
    Page("board", "Pipeline board", "crm:project-board"),
    Page("people", "People list", "contacts:person-list"),
    Page("organisations", "Organisation list", "contacts:organisation-list"),
    Page("my_work", "My work", "followups:my-work"),
    Page("meetings", "Meeting list", "followups:meeting-list"),
    Page("events", "Workshop list", "followups:event-list"),
    # The dashboard and each report: one line each, measured as soon as the route exists
    # (for example Page("report_x", "Report X", "reports:x")).
    Page("dashboard", "Dashboard", "reports:dashboard"),
    Page(
        "export_csv",
        "Project export, CSV, every row",
        "crm:project-list",
        "export=csv",
        roles=("officer",),
    ),
    Page(
        "export_xlsx",
        "Project export, XLSX, every row",
        "crm:project-list",
        "export=xlsx",
        roles=("officer",),
    ),
    Page(
        "admin_projects",
        "Django admin changelist (baseline)",
        "admin:crm_project_changelist",
        roles=("admin",),
    ),
]


def page_url(page: Page, project_pk: int | None = None) -> str | None:
    """The page's path, or None when its route does not exist in this version."""
    try:
        path = reverse(page.route, args=[project_pk] if page.needs_project else [])
    except NoReverseMatch:
        return None
    return f"{path}?{page.query}" if page.query else path
