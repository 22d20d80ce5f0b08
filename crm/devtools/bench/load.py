"""The load step: concurrent users reading the everyday pages and logging meetings."""

import random
import re
import statistics
import threading
import time
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from crm.devtools.bench.pages import PAGES
from crm.devtools.bench.server import Server, percentile
from followups.models import MeetingFormat, MeetingMode, NoteVisibility, TimeKind

# In the load step, the share of iterations where a user logs a meeting instead of reading.
WRITE_SHARE = 0.2
WRITER_ROLES = ("officer", "coach")
# Users arrive over this many seconds when they do not pause (the ceiling run); with pauses,
# over one longest pause.
LOAD_RAMP_UP_SECONDS = 2.0


def load_step(server: Server, probe: dict, options, think: float) -> dict:
    """Bounded load on loopback: N users each reading the everyday pages at random and,
    about one iteration in five, logging a meeting through the real form (as the officer
    or the coach, on one of the coach's projects), pausing between actions as a person
    does (`think` seconds on average; 0: no pause, the server's ceiling).

    Users arrive as Locust spawns them, spread over a ramp-up (each starts at a random
    point of a first pause), and only the requests started after the ramp-up are
    counted, for --load-seconds: the figures are the sustained rate and latency, not the
    first instant when all N users would otherwise click together."""
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
                done = log_meeting(server, *rng.choice(writes))
            else:
                done = [read(server, *rng.choice(reads))]
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
    by_kind = {kind: [ms for k, ms, _failed in outcomes if k == kind] for kind in ("read", "write")}
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


def read(server: Server, url: str, cookie: str) -> tuple[str, float, bool]:
    try:
        status, elapsed, _ = server.request("GET", url, cookie)
    except OSError:
        return "read", 0.0, True
    return "read", elapsed, status >= 400


def log_meeting(server: Server, url: str, cookie: str) -> list[tuple[str, float, bool]]:
    """GET the meeting form (a read), then POST its minimal valid fields (a write) with
    the form's CSRF token and cookie and a same-origin Origin/Referer, as a browser
    would. Success is the redirect to the new meeting; a 200 is the form shown again
    with errors, so it counts as an error."""
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
