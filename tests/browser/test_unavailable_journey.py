"""The database stops answering: the user gets the French "service unavailable" page,
readable and accessible, at both widths, and gets back to work once it answers again."""

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from crm.projects import selectors
from tests.browser.conftest import log_in
from tests.factories import OfficerFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def officer_account(transactional_db):
    return OfficerFactory(username="officer_503")


def test_a_database_outage_shows_the_503_page_and_work_resumes(
    page, officer_account, assert_accessible, monkeypatch
):
    log_in(page, "officer_503", PASSWORD)
    expect(page.get_by_role("heading", name="Mon portefeuille")).to_be_visible()

    def down(*args, **kwargs):
        raise OperationalError("connection to server failed")

    with monkeypatch.context() as patch:
        patch.setattr(selectors, "home_summary", down)
        response = page.goto("/")
        assert response.status == 503
        expect(
            page.get_by_role("heading", name="Service momentanément indisponible")
        ).to_be_visible()
        expect(page.get_by_text("Rien de ce que vous veniez d'envoyer")).to_be_visible()
        assert_accessible(page)
        page.set_viewport_size({"width": 375, "height": 700})
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    page.set_viewport_size({"width": 1366, "height": 800})
    assert page.goto("/").status == 200
    expect(page.get_by_role("heading", name="Mon portefeuille")).to_be_visible()
