"""The deployment guide's files run: systemd units (systemd-analyze verify), the commands
they name, and the Containerfile's steps. No container engine runs on the development
and CI machines (no podman; a docker client without a daemon), so the Containerfile is
checked step by step here instead of built: what it copies exists, its collectstatic runs
with its environment, gunicorn loads its CMD's application, and its HEALTHCHECK command
passes against a live server."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
UNITS = ROOT / "docs" / "deployment"
CONTAINERFILE = ROOT / "Containerfile"
DAILY = ["send_reminders", "retention_run", "purge_access_log", "measure_campaign"]


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Containerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", CONTAINERFILE.read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, rest = line.partition(" ")
            pairs.append((instruction.upper(), rest.strip()))
    return pairs


def _production_env(**extra) -> dict:
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), **extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the real settings, not the tests'
    return env


def test_the_units_name_commands_that_exist():
    commands = set(get_commands())
    named = set(DAILY)
    for unit in UNITS.glob("*.service"):
        named |= set(re.findall(r"manage\.py (\w+)", unit.read_text())) - {"i"}
    named.discard("db_worker")  # django-tasks-db's, installed with TASKS_BACKEND=database
    assert named <= commands, named - commands
    from importlib.util import find_spec

    assert find_spec("django_tasks_db.management.commands.db_worker") is not None
    assert "manage.py %i" in (UNITS / "crm-task@.service").read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_units_verify(tmp_path):
    """Paths under /srv/crm point at this checkout (its .venv), user and group at root."""
    files = []
    for unit in UNITS.iterdir():
        if unit.suffix not in {".service", ".timer"}:
            continue
        text = unit.read_text().replace("/srv/crm", str(ROOT))
        text = re.sub(r"^(User|Group)=crm$", r"\1=root", text, flags=re.M)
        text = text.replace("EnvironmentFile=/etc/crm/crm.env", f"EnvironmentFile=-{tmp_path}/env")
        names = (
            [unit.name.replace("@.", f"@{c}.") for c in DAILY] if "@." in unit.name else [unit.name]
        )
        for name in names:
            (tmp_path / name).write_text(text)
            files.append(str(tmp_path / name))
    assert len(files) == 2 + 2 * len(DAILY)
    completed = subprocess.run(
        ["systemd-analyze", "verify", *files], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.strip() == "", completed.stderr


def test_the_nginx_example_sends_what_behind_proxy_reads():
    text = (UNITS / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_set_header X-Request-ID $request_id;" in text
    env = (UNITS / "crm.env").read_text()
    assert "BEHIND_PROXY=1" in env and "TRUSTED_PROXY_COUNT=1" in env


def test_the_containerfile_copies_what_exists():
    copies = [rest.split()[:-1] for instruction, rest in _instructions() if instruction == "COPY"]
    sources = [source for sources in copies for source in sources]
    assert {"crm", "contacts", "followups", "reports", "templates", "locale"} <= set(sources)
    for source in sources:
        assert (ROOT / source).exists(), source
    # Every top-level package of pyproject.toml is copied.
    for package in ("crm", "contacts", "followups", "reports"):
        assert package in sources


@pytest.mark.slow
def test_the_containerfile_build_and_run_steps_work(tmp_path):
    instructions = _instructions()
    env = {}
    for instruction, rest in instructions:
        if instruction == "ENV":
            env.update(dict(re.findall(r"(\w+)=(\S+)", rest)))
    assert env["DEBUG"] == "0" and env["VAR_DIR"] == "/srv/crm/var"
    env["VAR_DIR"] = str(tmp_path / "var")
    [collect] = [rest for instruction, rest in instructions if "collectstatic" in rest]
    collect = collect.replace("/srv/crm/var", env["VAR_DIR"])
    collect = re.sub(r"\bpython\b", sys.executable, collect).replace("chown -R crm:crm", "true")
    completed = subprocess.run(
        ["bash", "-c", collect],
        cwd=ROOT,
        env={**_production_env(), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert (tmp_path / "var" / "static" / "staticfiles.json").exists()
    assert (tmp_path / "var" / "media").is_dir()

    [cmd] = [rest for instruction, rest in instructions if instruction == "CMD"]
    arguments = re.findall(r'"([^"]+)"', cmd)
    assert arguments[:2] == ["gunicorn", "crm.config.wsgi:application"]
    checked = subprocess.run(
        [sys.executable, "-m", *arguments, "--check-config"],
        cwd=ROOT,
        env=_production_env(VAR_DIR=env["VAR_DIR"], ALLOWED_HOSTS="crm.example.fr"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr[-3000:]


@pytest.mark.django_db(transaction=True)
def test_the_containerfile_healthcheck_passes_against_a_running_app(live_server):
    [healthcheck] = [rest for instruction, rest in _instructions() if instruction == "HEALTHCHECK"]
    command = healthcheck.split(" CMD ", 1)[1]
    port = live_server.url.rsplit(":", 1)[1]
    command = command.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    command = re.sub(r"^python\b", sys.executable, command)
    completed = subprocess.run(
        ["sh", "-c", command],
        env={**os.environ, "ALLOWED_HOSTS": "localhost,crm.example.fr"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
