"""The per-scale databases and environments of the bench, and manage.py run in them."""

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import CommandError

ROOT = Path(settings.BASE_DIR)


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


def scale_env(scale: int, options) -> dict:
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


def manage(env: dict, *arguments: str) -> str:
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


def run_measured(env: dict, *arguments: str) -> tuple[str, float, float]:
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
            raise CommandError(f"manage.py {' '.join(arguments)} failed:\n{err.read().decode()}")
        # ru_maxrss is in kilobytes on Linux.
        return out.read().decode(), seconds, usage.ru_maxrss / 1024
