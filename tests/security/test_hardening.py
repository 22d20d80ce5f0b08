"""Login throttling, session lifetimes, deactivation, CSP and security headers."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import AccessEvent, AccessEventKind
from crm.security.sessions import LOGIN_AT_KEY, TOUCHED_AT_KEY
from tests.factories import OfficerFactory
from tests.security.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def attempt(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_repeated_failures_lock_the_user_out_from_that_address_only(axes_enabled, officer):
    axes_enabled.AXES_FAILURE_LIMIT = 3
    attacker = Client()
    for _ in range(3):
        attempt(attacker, officer.username, "wrong", "203.0.113.9")
    locked = attempt(attacker, officer.username, PASSWORD, "203.0.113.9")
    assert locked.status_code == 429
    content = locked.content.decode()
    assert "Connexion bloquée" in content and "Réessayez dans 30 min" in content
    # The real officer, at the office, still logs in: the lock is on user and address.
    colleague = Client()
    response = attempt(colleague, officer.username, PASSWORD, "198.51.100.20")
    assert response.status_code == 302 and response["Location"] == reverse("crm:home")
    assert AccessEvent.objects.filter(kind=AccessEventKind.LOCKOUT, username="officer_a").exists()


def test_an_administrator_unlocks_by_deleting_the_attempt(axes_enabled, officer, admin_user):
    from axes.models import AccessAttempt

    axes_enabled.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        attempt(client, officer.username, "wrong", "203.0.113.9")
    attempt_row = AccessAttempt.objects.get(username=officer.username)
    admin = Client()
    admin.force_login(admin_user)
    page = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert officer.username in page.content.decode()
    admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt_row.pk]), {"post": "yes"})
    assert attempt(client, officer.username, PASSWORD, "203.0.113.9").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_however_active(client, officer, settings):
    client.force_login(officer)
    assert client.get(reverse("crm:home")).status_code == 200
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - settings.SESSION_ABSOLUTE_AGE - 1
    session.save()
    response = client.get(reverse("crm:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    follow = client.get(response["Location"])
    assert "Votre session a expiré" in follow.content.decode()
    assert client.get(reverse("crm:home")).status_code == 302


def test_a_session_ends_after_inactivity_and_each_request_extends_it(client, officer):
    client.force_login(officer)
    client.get(reverse("crm:home"))
    session = Session.objects.get()
    # Each request pushes the end of the session SESSION_COOKIE_AGE ahead...
    assert session.expire_date > timezone.now() + datetime.timedelta(hours=7)
    # ...and a session left idle past it is gone.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("crm:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_page_views_write_the_session_at_most_once_a_minute(client, officer, settings):
    client.force_login(officer)
    client.get(reverse("crm:home"))
    pushed = Session.objects.get().expire_date
    # A page view within the minute reads the session and writes nothing.
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("crm:home"))
    assert not [q for q in queries.captured_queries if "UPDATE" in q["sql"]]
    assert Session.objects.get().expire_date == pushed
    # Past the minute, the next view pushes the expiry back.
    session = client.session
    session[TOUCHED_AT_KEY] = time.time() - settings.SESSION_TOUCH_SECONDS
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    client.get(reverse("crm:home"))
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(hours=7)


def test_deactivating_a_user_in_the_admin_ends_their_sessions_at_once(admin_user):
    coach = OfficerFactory(username="leaving")
    coach_client = Client()
    coach_client.force_login(coach)
    assert coach_client.get(reverse("crm:home")).status_code == 200
    admin = Client()
    admin.force_login(admin_user)
    admin.post(
        reverse("admin:crm_user_changelist"),
        {"action": "deactivate", "_selected_action": [coach.pk]},
    )
    coach.refresh_from_db()
    assert not coach.is_active
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(coach.pk)
    ]
    assert coach_client.get(reverse("crm:home")).status_code == 302


def test_unticking_active_on_the_user_form_ends_their_sessions(admin_user):
    from crm.security.sessions import end_user_sessions, user_deactivate

    user = OfficerFactory(username="leaving2")
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    assert user_deactivate(user=user) == 2
    assert end_user_sessions(user=user) == 0
    assert first.get(reverse("crm:home")).status_code == 302


@pytest.mark.parametrize("url_name", ["login", "password_reset"])
def test_public_pages_send_the_content_security_policy(client, url_name):
    response = client.get(reverse(url_name))
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_page_holds_inline_scripts_or_styles(client, officer, project, admin_user):
    pages = [reverse("login"), reverse("password_reset")]
    for url in pages:
        assert_no_inline_code(client.get(url))
    client.force_login(officer)
    for url in (
        reverse("crm:home"),
        reverse("crm:project-list"),
        reverse("security:access-log"),
        reverse("security:two-factor"),
        reverse("password_change"),
        reverse(
            "security:history",
            kwargs={"app_label": "crm", "model_name": "project", "pk": project.pk},
        ),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response
        assert_no_inline_code(response)


def test_session_and_csrf_cookies_are_secure_when_debug_is_off(settings):
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_production_settings_put_axes_first_and_last():
    from crm.config import settings as production

    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert production.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert production.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_logging_in_again_restarts_the_absolute_lifetime(client, officer, settings):
    client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - settings.SESSION_ABSOLUTE_AGE + 5
    session.save()
    client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert client.session[LOGIN_AT_KEY] > time.time() - 5
