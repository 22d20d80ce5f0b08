"""Run inside the benchmarked database: count the queries of each page per role, time the
list page's raw SQL, and print session cookies for the HTTP client. Output: one JSON line."""

import json
import statistics
import time

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from crm.bench import PAGES, page_url
from crm.models import Project, User

BENCH_USERS = {"officer": "officer", "coach": "coach", "manager": "manager", "admin": "admin"}


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class Command(BaseCommand):
    help = "Internal to `manage.py bench`: query counts, raw SQL timing and session cookies."

    def add_arguments(self, parser):
        parser.add_argument("--sql-repeats", type=int, default=20)

    def handle(self, *args, **options):
        users = {role: User.objects.get(username=name) for role, name in BENCH_USERS.items()}
        coach_project = Project.objects.visible_to(users["coach"]).order_by("pk").first()
        result = {
            "projects": Project.objects.count(),
            "project_pk": coach_project.pk,
            "cookies": {role: session_cookie(user) for role, user in users.items()},
            "queries": {},
            "urls": {},
        }
        client = Client(HTTP_HOST="127.0.0.1")
        list_sql = []
        for page in PAGES:
            url = page_url(page, coach_project.pk)
            if url is None:
                continue
            result["urls"][page.key] = url
            for role in page.roles:
                client.force_login(users[role])
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url, secure=True)
                result["queries"][f"{page.key}:{role}"] = {
                    "count": len(captured.captured_queries),
                    "status": response.status_code,
                }
                if page.key == "projects" and role == "officer":
                    list_sql = [q["sql"] for q in captured.captured_queries]
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
        self.stdout.write(json.dumps(result))
