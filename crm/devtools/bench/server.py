"""gunicorn on a free loopback port and the HTTP client that times its pages."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import CommandError

from crm.devtools.bench.environment import ROOT


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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

    def request(
        self, method: str, path: str, cookie: str = "", token: str = ""
    ) -> tuple[int, float, int]:
        """A page as a signed-in browser (session cookie) or an API client (token)."""
        headers = {"Authorization": f"Token {token}"} if token else None
        reply = self.send(method, path, {"sessionid": cookie} if cookie else {}, headers=headers)
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
