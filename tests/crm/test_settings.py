"""Settings come from the environment and refuse bad values with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from crm.config import env

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "p" + "Xq9-vR2_kL7wZ4mN8bT3yH6jF1cD5sA0gE" * 2


def run_django(command: list[str], **variables) -> subprocess.CompletedProcess:
    # A clean environment: only what a shell needs, then the variables under test.
    environment = {
        key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "TMPDIR"}
    }
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("value", ["maybe", "2", "vrai"])
def test_bad_boolean_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG="):
        env.env_bool("DEBUG")


def test_bad_integer_is_refused(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "une heure")
    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE"):
        env.env_int("SESSION_COOKIE_AGE", 3600)


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/crm", "postgres://localhost", "sqlite://", "nonsense"]
)
def test_bad_database_url_is_refused(url, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database_config(url, base_dir=tmp_path)


def test_postgres_url_uses_psycopg_pool(tmp_path):
    config = env.database_config(
        "postgres://crm:s%40cret@db.local:5433/crm?sslmode=require", base_dir=tmp_path
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "crm",
        "s@cret",
        "db.local",
        "5433",
    )
    assert config["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 10}
    assert config["OPTIONS"]["sslmode"] == "require"
    assert config["CONN_MAX_AGE"] == 0


def test_postgres_connections_turn_jit_off_unless_the_url_says_otherwise(tmp_path):
    config = env.database_config("postgres://db.local/crm", base_dir=tmp_path)
    assert config["OPTIONS"]["options"] == "-c jit=off"
    config = env.database_config(
        "postgres://db.local/crm?options=-c%20work_mem%3D64MB", base_dir=tmp_path
    )
    assert config["OPTIONS"]["options"] == "-c work_mem=64MB"


def test_sqlite_url_is_relative_to_the_project(tmp_path):
    config = env.database_config("sqlite:///var/db.sqlite3", base_dir=tmp_path)
    assert config["NAME"] == str(tmp_path / "var" / "db.sqlite3")


@pytest.mark.parametrize("url", ["pigeon://", "smtp://", "file://"])
def test_bad_email_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env.email_config(url)


def test_smtp_email_url():
    config = env.email_config("smtp://user:pa%3Ass@smtp.example.fr:587")
    assert config["EMAIL_HOST"] == "smtp.example.fr"
    assert config["EMAIL_HOST_PASSWORD"] == "pa:ss"
    assert config["EMAIL_USE_TLS"] is True


def test_app_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_django(["check"], DEBUG="0", ALLOWED_HOSTS="crm.example.fr")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_app_refuses_a_weak_secret_key_when_debug_is_off():
    result = run_django(
        ["check"], DEBUG="0", ALLOWED_HOSTS="crm.example.fr", SECRET_KEY="django-insecure-abc"
    )
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_bad_time_zone_is_refused():
    result = run_django(["check"], DEBUG="1", TIME_ZONE="Paris")
    assert result.returncode != 0
    assert "TIME_ZONE='Paris'" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="crm.example.fr",
        DATABASE_URL="sqlite:///var/deploy-check.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_bad_pool_size_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="pool_max_size"):
        env.database_config("postgres://h/crm?pool_max_size=lots", base_dir=tmp_path)


def test_the_wsgi_server_refuses_to_start_without_configuration():
    """manage.py defaults to development settings; the server entry point does not."""
    environment = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    result = subprocess.run(
        [sys.executable, "-c", "import crm.config.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_manage_py_runs_with_development_defaults():
    result = run_django(["makemigrations", "--check", "--dry-run"])
    assert result.returncode == 0, result.stderr


def test_cache_url_defaults_to_local_memory_and_takes_redis():
    assert env.cache_config("locmem://")["BACKEND"].endswith("LocMemCache")
    redis = env.cache_config("redis://:s3cret@cache.local:6380/2")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://:s3cret@cache.local:6380/2"
    assert redis["KEY_PREFIX"] == "crm"


def test_cache_url_takes_a_key_prefix_for_several_crms_on_one_redis():
    redis = env.cache_config("redis://cache.local:6379/0?key_prefix=body-b&socket_timeout=2")
    assert redis["KEY_PREFIX"] == "body-b"
    assert redis["LOCATION"] == "redis://cache.local:6379/0?socket_timeout=2"
    with pytest.raises(ImproperlyConfigured, match="key_prefix"):
        env.cache_config("redis://cache.local:6379/0?key_prefix=a%20b")


@pytest.mark.parametrize(
    "url", ["memcached://127.0.0.1:11211", "redis://", "redis://host:port/0", "redis://h/db"]
)
def test_bad_cache_url_is_refused_naming_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL="):
        env.cache_config(url)


def test_a_bad_cache_url_stops_the_app_at_start_up():
    result = run_django(["check"], DEBUG="1", CACHE_URL="memcache://localhost")
    assert result.returncode != 0 and "CACHE_URL='memcache://localhost'" in result.stderr
