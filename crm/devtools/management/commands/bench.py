"""`make bench`: seed PostgreSQL at several scales, serve the app with gunicorn in production
settings, and measure each page from a separate process (see docs/benchmarks.md)."""

import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from crm.devtools.bench_report import NOTES_MARKER, report

ROOT = Path(settings.BASE_DIR)
# In the load step, the share of iterations where a user logs a meeting instead of reading.
WRITE_SHARE = 0.2
WRITER_ROLES = ("officer", "coach")
# Users arrive over this many seconds when they do not pause (the ceiling run); with pauses,
# over one longest pause.
LOAD_RAMP_UP_SECONDS = 2.0
IMPORTED = re.compile(
    r"Imported: (?P<new>\d+) new, (?P<updated>\d+) updated, (?P<unchanged>\d+) unchanged, "
    r"(?P<refused>\d+) refused \(of (?P<total>\d+) rows\) in (?P<seconds>[\d.]+) s"
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def copy_database(url: str, suffix: str) -> str:
    """A throwaway copy of the database at url (PostgreSQL: CREATE DATABASE ... TEMPLATE,
    which needs no open connection to the source; SQLite: the file). Returns its URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        source = Path(parts.path)
        target = source.with_name(f"{source.stem}{suffix}{source.suffix}")
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    import psycopg

    name = parts.path.lstrip("/")
    copy = f"{name}{suffix}"
    admin_url = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        # gunicorn's workers may take a moment to close their connections after it stops.
        for attempt in range(10):
            try:
                connection.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 9:
                    raise
                time.sleep(1)
    return urlunsplit(parts._replace(path=f"/{copy}"))


def drop_database(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        Path(parts.path).unlink(missing_ok=True)
        return
    import psycopg

    admin_url = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')


@dataclass
class Reply:
    status: int
    ms: float
    size: int
    body: bytes = b""
    cookies: dict = field(default_factory=dict)


class Server:
    """gunicorn with sync workers on a free loopback port."""

    def __init__(self, env: dict, workers: int):
        self.port = free_port()
        # The workers' warnings and tracebacks go to var/bench/, not between the results.
        self.log_path = Path(env["VAR_DIR"]) / "gunicorn.log"
        self.log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "crm.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.request("GET", "/accounts/login/")
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise CommandError(f"gunicorn did not start (see {self.log_path})")

    def request(self, method: str, path: str, cookie: str = "") -> tuple[int, float, int]:
        reply = self.send(method, path, {"sessionid": cookie} if cookie else {})
        return reply.status, reply.ms, reply.size

    def send(
        self,
        method: str,
        path: str,
        cookies: dict,
        body: bytes | None = None,
        headers: dict | None = None,
        keep_body: bool = False,
    ) -> Reply:
        """One request as a browser behind the TLS proxy would send it. The body is read to
        the end (timing includes it) but kept only when asked: exports are large."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
        if cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        start = time.perf_counter()
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        size, kept = 0, []
        while chunk := response.read(65536):
            size += len(chunk)
            if keep_body:
                kept.append(chunk)
        elapsed = (time.perf_counter() - start) * 1000
        set_cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            set_cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return Reply(response.status, elapsed, size, b"".join(kept), set_cookies)

    def worker_pids(self) -> list[int]:
        pids = []
        for child in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            pids += [int(pid) for pid in child.read_text().split()]
        return pids

    def reset_peaks(self) -> None:
        """Reset each worker's peak resident memory (VmHWM), so that the next reading is
        the peak of what ran in between (Linux: "5" in /proc/<pid>/clear_refs)."""
        for pid in self.worker_pids():
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                pass  # not Linux, or the worker just exited: the peak then covers more

    def worker_peak_rss_mb(self) -> float:
        """The largest peak resident memory (VmHWM) among the workers."""
        peaks = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=0.0)

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        self.log.close()


class Command(BaseCommand):
    help = "Benchmark the CRM at several scales on PostgreSQL and write docs/benchmarks.md."

    def add_arguments(self, parser):
        parser.add_argument("--scales", default="1,100,1000")
        parser.add_argument(
            "--database-url",
            default=os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm_bench"
            ),
            help="Base URL; each scale uses its own database (name suffixed with _s<scale>).",
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=30,
            help="Timed requests per page and role; heavy pages (exports, reports) take "
            "fewer of their own (crm/devtools/bench.py), never more than this.",
        )
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--load-users", type=int, default=50)
        parser.add_argument("--load-seconds", type=int, default=20)
        parser.add_argument(
            "--think-seconds",
            type=float,
            default=3.0,
            help="Mean pause of a load-step user between two actions, drawn uniformly from a "
            "third to five thirds of it (3: 1 to 5 s, Locust's between(1, 5)). A second load "
            "step without pauses measures the most the server sustains.",
        )
        parser.add_argument(
            "--import-rows",
            type=int,
            default=10_000,
            help="New projects in the generated CSV imported (into a throwaway copy of the "
            "database) with import_data; 0 skips the import.",
        )
        parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))

    def handle(self, *args, **options):
        scales = [int(s) for s in options["scales"].split(",")]
        results = []
        for scale in scales:
            self.stdout.write(f"== scale {scale}")
            results.append(self.bench_scale(scale, options))
        output = Path(options["output"])
        # Hand-written notes below the marker survive a new run.
        notes = ""
        if output.exists() and NOTES_MARKER in output.read_text():
            notes = output.read_text().split(NOTES_MARKER, 1)[1]
        output.write_text(report(results, options) + "\n" + NOTES_MARKER + notes)
        self.stdout.write(f"Written {options['output']}")

    def scale_env(self, scale: int, options) -> dict:
        url = options["database_url"]
        parts = urlsplit(url)
        if parts.scheme.startswith("postgres"):
            url = urlunsplit(parts._replace(path=f"{parts.path}_s{scale}"))
            ensure_postgres_database(url)
        elif parts.scheme == "sqlite":
            path = Path(parts.path)
            url = f"sqlite:///{path.with_name(f'{path.stem}_s{scale}{path.suffix}')}"
        var_dir = ROOT / "var" / "bench"
        var_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(
            DATABASE_URL=url,
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            BEHIND_PROXY="1",
            VAR_DIR=str(var_dir),
            LOG_LEVEL="WARNING",
        )
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return env

    def manage(self, env: dict, *arguments: str) -> str:
        completed = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise CommandError(f"manage.py {' '.join(arguments)} failed:\n{completed.stderr}")
        return completed.stdout

    def bench_scale(self, scale: int, options) -> dict:
        from crm.devtools.bench import PAGES

        env = self.scale_env(scale, options)
        self.manage(env, "migrate", "--no-input", "-v", "0")
        started = time.perf_counter()
        self.manage(env, "seed_demo", "--force", "--scale", str(scale))
        seed_seconds = time.perf_counter() - started
        self.manage(env, "collectstatic", "--no-input", "-v", "0")
        probe = json.loads(self.manage(env, "bench_probe").strip().splitlines()[-1])
        self.stdout.write(
            f"   {probe['projects']} projects, seeded/topped up in {seed_seconds:.0f} s"
        )

        server = Server(env, options["workers"])
        try:
            pages = self.time_pages(server, probe, PAGES, options)
            server.reset_peaks()
            load = self.load(server, probe, options, think=options["think_seconds"])
            load["peak_mb"] = server.worker_peak_rss_mb()
            saturation = self.load(server, probe, options, think=0.0)
        finally:
            server.stop()
        pages += self.time_dashboard_computed(env, probe, options)
        # After every server has stopped: the import copies the database as a template.
        imported = self.bench_import_or_reason(env, options) if options["import_rows"] else None
        return {
            "scale": scale,
            "projects": probe["projects"],
            "seed_seconds": seed_seconds,
            "pages": pages,
            "raw_sql_ms": probe["raw_sql_ms"],
            "raw_sql_queries": probe["raw_sql_queries"],
            "load": load,
            "saturation": saturation,
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
        cookie = probe["cookies"][role]
        repeats = min(page.repeats or options["requests"], options["requests"])
        for _ in range(max(page.warmups, page.warmups_per_worker * options["workers"])):
            server.request("GET", url, cookie)
        # The peak of this page alone, warm-ups included (they build the same response).
        server.reset_peaks()
        timings, statuses = [], set()
        for _ in range(repeats):
            status, elapsed, _size = server.request("GET", url, cookie)
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
        return row

    def time_dashboard_computed(self, env: dict, probe: dict, options) -> list[dict]:
        """The dashboard with its figure cache off: a second, short-lived server started
        with REPORTS_CACHE_SECONDS=0, so that every request computes the figures."""
        from crm.devtools.bench import DASHBOARD_COMPUTED

        if "dashboard" not in probe["urls"]:
            return []
        computed = dict(probe, urls={DASHBOARD_COMPUTED.key: probe["urls"]["dashboard"]})
        server = Server({**env, "REPORTS_CACHE_SECONDS": "0"}, options["workers"])
        try:
            return self.time_pages(server, computed, [DASHBOARD_COMPUTED], options)
        finally:
            server.stop()

    def bench_import_or_reason(self, env: dict, options) -> dict:
        """The import's figures, or why it could not run (for example another session
        connected to the database, which CREATE DATABASE ... TEMPLATE refuses): the pages
        measured so far are worth keeping."""
        try:
            return self.bench_import(env, options)
        except Exception as error:  # noqa: BLE001 - reported, not hidden
            reason = " ".join(str(error).split())[:300]
            self.stderr.write(f"   import not measured: {reason}")
            return {"rows": options["import_rows"], "error": reason}

    def bench_import(self, env: dict, options) -> dict:
        """Import a generated CSV of new projects with import_data, as an officer, into a
        throwaway copy of the database, so that the seeded one stays as it was for the next
        runs (the copy is not timed)."""
        rows = options["import_rows"]
        csv_path = Path(env["VAR_DIR"]) / f"import-projects-{rows}.csv"
        self.manage(
            env, "import_data", str(csv_path), "--kind", "projects", "--generate", str(rows)
        )
        copy_url = copy_database(env["DATABASE_URL"], "_import")
        try:
            stdout, seconds, peak_mb = self.run_measured(
                {**env, "DATABASE_URL": copy_url},
                "import_data",
                str(csv_path),
                "--kind",
                "projects",
                "--user",
                "officer",
            )
        finally:
            drop_database(copy_url)
        counts = IMPORTED.search(stdout)
        if counts is None:
            raise CommandError(f"import_data said:\n{stdout}")
        result = {key: int(value) for key, value in counts.groupdict().items() if key != "seconds"}
        result.update(
            rows=rows,
            import_seconds=float(counts["seconds"]),
            seconds=seconds,
            # Throughput on the import's own time; the target (60 s) is judged on the wall
            # time, start-up included.
            rows_per_s=rows / max(float(counts["seconds"]), 0.1),
            peak_mb=peak_mb,
        )
        self.stdout.write(
            f"   import of {rows} projects: {result['new']} new, {result['refused']} refused, "
            f"{seconds:.1f} s (import itself {result['import_seconds']:.1f} s), "
            f"{result['rows_per_s']:.0f} rows/s, peak {peak_mb:.0f} MB"
        )
        return result

    def run_measured(self, env: dict, *arguments: str) -> tuple[str, float, float]:
        """Run manage.py; return its output, wall seconds (start-up included) and peak
        resident memory. wait4 gives this child's own peak, where getrusage(RUSAGE_CHILDREN)
        would give the largest of every child so far (the seeding included)."""
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, stdout=out, stderr=err
            )
            _pid, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            if process.returncode != 0:
                raise CommandError(
                    f"manage.py {' '.join(arguments)} failed:\n{err.read().decode()}"
                )
            # ru_maxrss is in kilobytes on Linux.
            return out.read().decode(), seconds, usage.ru_maxrss / 1024

    def load(self, server: Server, probe: dict, options, think: float) -> dict:
        """Bounded load on loopback: N users each reading the everyday pages at random and,
        about one iteration in five, logging a meeting through the real form (as the officer
        or the coach, on one of the coach's projects), pausing between actions as a person
        does (`think` seconds on average; 0: no pause, the server's ceiling).

        Users arrive as Locust spawns them, spread over a ramp-up (each starts at a random
        point of a first pause), and only the requests started after the ramp-up are
        counted, for --load-seconds: the figures are the sustained rate and latency, not the
        first instant when all N users would otherwise click together."""
        from crm.devtools.bench import PAGES

        reads = [
            (probe["urls"][p.key], probe["cookies"][role])
            for p in PAGES
            if p.key in probe["urls"] and p.in_load
            for role in p.roles
        ]
        writes = [
            (reverse("followups:meeting-create", args=[pk]), probe["cookies"][role])
            for pk in probe.get("meeting_project_pks", [])
            for role in WRITER_ROLES
        ]
        ramp_up = think * 5 / 3 if think else LOAD_RAMP_UP_SECONDS
        measured_from = time.monotonic() + ramp_up
        deadline = measured_from + options["load_seconds"]
        # Each outcome: (kind, milliseconds, failed); kind is "read" or "write".
        outcomes: list[tuple[str, float, bool]] = []
        lock = threading.Lock()

        def pause(seconds: float) -> None:
            time.sleep(max(0.0, min(seconds, deadline - time.monotonic())))

        def user(seed: int):
            rng = random.Random(seed)
            pause(rng.uniform(0, ramp_up))
            while time.monotonic() < deadline:
                counted = time.monotonic() >= measured_from
                if writes and rng.random() < WRITE_SHARE:
                    done = self.log_meeting(server, *rng.choice(writes))
                else:
                    done = [self.read(server, *rng.choice(reads))]
                if counted:
                    with lock:
                        outcomes.extend(done)
                if think:
                    pause(rng.uniform(think / 3, think * 5 / 3))

        threads = [threading.Thread(target=user, args=(i,)) for i in range(options["load_users"])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = max(time.monotonic() - measured_from, 0.001)
        latencies = [ms for _kind, ms, _failed in outcomes]
        by_kind = {
            kind: [ms for k, ms, _failed in outcomes if k == kind] for kind in ("read", "write")
        }
        return {
            "users": options["load_users"],
            "think": think,
            "ramp_up": ramp_up,
            "seconds": duration,
            "requests": len(outcomes),
            "reads": len(by_kind["read"]),
            "writes": len(by_kind["write"]),
            "meetings": sum(kind == "write" and not failed for kind, _ms, failed in outcomes),
            "rps": len(outcomes) / duration,
            "median": statistics.median(latencies) if latencies else 0,
            "p95": percentile(latencies, 0.95) if latencies else 0,
            "write_p95": percentile(by_kind["write"], 0.95) if by_kind["write"] else 0,
            "errors": sum(failed for _kind, _ms, failed in outcomes),
        }

    @staticmethod
    def read(server: Server, url: str, cookie: str) -> tuple[str, float, bool]:
        try:
            status, elapsed, _ = server.request("GET", url, cookie)
        except OSError:
            return "read", 0.0, True
        return "read", elapsed, status >= 400

    @staticmethod
    def log_meeting(server: Server, url: str, cookie: str) -> list[tuple[str, float, bool]]:
        """GET the meeting form (a read), then POST its minimal valid fields (a write) with
        the form's CSRF token and cookie and a same-origin Origin/Referer, as a browser
        would. Success is the redirect to the new meeting; a 200 is the form shown again
        with errors, so it counts as an error."""
        from followups.models import MeetingFormat, MeetingMode, NoteVisibility, TimeKind

        cookies = {"sessionid": cookie}
        try:
            form = server.send("GET", url, cookies, keep_body=True)
        except OSError:
            return [("read", 0.0, True)]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        done = [("read", form.ms, form.status >= 400 or token is None)]
        if done[0][2]:
            return done
        fields = {
            "csrfmiddlewaretoken": token[1].decode(),
            "start": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "format": MeetingFormat.INDIVIDUAL,
            "mode": MeetingMode.IN_PERSON,
            "time_kind": TimeKind.INDIVIDUAL,
            "note_visibility": NoteVisibility.PROVIDER,
            "summary": "Point d'étape (bench)",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
        }
        # The Host header is 127.0.0.1 (no port): the CSRF origin check compares with it.
        origin = "https://127.0.0.1"
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + url,
        }
        if "csrftoken" in form.cookies:
            cookies["csrftoken"] = form.cookies["csrftoken"]
        try:
            posted = server.send("POST", url, cookies, urlencode(fields).encode(), headers)
        except OSError:
            return [*done, ("write", 0.0, True)]
        return [*done, ("write", posted.ms, posted.status != 302)]
