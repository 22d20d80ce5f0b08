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
    # The provider's monthly statement needs a purchase order the role can see.
    needs_order: bool = False
    roles: tuple[str, ...] = ("officer", "coach", "manager")
    # Timed requests and warm-ups. None: the --requests option. Heavy pages (exports of every
    # row, generated reports) take seconds each, so a few requests already say enough; the
    # --requests option still caps them (the tiny test runs one of each).
    repeats: int | None = None
    warmups: int = 2
    # Warm-ups per gunicorn worker instead, for a page whose cache is each worker's own:
    # sync workers take requests as they come, so a few each make a cold one unlikely.
    warmups_per_worker: int = 0
    # Exports of every project: report rows per second as well.
    counts_rows: bool = False
    # A REST API read: sent with the role's API token (Authorization: Token …), no cookie.
    api: bool = False
    # The API's second page: the `next` cursor link of this page key's response.
    next_of: str = ""

    @property
    def in_load(self) -> bool:
        """Whether the load step reads this page: the everyday pages, not the heavy ones
        (exports, generated reports), which users open now and then and which would make
        the load's p95 theirs."""
        return self.repeats is None and not self.key.startswith("admin") and not self.api


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
    # Global search (crm.search): a word start, a name with a typo, a commune without its
    # accent, two words.
    Page("search_prefix", "Search, word start", "search:results", "q=recycl"),
    Page("search_typo", "Search, name with a typo", "search:results", "q=lefebre"),
    Page("search_commune", "Search, commune", "search:results", "q=creteil"),
    Page("search_words", "Search, two words", "search:results", "q=atelier+velo"),
    # The REST API's project list (issue 24), next to the page: 100 projects per page, as
    # a token, the first page and the next one through its cursor link.
    Page(
        "api_projects",
        "API project list, page of 100",
        "api:project-list",
        "page_size=100",
        api=True,
    ),
    Page(
        "api_projects_next",
        "API project list, next page (cursor)",
        "api:project-list",
        api=True,
        next_of="api_projects",
    ),
    # Officers and managers see every contract; a coach sees their employer's (the demo
    # coach works for the provider), so all three roles get the statement.
    Page(
        "order_statement",
        "Provider monthly statement",
        "followups:order-statement",
        needs_order=True,
    ),
    # Exports and the admin baseline before the reports: a worker keeps the memory a PDF
    # took, so measured after them an export's peak would be the PDF's.
    Page(
        "export_csv",
        "Project export, CSV, every row",
        "crm:project-list",
        "export=csv",
        roles=("officer",),
        repeats=3,
        warmups=1,
        counts_rows=True,
    ),
    Page(
        "export_xlsx",
        "Project export, XLSX, every row",
        "crm:project-list",
        "export=xlsx",
        roles=("officer",),
        repeats=3,
        warmups=1,
        counts_rows=True,
    ),
    Page(
        "admin_projects",
        "Django admin changelist (baseline)",
        "admin:crm_project_changelist",
        roles=("admin",),
    ),
    # The dashboard keeps its figures in each worker's cache (REPORTS_CACHE_SECONDS); the
    # bench also times it with the cache off on a second server (see DASHBOARD_COMPUTED).
    Page("dashboard", "Dashboard, figures cached", "reports:dashboard", warmups_per_worker=3),
    # Reports: a workbook or a PDF built per request, seconds each at scale.
    Page("bilan_xlsx", "Activity report, XLSX", "reports:bilan-xlsx", repeats=5, warmups=1),
    Page("bilan_pdf", "Activity report, PDF", "reports:bilan-pdf", repeats=5, warmups=1),
    Page(
        "fiche_pdf",
        "Follow-up sheet, PDF",
        "sheets:project-fiche-pdf",
        needs_project=True,
        repeats=5,
        warmups=1,
    ),
    Page(
        "fiche_xlsx",
        "Follow-up sheet, XLSX",
        "sheets:project-fiche-xlsx",
        needs_project=True,
        repeats=5,
        warmups=1,
    ),
]


# The dashboard again, on a server started with REPORTS_CACHE_SECONDS=0: every request
# computes the figures. Not in PAGES: it needs its own server.
DASHBOARD_COMPUTED = Page(
    "dashboard_computed",
    "Dashboard, figures computed (cache off)",
    "reports:dashboard",
    repeats=5,
    warmups=1,
)


def page_url(page: Page, project_pk: int | None = None, order_pk: int | None = None) -> str | None:
    """The page's path, or None when its route does not exist in this version (or the page
    needs a purchase order and the database has none)."""
    if page.needs_order and order_pk is None:
        return None
    args = [project_pk] if page.needs_project else [order_pk] if page.needs_order else []
    try:
        path = reverse(page.route, args=args)
    except NoReverseMatch:
        return None
    return f"{path}?{page.query}" if page.query else path
