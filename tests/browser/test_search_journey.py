"""Journeys of the header: the global search (accents, a partial word, "/" for the box)
as an officer and as a coach, and the menu button of a phone."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import CoachFactory, OfficerFactory, ProjectFactory, commune

PASSWORD = "correct-horse-battery"


def _projects(coach, other_coach):
    ProjectFactory(name="Recyclerie des Bords de Marne", coach=coach, commune=commune("Créteil"))
    ProjectFactory(name="Recyclerie du Plateau", coach=other_coach, commune=commune("Noiseau"))


def test_officer_and_coach_search_from_the_header(page, transactional_db, assert_accessible):
    OfficerFactory(username="camille", password=PASSWORD)
    coach = CoachFactory(username="julien", password=PASSWORD)
    _projects(coach, CoachFactory(username="aissata"))

    log_in(page, "camille", PASSWORD)
    page.keyboard.press("/")  # the shortcut puts the cursor in the header's box
    expect(page.get_by_role("searchbox", name="Chercher dans le CRM")).to_be_focused()
    page.keyboard.type("creteil")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Recherche", exact=True)).to_be_visible()
    results = page.get_by_role("region", name="Projets")
    expect(results.get_by_role("link", name="Recyclerie des Bords de Marne")).to_be_visible()
    expect(results).not_to_contain_text("Recyclerie du Plateau")
    assert_accessible(page)

    page.get_by_role("searchbox", name="Chercher dans le CRM").fill("recycl")
    page.get_by_role("searchbox", name="Chercher dans le CRM").press("Enter")
    expect(page.get_by_role("link", name="Recyclerie du Plateau")).to_be_visible()
    expect(page.locator("mark").first).to_have_text("Recycl")

    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, "julien", PASSWORD)
    page.get_by_role("searchbox", name="Chercher dans le CRM").fill("recycl")
    page.get_by_role("searchbox", name="Chercher dans le CRM").press("Enter")
    expect(page.get_by_role("link", name="Recyclerie des Bords de Marne")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Plateau")


def test_the_menu_folds_behind_a_button_on_a_phone(phone_page, transactional_db, assert_accessible):
    page = phone_page
    CoachFactory(username="julien", password=PASSWORD)
    log_in(page, "julien", PASSWORD)
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav).to_be_hidden()
    assert_accessible(page)
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Pipeline")).to_be_visible()
    assert_accessible(page)
    nav.get_by_role("link", name="Pipeline").click()
    expect(page.get_by_role("heading", name="Pipeline des projets")).to_be_visible()
