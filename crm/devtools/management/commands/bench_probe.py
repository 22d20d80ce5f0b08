"""Run inside the benchmarked database: count the queries of each page per role, time the
list page's raw SQL, pick the objects the pages need (a coach's project, a purchase order
the coach can see, projects to log meetings on) and print session cookies for the HTTP
client. Output: one JSON line."""

import csv
import io
import json
import statistics
import time
from urllib.parse import urlsplit

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

from crm.devtools.bench.pages import DASHBOARD_COMPUTED, PAGES, page_url
from crm.models import Project, User
from followups.models import Contract, PurchaseOrder

# Projects the load step logs meetings on: the coach's own, so both the coach and the
# officer may log on them; several, as real users spread over their projects.
MEETING_PROJECTS = 50

BENCH_USERS = {"officer": "officer", "coach": "coach", "manager": "manager", "admin": "admin"}


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def documents_target(project) -> dict:
    """Where the documents step uploads (the project's documents tab) and its category."""
    from crm.documents.models import DocumentCategory

    try:
        url = reverse("documents:record", args=["project", project.pk])
    except NoReverseMatch:
        return {}
    category = DocumentCategory.objects.filter(active=True).order_by("pk").first()
    return {"documents_url": url, "document_category_pk": category.pk if category else None}


def api_tokens(users) -> dict:
    """An API token per role for the API pages, or none when this version has no API."""
    try:
        from crm.api.tokens import token_create
    except ImportError:
        return {}
    return {
        role: token_create(user=user, name="bench")[1]
        for role, user in users.items()
        if role != "admin"
    }


def export_select(queries) -> str | None:
    """The SELECT the export streams its rows from: on PostgreSQL, the query behind the
    server-side cursor (`DECLARE … CURSOR WITH HOLD FOR SELECT …`)."""
    for query in queries:
        head, found, select = query["sql"].partition(" CURSOR WITH HOLD FOR ")
        if found and head.lstrip().upper().startswith("DECLARE"):
            return select
    return None


def time_copy(select: str | None, repeats: int) -> dict | None:
    """PostgreSQL's COPY of the export's own SELECT (same columns, joins, filters and
    order) to STDOUT as CSV, through psycopg 3's copy API: the baseline of how fast the
    rows can leave the database at all. None on SQLite or without an export."""
    if select is None or connection.vendor != "postgresql":
        return None
    timings, rows = [], 0
    with connection.cursor() as cursor:
        for _ in range(max(1, repeats)):
            start = time.perf_counter()
            size = 0
            with cursor.cursor.copy(
                f"COPY ({select}) TO STDOUT (FORMAT csv, DELIMITER ';', HEADER)"
            ) as copy:
                for data in copy:
                    size += len(data)
            timings.append(time.perf_counter() - start)
        cursor.execute(f"SELECT COUNT(*) FROM ({select}) AS exported")
        rows = cursor.fetchone()[0]
    seconds = statistics.median(timings)
    return {"rows": rows, "ms": seconds * 1000, "rows_per_s": rows / max(seconds, 1e-6)}


class Command(BaseCommand):
    help = "Internal to `manage.py bench`: query counts, raw SQL timing and session cookies."

    def add_arguments(self, parser):
        parser.add_argument("--sql-repeats", type=int, default=20)
        parser.add_argument("--copy-repeats", type=int, default=3)

    def handle(self, *args, **options):
        users = {role: User.objects.get(username=name) for role, name in BENCH_USERS.items()}
        coach = users["coach"]
        coach_project = Project.objects.visible_to(coach).order_by("pk").first()
        # An order the coach sees is one every role sees (officers and managers see all).
        order = (
            PurchaseOrder.objects.filter(contract__in=Contract.objects.visible_to(coach))
            .order_by("pk")
            .first()
        )
        meeting_projects = (
            Project.objects.visible_to(coach).current().filter(coach=coach).order_by("pk")
        )
        result = {
            "projects": Project.objects.count(),
            "project_pk": coach_project.pk,
            "order_pk": order.pk if order else None,
            "meeting_project_pks": list(
                meeting_projects.values_list("pk", flat=True)[:MEETING_PROJECTS]
            ),
            "export_rows": None,
            "cookies": {role: session_cookie(user) for role, user in users.items()},
            "tokens": api_tokens(users),
            **documents_target(coach_project),
            "queries": {},
            "urls": {},
        }
        client = Client(HTTP_HOST="127.0.0.1")
        list_sql, export_sql = [], None
        next_urls = {}
        for page in PAGES:
            url = page_url(page, coach_project.pk, result["order_pk"])
            if url is None or (page.api and not result["tokens"]):
                continue
            if page.next_of:
                url = next_urls.get(page.next_of)
                if url is None:
                    continue
            result["urls"][page.key] = url
            for role in page.roles:
                client.force_login(users[role])
                key = f"{page.key}:{role}"
                if page.api:
                    client.logout()
                    client.defaults["HTTP_AUTHORIZATION"] = f"Token {result['tokens'][role]}"
                if page.key == "dashboard":
                    # The first request, on an empty cache (officers and managers share
                    # theirs), computes the figures: the cache-off page's count. The
                    # second is what a cached request costs.
                    cache.clear()
                captured, response, body = self.get(client, url)
                if page.key == "dashboard":
                    result["queries"][f"{DASHBOARD_COMPUTED.key}:{role}"] = {
                        "count": len(captured.captured_queries),
                        "status": response.status_code,
                    }
                    captured, response, body = self.get(client, url)
                result["queries"][key] = {
                    "count": len(captured.captured_queries),
                    "status": response.status_code,
                }
                client.defaults.pop("HTTP_AUTHORIZATION", None)
                if page.api and role == "officer" and response.status_code == 200:
                    # The same cursor for every role: a page further into the officer's list.
                    link = json.loads(body).get("next")
                    if link:
                        parts = urlsplit(link)
                        next_urls[page.key] = f"{parts.path}?{parts.query}"
                if page.key == "projects" and role == "officer":
                    list_sql = [q["sql"] for q in captured.captured_queries]
                if page.key == "export_csv":
                    export_sql = export_select(captured.captured_queries)
                    # Rows exported (both formats export the same rows): for rows/s.
                    records = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
                    result["export_rows"] = max(0, sum(1 for _ in records) - 1)
        # The raw SQL our list page needs, minus session/user look-ups, timed on the database.
        # (Only plain SELECTs: a server-side cursor's DECLARE cannot be replayed as is.)
        data_sql = [
            sql
            for sql in list_sql
            if "django_session" not in sql and sql.lstrip().upper().startswith("SELECT")
        ]
        timings = []
        with connection.cursor() as cursor:
            for _ in range(options["sql_repeats"]):
                start = time.perf_counter()
                for sql in data_sql:
                    cursor.execute(sql)
                    cursor.fetchall()
                timings.append((time.perf_counter() - start) * 1000)
        result["raw_sql_ms"] = statistics.median(timings) if timings else None
        result["raw_sql_queries"] = len(data_sql)
        result["copy"] = time_copy(export_sql, options["copy_repeats"])
        self.stdout.write(json.dumps(result))

    @staticmethod
    def get(client, url):
        """GET url, reading a streamed body inside the capture: an export's queries run
        while it streams. The dashboard computes its figures on one connection here, so
        that every query is counted (on PostgreSQL it otherwise spreads them over three)."""
        with (
            override_settings(REPORTS_PARALLEL_QUERIES=False),
            CaptureQueriesContext(connection) as captured,
        ):
            response = client.get(url, secure=True)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        return captured, response, body
