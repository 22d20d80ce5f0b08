"""An entrepreneur is a user without a role: every staff page answers 404 (the home page
sends them to their space); staff never reach the space; login throttling and session
lifetimes apply, two-factor stays optional for them."""

import time

import pytest

from crm.security.sessions import LOGIN_AT_KEY
from tests.crm.portal.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/projects/", "/contacts/people/", "/my-work/", "/reports/", "/admin/", "/documents/"]
)
def test_staff_pages_answer_404(space, url):
    assert space.get(url).status_code == 404


def test_the_home_page_sends_them_to_their_space(space):
    response = space.get("/")
    assert response.status_code == 302 and response["Location"] == "/espace/"


def test_their_own_projects_page_of_the_crm_is_404_even_as_a_member(space, their_project):
    assert space.get(f"/projects/{their_project.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["officer", "coach", "manager", "no_role_user"])
def test_staff_and_users_without_account_get_404_in_the_space(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/espace/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/espace/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_logging_in_with_their_address_lands_in_their_space(client, entrepreneur, axes_enabled):
    response = client.post(
        "/accounts/login/", {"username": "chloe@exemple.fr", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/espace/"


def test_login_throttling_applies_to_them(client, entrepreneur, axes_enabled):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "chloe@exemple.fr", "password": "faux"})
    locked = client.post("/accounts/login/", {"username": "chloe@exemple.fr", "password": PASSWORD})
    assert locked.status_code == 429


def test_the_absolute_session_lifetime_applies_to_them(space, settings):
    session = space.session
    session[LOGIN_AT_KEY] = time.time() - settings.SESSION_ABSOLUTE_AGE - 10
    session.save()
    response = space.get("/espace/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_two_factor_is_not_forced_on_them(space, settings):
    settings.OTP_REQUIRED_FOR_OFFICERS = True
    assert space.get("/espace/").status_code == 200
