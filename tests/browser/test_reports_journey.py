"""An officer opens the dashboard, changes the period and sees the charts change; the
dashboard reads well on a phone."""

import datetime
import os

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import CoachFactory, OfficerFactory, ProjectFactory

SHOTS = os.environ.get("REPORT_SCREENSHOTS", "")


def _world():
    OfficerFactory(username="camille", password="correct-horse-battery")
    coach = CoachFactory(username="julien", password="correct-horse-battery")
    year = timezone.localdate().year
    ProjectFactory(name="Ressourcerie", entry_date=datetime.date(year, 1, 15), coach=coach)
    ProjectFactory(name="Épicerie", entry_date=datetime.date(year, 2, 1), status="applicant")
    ProjectFactory(name="Vélo", entry_date=datetime.date(year - 1, 5, 1), coach=coach)
    return year


def _funnel_text(page) -> str:
    return page.locator("#chart-funnel").text_content()


def test_officer_changes_the_period_and_the_charts_follow(
    page, transactional_db, assert_accessible
):
    year = _world()
    log_in(page, "camille", "correct-horse-battery")
    page.get_by_role("link", name="Tableau de bord").click()
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
    funnel = page.get_by_role("img", name="Parcours des projets arrivés sur la période")
    expect(funnel).to_be_visible()
    # This year: two projects came in.
    assert "2 (100 %)" in _funnel_text(page)
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/reports-desktop.png", full_page=True)

    page.get_by_text("Période et filtres").click()
    page.get_by_label("Période", exact=True).select_option("last_year")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**period=last_year**")
    # Last year: one project came in.
    assert "1 (100 %)" in _funnel_text(page)
    assert f"Du 01/01/{year - 1} au 31/12/{year - 1}" in page.locator(".report-scope").inner_text()

    # The figures are also a table, and the chart links to the list behind it.
    section = page.locator("#section-funnel")
    section.get_by_text("Voir les chiffres en tableau").click()
    expect(section.get_by_role("cell", name="1").first).to_be_visible()
    section.get_by_role("link", name="Voir les projets").click()
    page.wait_for_url("**/projects/**")
    # The list holds the projects the chart counted: last year's arrival only.
    table = page.locator("table")
    expect(table.get_by_role("link", name="Vélo")).to_be_visible()
    assert table.get_by_role("link", name="Ressourcerie").count() == 0
    assert page.get_by_label("Arrivé à partir du").input_value() == f"{year - 1}-01-01"

    page.go_back()
    page.get_by_text("Période et filtres").click()
    page.get_by_label("Période", exact=True).select_option("custom")
    page.get_by_label("Du", exact=True).fill(f"{year}-06-01")
    page.get_by_label("Au", exact=True).fill(f"{year}-01-01")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("La date de fin doit suivre la date de début.")).to_be_visible()


def test_coach_reads_the_dashboard_on_a_phone(phone_page, transactional_db, assert_accessible):
    _world()
    page = phone_page
    log_in(page, "julien", "correct-horse-battery")
    page.goto("/reports/")
    expect(page.get_by_text("Chiffres limités à vos projets.")).to_be_visible()
    # The coach's own projects only: one of this year's two.
    assert "1 (100 %)" in _funnel_text(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    box = page.locator("#chart-funnel").bounding_box()
    assert box["width"] <= 390
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/reports-phone.png", full_page=True)


def test_month_values_show_on_keyboard_focus(page, transactional_db, assert_accessible):
    from tests.factories import MeetingFactory

    _world()
    year = timezone.localdate().year
    project = ProjectFactory(name="Jardin", entry_date=datetime.date(year, 1, 10))
    MeetingFactory(
        project=project,
        start=datetime.datetime(year, 3, 12, 10, tzinfo=datetime.UTC),
        duration_minutes=90,
    )
    log_in(page, "camille", "correct-horse-battery")
    page.goto("/reports/")
    # The section nav jumps to the activity block (an anchor: no script needed).
    page.get_by_role("navigation", name="Sections du tableau de bord").get_by_role(
        "link", name="Activité"
    ).click()
    page.wait_for_url("**#activity")
    # Tab onwards (from the block the link went to) until a month of the chart has the focus.
    for _press in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('chart-point')"):
            break
    else:
        raise AssertionError("no month of the chart is reachable by keyboard")
    for _month in range(2):
        page.keyboard.press("Tab")
    focused = page.locator("#chart-months .chart-point:focus")
    assert "mars" in focused.get_attribute("aria-label")
    tip = focused.locator(".chart-tip")
    expect(tip).to_be_visible()
    assert "Individuel : 1,5 h, 1 rdv" in tip.text_content()
    # The other months' boxes stay hidden.
    assert page.locator("#chart-months .chart-tip:visible").count() == 1
    assert_accessible(page)
