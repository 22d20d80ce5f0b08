"""Each demo role logs in and lands on a home page with real data."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import log_in


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", force=True, stdout=io.StringIO())


def test_login_page_is_accessible(page, assert_accessible):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("officer", "Mon portefeuille"),
        ("coach", "Mes projets par étape"),
        ("coach2", "Mes projets par étape"),
        ("manager", "Projets par statut du suivi"),
        ("admin", "Mon portefeuille"),
    ],
)
def test_each_demo_role_logs_in_and_sees_its_home(
    page, demo_data, assert_accessible, username, expected
):
    log_in(page, username, f"ess-demo-{username}")
    expect(page.get_by_role("heading", name=expected)).to_be_visible()
    # Real data: the projects-by-stage figures are not all zero.
    assert page.locator(".kpi-value").first.inner_text() != "0"
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Vous êtes déconnecté·e")).to_be_visible()


def test_home_works_on_a_phone(phone_page, demo_data, assert_accessible):
    log_in(phone_page, "coach", "ess-demo-coach")
    expect(phone_page.get_by_role("heading", name="Mes projets par étape")).to_be_visible()
    # Nothing overflows sideways on a 390 px screen.
    overflow = phone_page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    assert_accessible(phone_page)
