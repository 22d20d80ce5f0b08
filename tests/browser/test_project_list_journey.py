"""An officer narrows the project list with the filter bar, sorts it and bookmarks it."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import OfficerFactory, ProjectFactory


def test_officer_filters_and_sorts_the_project_list(page, transactional_db, assert_accessible):
    OfficerFactory(username="camille", password="correct-horse-battery")
    ProjectFactory(name="Ressourcerie de Créteil", stage="launch")
    ProjectFactory(name="Épicerie de Sucy", stage="idea")
    log_in(page, "camille", "correct-horse-battery")
    page.get_by_role("link", name="Projets", exact=True).click()
    expect(page.get_by_role("heading", name="Projets accompagnés")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("checkbox", name="Lancement").check()
    page.get_by_role("button", name="Appliquer", exact=True).click()
    page.wait_for_url("**stage=launch**")
    rows = page.locator("table.data-table tbody tr")
    assert rows.count() == 1
    assert "Ressourcerie de Créteil" in rows.first.inner_text()

    # Sorting keeps the filter: the URL can be bookmarked and shared as is.
    page.locator("table.data-table thead").get_by_role("link", name="Projet").click()
    page.wait_for_url("**sort=**")
    assert "stage=launch" in page.url
    assert page.get_by_role("checkbox", name="Lancement").is_checked()
