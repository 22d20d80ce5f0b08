"""Two app servers over one PostgreSQL and one Redis, as behind a load balancer.

Two gunicorn instances on two ports share the database (sessions, login attempts, the task
queue) and the cache (the public form's rate limit and single-use tokens, the dashboard's
figures): what one server knows, the other knows. Two db_workers share the task queue and
never run the same task twice (django-tasks-db claims each row under SELECT … FOR UPDATE
SKIP LOCKED). PostgreSQL and Redis only: skipped otherwise, unless REQUIRE_REDIS=1 with a
PostgreSQL DATABASE_URL (CI), where a missing Redis fails."""

import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from collections import Counter
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from django.conf import settings

from crm.devtools.bench.environment import ROOT, drop_database, ensure_postgres_database
from crm.devtools.bench.server import Server
from tests.conftest import REDIS_URL
from tests.crm.forms_html import form_fields, select_values

pytestmark = pytest.mark.slow

PASSWORD = "deux-serveurs-mot-de-passe"
ORIGIN = "https://127.0.0.1"  # the Host header the bench client sends, behind "TLS"
SETUP = f"""
from crm.projects.reference import load_reference_data
load_reference_data()
from tests.factories import CoachFactory, OfficerFactory, ProjectFactory
officer = OfficerFactory(username="officer", password={PASSWORD!r})
OfficerFactory(username="locked", password={PASSWORD!r})
ProjectFactory(name="Projet des deux serveurs", officer=officer, coach=CoachFactory())
"""


def _database_url() -> str:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("two app servers share a PostgreSQL database (DATABASE_URL=postgres://…)")
    url = os.environ["DATABASE_URL"]
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_two_servers_{os.getpid()}"
    return urlunsplit(parts._replace(path=f"/{name}", query="pool=0"))


def _redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        reason = f"Redis not reachable at {REDIS_URL} ({error})"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but {reason}")
        pytest.skip(reason)
    return client


def _manage(env, *arguments, **kwargs):
    completed = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


def _create_from_test_database(url: str) -> None:
    """A copy of this test process's migrated database (CREATE DATABASE … TEMPLATE: a
    second, where migrating from scratch takes a minute); an empty one if the test
    database is in use by another connection (migrate then builds everything)."""
    import psycopg
    from django.db import connections

    template = settings.DATABASES["default"]["NAME"]
    connections.close_all()
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres", query=""))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        try:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        except psycopg.errors.ObjectInUse:
            ensure_postgres_database(url)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, django_db_setup, django_db_blocker):
    """Two servers (one gunicorn worker each) and what they share."""
    database_url = _database_url()
    redis_client = _redis_client()
    prefix = f"crm-two-servers-{uuid.uuid4().hex[:12]}"
    var_dir = tmp_path_factory.mktemp("two-servers")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CACHE_URL": f"{REDIS_URL}?key_prefix={prefix}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "BEHIND_PROXY": "1",
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "database",
        "AXES_FAILURE_LIMIT": "3",
        "REGISTRATION_RATE_LIMIT": "2",
        "REGISTRATION_MIN_SECONDS": "0",
        "REPORTS_CACHE_SECONDS": "300",
        "HEALTH_TASK_MAX_AGE_SECONDS": "1",
        "TWO_WORKERS_LOG": str(var_dir / "tasks.log"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    drop_database(database_url)
    with django_db_blocker.unblock():
        _create_from_test_database(database_url)
    servers = []
    try:
        # The copy has the project's tables; this adds the task queue's (TASKS_BACKEND).
        _manage(env, "migrate", "--no-input")
        _manage(env, "shell", "-c", SETUP)
        _manage(env, "collectstatic", "--no-input", "-v", "0")
        servers = [Server(env, workers=1), Server(env, workers=1)]
        yield {"servers": servers, "env": env, "redis": redis_client, "prefix": prefix}
    finally:
        for server in servers:
            server.stop()
        for key in redis_client.scan_iter(f"{prefix}:*"):
            redis_client.delete(key)
        redis_client.close()
        drop_database(database_url)


class Browser:
    """One browser's cookies, sent to whichever server the load balancer picks."""

    def __init__(self, address="198.51.100.7"):
        self.cookies: dict[str, str] = {}
        self.address = address

    def get(self, server, path):
        headers = {"X-Forwarded-For": self.address}
        reply = server.send("GET", path, dict(self.cookies), headers=headers, keep_body=True)
        self.cookies.update(reply.cookies)
        return reply

    def post(self, server, path, fields):
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": ORIGIN,
            "Referer": ORIGIN + path,
            "X-Forwarded-For": self.address,
        }
        body = urlencode(fields).encode()
        reply = server.send("POST", path, dict(self.cookies), body, headers, keep_body=True)
        self.cookies.update(reply.cookies)
        return reply

    def submit(self, server, path, changes=None, form_id=None):
        """GET the form at `path`, change some fields, POST it back to the same server."""
        page = self.get(server, path)
        assert page.status == 200, page.body[:500]
        fields = dict(form_fields(page.body.decode(), form_id))
        fields.update(changes or {})
        return self.post(server, path, fields)

    def log_in(self, server, username, password=PASSWORD):
        return self.submit(server, "/accounts/login/", {"username": username, "password": password})


def test_a_session_opened_on_one_server_works_on_the_other(cluster):
    one, two = cluster["servers"]
    browser = Browser()
    assert browser.log_in(one, "officer").status == 302
    page = browser.get(two, "/projects/")
    assert page.status == 200
    assert "Projet des deux serveurs" in page.body.decode()
    # Sessions live in the database (the default engine), not in a server's memory.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_a_lockout_on_one_server_holds_on_the_other(cluster):
    one, two = cluster["servers"]
    attacker = Browser(address="203.0.113.66")
    for _ in range(3):
        assert attacker.log_in(one, "locked", "wrong-password").status in {200, 429}
    refused = attacker.log_in(two, "locked")  # the right password, on the other server
    assert refused.status == 429
    assert "Connexion bloquée" in refused.body.decode()


def test_the_public_form_rate_limit_counts_across_both_servers(cluster):
    one, two = cluster["servers"]
    visitor = Browser(address="192.0.2.44")
    page = visitor.get(one, "/inscription/").body.decode()
    commune = select_values(page, "commune")[0]
    entry = {
        "first_name": "Hélène",
        "last_name": "Dupré",
        "commune": commune,
        "project_name": "Recyclerie du Mont-Mesly",
        "description": "Une recyclerie de quartier avec un atelier de réparation.",
        "sector": "circular",
        "stage": "feasibility",
        "social_impact": "Trois emplois en insertion.",
        "project_commune": commune,
        "project_in_qpv": "no",
        "help_sought": "Modèle économique et recherche de locaux.",
    }
    replies = []
    for number, server in enumerate([one, two, one, two]):
        changes = {**entry, "email": f"helene.dupre{number}@exemple.fr"}
        replies.append(visitor.submit(server, "/inscription/", changes))
    assert [reply.status for reply in replies[:2]] == [302, 302], replies[0].body[:3000]
    # The limit (2 an hour) is counted in Redis: the third and fourth are refused, on
    # either server.
    for refused in replies[2:]:
        assert refused.status == 200
        assert "pas pu être enregistrée pour le moment" in refused.body.decode()


def test_the_dashboard_is_computed_once_for_both_servers(cluster):
    one, two = cluster["servers"]
    browser = Browser()
    assert browser.log_in(two, "officer").status == 302
    redis_client, prefix = cluster["redis"], cluster["prefix"]
    assert browser.get(one, "/reports/").status == 200
    keys = [k for k in redis_client.scan_iter(f"{prefix}:*reports:figures:*")]
    assert len(keys) == 1
    stored = redis_client.get(keys[0])
    page = browser.get(two, "/reports/").body.decode()
    computed_at = re.search(r"Chiffres calculés le [^<]+", page)
    assert computed_at is not None
    # The second server read the figures the first one stored, and stored nothing.
    assert list(redis_client.scan_iter(f"{prefix}:*reports:figures:*")) == keys
    assert redis_client.get(keys[0]) == stored


def test_two_concurrent_edits_on_two_servers_give_one_save_and_one_conflict(cluster):
    one, two = cluster["servers"]
    first, second = Browser(), Browser()
    assert first.log_in(one, "officer").status == 302
    assert second.log_in(two, "officer").status == 302
    listing = first.get(one, "/projects/").body.decode()
    pk = re.search(r'href="/projects/(\d+)/"', listing)[1]
    edit = f"/projects/{pk}/edit/"
    form_one = dict(form_fields(first.get(one, edit).body.decode(), "project-form"))
    form_two = dict(form_fields(second.get(two, edit).body.decode(), "project-form"))
    assert "name" in form_one and "version" in form_one
    assert form_one["version"] == form_two["version"]
    saved = first.post(one, edit, {**form_one, "name": "Nom choisi sur le serveur 1"})
    assert saved.status == 302, saved.body[:3000]
    conflict = second.post(two, edit, {**form_two, "name": "Nom choisi sur le serveur 2"})
    assert conflict.status == 409
    page = first.get(two, f"/projects/{pk}/").body.decode()
    assert "Nom choisi sur le serveur 1" in page and "serveur 2" not in page


def test_two_db_workers_never_run_the_same_task_twice(cluster):
    one, _two = cluster["servers"]
    env = cluster["env"]
    _manage(
        env,
        "shell",
        "-c",
        "from tests.crm.worker_tasks import record_run\n"
        "for n in range(24):\n    record_run.enqueue(n)\n",
    )
    time.sleep(1.5)
    # No worker yet: the load balancer's probe says the queue is not drained.
    probe = one.send("GET", "/healthz", {}, keep_body=True)
    assert probe.status == 503 and b'"failed": ["tasks"]' in probe.body
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--interval",
                "0.01",
                "--no-startup-delay",
                "--worker-id",
                f"worker-{n}",
            ],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    for worker in workers:
        _out, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors[-3000:]
    lines = [line.split() for line in open(env["TWO_WORKERS_LOG"]).read().splitlines()]
    runs = Counter(int(number) for number, _pid in lines)
    assert runs == Counter(range(24))  # each task once, none twice, none lost
    assert one.send("GET", "/healthz", {}).status == 200
