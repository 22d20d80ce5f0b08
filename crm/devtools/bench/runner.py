"""The bench run: each scale seeded, probed, served and measured, then the report written."""

import json
import statistics
import time
from pathlib import Path

from django.utils import timezone

from crm.devtools.bench.documents import documents_step
from crm.devtools.bench.environment import manage, scale_env
from crm.devtools.bench.import_timing import bench_import_or_reason
from crm.devtools.bench.load import load_step
from crm.devtools.bench.pages import DASHBOARD_COMPUTED, PAGES
from crm.devtools.bench.report import report
from crm.devtools.bench.server import Server, percentile
from crm.devtools.bench.weight import page_weight


class BenchRun:
    """One `manage.py bench`: its options' scales measured in turn, progress on stdout."""

    def __init__(self, stdout, stderr):
        self.stdout = stdout
        self.stderr = stderr
        # Gzipped sizes of the static files pages link, by URL (the same for every page).
        self.asset_sizes: dict[str, int] = {}

    def run(self, options) -> None:
        scales = [int(s) for s in options["scales"].split(",")]
        started = timezone.now()
        results = []
        for scale in scales:
            self.stdout.write(f"== scale {scale}")
            results.append(self.bench_scale(scale, options))
        # The whole file is this run's: what earlier runs showed is in its git history.
        text = report(results, options, started=started, finished=timezone.now())
        Path(options["output"]).write_text(text.rstrip("\n") + "\n")
        self.stdout.write(f"Written {options['output']}")

    def bench_scale(self, scale: int, options) -> dict:
        env = scale_env(scale, options)
        manage(env, "migrate", "--no-input", "-v", "0")
        started = time.perf_counter()
        manage(env, "seed_demo", "--force", "--scale", str(scale))
        seed_seconds = time.perf_counter() - started
        manage(env, "collectstatic", "--no-input", "-v", "0")
        probe = json.loads(manage(env, "bench_probe").strip().splitlines()[-1])
        self.stdout.write(
            f"   {probe['projects']} projects, seeded/topped up in {seed_seconds:.0f} s"
        )

        server = Server(env, options["workers"])
        try:
            pages = self.time_pages(server, probe, PAGES, options)
            server.reset_peaks()
            load = load_step(server, probe, options, think=options["think_seconds"])
            load["peak_mb"] = server.worker_peak_rss_mb()
            saturation = load_step(server, probe, options, think=0.0)
            documents = documents_step(server, probe)
        finally:
            server.stop()
        pages += self.time_dashboard_computed(env, probe, options)
        # After every server has stopped: the import copies the database as a template.
        imported = (
            bench_import_or_reason(env, options, self.stdout, self.stderr)
            if options["import_rows"]
            else None
        )
        return {
            "scale": scale,
            "projects": probe["projects"],
            "seed_seconds": seed_seconds,
            "pages": pages,
            "raw_sql_ms": probe["raw_sql_ms"],
            "raw_sql_queries": probe["raw_sql_queries"],
            "load": load,
            "saturation": saturation,
            "documents": documents,
            "import": imported,
            # Peaks are reset before each page and the load step: the overall peak is theirs.
            "worker_peak_mb": max([r["peak_mb"] for r in pages] + [load["peak_mb"]]),
        }

    def time_pages(self, server: Server, probe: dict, pages, options) -> list[dict]:
        rows = []
        for page in pages:
            url = probe["urls"].get(page.key)
            if url is None:
                continue
            for role in page.roles:
                row = self.time_page(server, page, url, role, probe, options)
                rows.append(row)
                rate = f"  {row['rows_per_s']:,.0f} rows/s" if row.get("rows_per_s") else ""
                self.stdout.write(
                    f"   {page.label:<42} {role:<8} median {row['median']:7.1f} ms  "
                    f"p95 {row['p95']:7.1f} ms  {row['queries']} queries  "
                    f"peak {row['peak_mb']:.0f} MB{rate}"
                )
        return rows

    def time_page(self, server: Server, page, url: str, role: str, probe, options) -> dict:
        cookie, token = probe["cookies"][role], ""
        if page.api:
            cookie, token = "", probe["tokens"][role]
        repeats = min(page.repeats or options["requests"], options["requests"])
        for _ in range(max(page.warmups, page.warmups_per_worker * options["workers"])):
            server.request("GET", url, cookie, token)
        # The peak of this page alone, warm-ups included (they build the same response).
        server.reset_peaks()
        timings, statuses = [], set()
        for _ in range(repeats):
            status, elapsed, _size = server.request("GET", url, cookie, token)
            timings.append(elapsed)
            statuses.add(status)
        median = statistics.median(timings)
        row = {
            "key": page.key,
            "label": page.label,
            "role": role,
            "requests": repeats,
            "median": median,
            "p95": percentile(timings, 0.95),
            "queries": probe["queries"][f"{page.key}:{role}"]["count"],
            "status": ",".join(str(s) for s in sorted(statuses)),
            "peak_mb": server.worker_peak_rss_mb(),
        }
        if page.counts_rows and probe.get("export_rows"):
            row["rows"] = probe["export_rows"]
            row["rows_per_s"] = probe["export_rows"] / (median / 1000)
            if probe.get("copy"):
                # PostgreSQL's COPY of the export's own SELECT (bench_probe): the baseline.
                row["copy_rows_per_s"] = probe["copy"]["rows_per_s"]
        if page.repeats is None:
            row["weight_kb"] = self.weigh(server, url, cookie)
        return row

    def weigh(self, server: Server, url: str, cookie: str) -> float | None:
        """The page's HTML plus its linked CSS and JavaScript, gzipped, in KB."""
        reply = server.send("GET", url, {"sessionid": cookie}, keep_body=True)
        if reply.status != 200:
            return None

        def fetch(asset: str) -> bytes:
            return server.send("GET", asset, {}, keep_body=True).body

        return page_weight(reply.body, fetch, self.asset_sizes).total_kb

    def time_dashboard_computed(self, env: dict, probe: dict, options) -> list[dict]:
        """The dashboard with its figure cache off: a second, short-lived server started
        with REPORTS_CACHE_SECONDS=0, so that every request computes the figures."""
        if "dashboard" not in probe["urls"]:
            return []
        computed = dict(probe, urls={DASHBOARD_COMPUTED.key: probe["urls"]["dashboard"]})
        server = Server({**env, "REPORTS_CACHE_SECONDS": "0"}, options["workers"])
        try:
            return self.time_pages(server, computed, [DASHBOARD_COMPUTED], options)
        finally:
            server.stop()
