"""/healthz: database, cache and task queue, for load balancers (crm.core.health)."""

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from crm.core import health


@pytest.mark.django_db
def test_healthz_answers_anonymous_visitors_with_every_part_ok(client, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["cache"] == {"ok": True}
    assert body["checks"]["tasks"] == {"ok": True, "backend": "immediate"}
    assert settings.SECRET_KEY not in response.content.decode()


@pytest.mark.django_db
def test_healthz_names_the_cache_when_it_does_not_answer(client):
    # A Redis on a port where nothing listens: refused at once.
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://:hunter2-secret@127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=broken):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["failed"]) == ("error", ["cache"])
    assert body["checks"]["database"]["ok"] is True
    assert "hunter2" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_does_not_answer(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" (10.0.0.5) failed')

    monkeypatch.setattr(health.connection, "cursor", refused)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database"]
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert "10.0.0.5" not in response.content.decode()


def test_task_queue_fails_once_a_ready_task_waited_too_long(monkeypatch, settings):
    settings.HEALTH_TASK_MAX_AGE_SECONDS = 60
    monkeypatch.setattr(health.apps, "is_installed", lambda name: name == "django_tasks_db")
    monkeypatch.setattr(health, "oldest_ready_task_age", lambda: 30.4)
    assert health.check_tasks() == {
        "ok": True,
        "backend": "database",
        "oldest_ready_seconds": 30,
        "max_seconds": 60,
    }
    monkeypatch.setattr(health, "oldest_ready_task_age", lambda: 61)
    assert health.check_tasks()["ok"] is False
    monkeypatch.setattr(health, "oldest_ready_task_age", lambda: None)
    assert health.check_tasks()["ok"] is True


@pytest.mark.django_db
def test_healthz_is_reached_by_an_officer_who_must_still_enrol_two_factor(client, settings):
    from tests.factories import OfficerFactory

    settings.OTP_REQUIRED_FOR_OFFICERS = True
    client.force_login(OfficerFactory())
    assert client.get(reverse("crm:home")).status_code == 302
    assert client.get(reverse("healthz")).status_code == 200


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https(client, settings):
    """A load balancer probes the server's own port over plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("login")).status_code == 301
    assert client.get(reverse("healthz")).status_code == 200
