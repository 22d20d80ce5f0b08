"""EXPLAIN ANALYZE every query a benchmarked page runs, as one role, on the current
database (PostgreSQL): how we prove a fix in docs/benchmarks.md.

    DATABASE_URL=postgres://…/crm_bench_s1000 DEBUG=1 ALLOWED_HOSTS=127.0.0.1 \\
        manage.py bench_explain board --role coach

The dashboard caches its figures: `bench_explain dashboard --cold` turns that cache off
(REPORTS_CACHE_SECONDS=0) so the measured request computes every figure.
"""

import re
import time
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from crm.devtools.bench.pages import PAGES, page_url
from crm.models import Project, User


def _rows(plan_line: str) -> int:
    """The actual row count of a plan line ("… (actual time=… rows=123 loops=1)")."""
    actual = plan_line.rsplit("actual", 1)[-1]
    try:
        return int(actual.split("rows=")[1].split()[0])
    except (IndexError, ValueError):
        return 0


SERVER_CURSOR = re.compile(r"^\s*DECLARE\s+\S+\s+NO SCROLL CURSOR WITH(OUT)? HOLD FOR\s+", re.I)


class Command(BaseCommand):
    help = (
        "EXPLAIN ANALYZE the queries of one benchmarked page "
        "(see crm/devtools/bench/pages.py PAGES)."
    )

    def add_arguments(self, parser):
        parser.add_argument("page", help="A page key: " + ", ".join(p.key for p in PAGES))
        parser.add_argument("--role", default="officer")
        parser.add_argument(
            "--plans", action="store_true", help="Print each plan, not only its timing."
        )
        parser.add_argument(
            "--cold",
            action="store_true",
            help="Turn the dashboard's figure cache off: measure the full computation.",
        )
        parser.add_argument(
            "--min-ms", type=float, default=1.0, help="Print only queries slower than this."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_explain needs PostgreSQL.")
        page = next((p for p in PAGES if p.key == options["page"]), None)
        if page is None:
            raise CommandError(f"Unknown page {options['page']!r}.")
        user = User.objects.get(username=options["role"])
        project = Project.objects.visible_to(user).order_by("pk").first()
        url = page_url(page, project.pk if project else None)
        if url is None:
            raise CommandError(f"The route of {page.key!r} does not exist in this version.")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        cold = override_settings(REPORTS_CACHE_SECONDS=0) if options["cold"] else nullcontext()
        with cold:
            self._measure(client, url, options)

    def _measure(self, client, url, options):
        client.get(url, secure=True)  # warm the caches
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, secure=True)
            size = (
                sum(len(chunk) for chunk in response)
                if response.streaming
                else len(response.content)
            )
            elapsed = (time.perf_counter() - started) * 1000
        self.stdout.write(
            f"{url} as {options['role']}: HTTP {response.status_code}, "
            f"{len(captured.captured_queries)} queries, {size // 1024} KB, "
            f"{elapsed:.0f} ms in-process"
        )
        total = 0.0
        with connection.cursor() as cursor:
            for number, query in enumerate(captured.captured_queries, start=1):
                # A select's iterator() runs as a server-side cursor: explain its SELECT.
                sql = SERVER_CURSOR.sub("", query["sql"])
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
                ms = float(plan[-1].split(":")[1].split()[0])
                total += ms
                # Sequential scans of small tables (roles, communes) are the right plan.
                seq = [line.strip() for line in plan if "Seq Scan" in line and _rows(line) > 1000]
                if ms < options["min_ms"] and not seq:
                    continue
                self.stdout.write(f"\n#{number} {ms:.1f} ms  {sql[:160]}…")
                for line in seq:
                    self.stdout.write(f"   {line}")
                if options["plans"]:
                    self.stdout.write("\n".join(f"   {line}" for line in plan))
        self.stdout.write(f"\nTotal execution time of the SELECTs: {total:.1f} ms")
