"""`make bench`: seed PostgreSQL at several scales, serve the app with gunicorn in production
settings, and measure each page from a separate process (see docs/benchmarks.md)."""

import http.client
import json
import os
import platform
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(settings.BASE_DIR)
NOTES_MARKER = "<!-- notes: kept by make bench -->"


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


def result_engine(options) -> str:
    scheme = urlsplit(options["database_url"]).scheme
    return "PostgreSQL" if scheme.startswith("postgres") else "SQLite"


class Server:
    """gunicorn with sync workers on a free loopback port."""

    def __init__(self, env: dict, workers: int):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "crm.wsgi:application",
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
        raise CommandError("gunicorn did not start")

    def request(self, method: str, path: str, cookie: str = "") -> tuple[int, float, int]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if cookie:
            headers["Cookie"] = f"sessionid={cookie}"
        start = time.perf_counter()
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        elapsed = (time.perf_counter() - start) * 1000
        connection.close()
        return response.status, elapsed, size

    def worker_peak_rss_mb(self) -> float:
        """The largest peak resident memory (VmHWM) among the workers."""
        peaks = []
        for child in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            for pid in child.read_text().split():
                status = Path(f"/proc/{pid}/status")
                if status.exists():
                    for line in status.read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=0.0)

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass


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
        parser.add_argument("--requests", type=int, default=30, help="Timed requests per page.")
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--load-users", type=int, default=50)
        parser.add_argument("--load-seconds", type=int, default=20)
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
        output.write_text(self.report(results, options) + "\n" + NOTES_MARKER + notes)
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
            pages = self.time_pages(server, probe, options["requests"])
            load = self.load(server, probe, options)
            peak = server.worker_peak_rss_mb()
        finally:
            server.stop()
        return {
            "scale": scale,
            "projects": probe["projects"],
            "seed_seconds": seed_seconds,
            "pages": pages,
            "raw_sql_ms": probe["raw_sql_ms"],
            "raw_sql_queries": probe["raw_sql_queries"],
            "load": load,
            "worker_peak_mb": peak,
        }

    def time_pages(self, server: Server, probe: dict, repeats: int) -> list[dict]:
        from crm.bench import PAGES

        rows = []
        for page in PAGES:
            url = probe["urls"].get(page.key)
            if url is None:
                continue
            for role in page.roles:
                cookie = probe["cookies"][role]
                for _ in range(2):  # warm-up
                    server.request("GET", url, cookie)
                timings, statuses = [], set()
                for _ in range(repeats):
                    status, elapsed, _size = server.request("GET", url, cookie)
                    timings.append(elapsed)
                    statuses.add(status)
                rows.append(
                    {
                        "key": page.key,
                        "label": page.label,
                        "role": role,
                        "median": statistics.median(timings),
                        "p95": percentile(timings, 0.95),
                        "queries": probe["queries"][f"{page.key}:{role}"]["count"],
                        "status": ",".join(str(s) for s in sorted(statuses)),
                    }
                )
                self.stdout.write(
                    f"   {page.label:<38} {role:<8} median {rows[-1]['median']:7.1f} ms  "
                    f"p95 {rows[-1]['p95']:7.1f} ms  {rows[-1]['queries']} queries"
                )
        return rows

    def load(self, server: Server, probe: dict, options) -> dict:
        """Bounded load on loopback: N threads mixing the read pages for T seconds."""
        from crm.bench import PAGES

        targets = [
            (probe["urls"][p.key], probe["cookies"][role])
            for p in PAGES
            if p.key in probe["urls"] and not p.key.startswith("admin")
            for role in p.roles
        ]
        deadline = time.monotonic() + options["load_seconds"]
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()

        def user(seed: int):
            rng = random.Random(seed)
            while time.monotonic() < deadline:
                url, cookie = rng.choice(targets)
                try:
                    status, elapsed, _ = server.request("GET", url, cookie)
                    failed = status >= 400
                except OSError:
                    elapsed, failed = 0.0, True
                with lock:
                    latencies.append(elapsed)
                    errors[0] += failed

        threads = [threading.Thread(target=user, args=(i,)) for i in range(options["load_users"])]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.perf_counter() - started
        return {
            "users": options["load_users"],
            "seconds": duration,
            "requests": len(latencies),
            "rps": len(latencies) / duration,
            "p95": percentile(latencies, 0.95) if latencies else 0,
            "errors": errors[0],
        }

    def report(self, results: list[dict], options) -> str:
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
        command = (
            f"make bench  (manage.py bench --scales {options['scales']} --requests "
            f"{options['requests']} --workers {options['workers']} --load-users "
            f"{options['load_users']} --load-seconds {options['load_seconds']})"
        )
        lines = [
            "# Benchmarks",
            "",
            f"Command: `{command}`",
            "",
            f"Machine: {os.cpu_count()} cores ({cpu}), {memory_kb // 1024 // 1024} GiB of memory, "
            f"Python {platform.python_version()}, {result_engine(options)} on loopback, gunicorn "
            f"{options['workers']} sync workers, DEBUG off. Latencies are measured by a "
            "separate client process over HTTP; query counts by the same requests made "
            "in-process on the same database.",
            "",
        ]
        for result in results:
            lines += [
                f"## Scale {result['scale']}: {result['projects']:,} projects".replace(",", " "),
                "",
                f"Seeding (or checking an existing seed): {result['seed_seconds']:.0f} s. "
                f"Worker peak memory (VmHWM): {result['worker_peak_mb']:.0f} MB.",
                "",
                "| page | role | median ms | p95 ms | queries | status |",
                "|---|---|---:|---:|---:|---|",
            ]
            for row in result["pages"]:
                lines.append(
                    f"| {row['label']} | {row['role']} | {row['median']:.1f} | {row['p95']:.1f} "
                    f"| {row['queries']} | {row['status']} |"
                )
            ours = next(
                (r for r in result["pages"] if r["key"] == "projects" and r["role"] == "officer"),
                None,
            )
            admin = next((r for r in result["pages"] if r["key"] == "admin_projects"), None)
            lines.append("")
            if ours and admin:
                ratio = ours["median"] / admin["median"]
                lines.append(
                    f"Project list vs the Django admin changelist: {ratio:.2f}× "
                    f"(median {ours['median']:.1f} ms vs {admin['median']:.1f} ms)."
                )
            if ours and result["raw_sql_ms"]:
                ratio = ours["median"] / result["raw_sql_ms"]
                lines.append(
                    f"Project list vs its raw SQL ({result['raw_sql_queries']} queries timed on "
                    f"the database: {result['raw_sql_ms']:.1f} ms): {ratio:.1f}×."
                )
            load = result["load"]
            lines += [
                "",
                f"Load: {load['users']} concurrent users for {load['seconds']:.0f} s mixing the "
                f"pages above: {load['requests']} requests, {load['rps']:.1f} requests/s, p95 "
                f"{load['p95']:.0f} ms, {load['errors']} errors.",
                "",
            ]
        if len(results) > 1:
            first, last = results[0], results[-1]
            lines += [
                f"## Growth from scale {first['scale']} to {last['scale']}",
                "",
                "| page | role | median ms (first) | median ms (last) | ratio | queries |",
                "|---|---|---:|---:|---:|---|",
            ]
            before = {(r["key"], r["role"]): r for r in first["pages"]}
            for row in last["pages"]:
                old = before.get((row["key"], row["role"]))
                if old:
                    ratio = row["median"] / old["median"]
                    lines.append(
                        f"| {row['label']} | {row['role']} | {old['median']:.1f} "
                        f"| {row['median']:.1f} | {ratio:.2f} "
                        f"| {old['queries']} → {row['queries']} |"
                    )
            lines.append("")
        return "\n".join(lines)
