"""Keyboard focus is visible on every control with a 3:1 ring on the page's backgrounds;
every page prints its content without buttons nor forms, with the data tables of the
charts and bars readable without background colours; the meeting form asks for its date
and duration, sums its errors up at the top, and a meeting logged by mistake is deleted."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from followups.models import Meeting
from tests.browser.conftest import log_in
from tests.factories import CoachFactory, MeetingFactory, OfficerFactory, ProjectFactory

PASSWORD = "correct-horse-battery"

# The computed style of the focused element: its ring, and the colour of what is under it.
RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let back = el.parentElement, colour = "rgba(0, 0, 0, 0)";
  while (back) {
    colour = getComputedStyle(back).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") break;
    back = back.parentElement;
  }
  return {tag: el.tagName, text: (el.innerText || el.name || el.id || "").slice(0, 40),
          focused: el.matches(':focus'),
          style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          colour: style.outlineColor,
          background: colour === "rgba(0, 0, 0, 0)" ? "rgb(255, 255, 255)" : colour};
}"""


def _rgb(css: str) -> tuple[int, int, int]:
    return tuple(int(float(v)) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


def _contrast(a, b) -> float:
    def lum(rgb):
        c = [x / 255 for x in rgb]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _tab_through(page, stops: int) -> list[str]:
    """Press Tab `stops` times; the focus rings that are missing or under 3:1."""
    failures = []
    page.locator("body").focus()
    for _ in range(stops):
        page.keyboard.press("Tab")
        ring = page.evaluate(RING)
        # Headless Chromium leaves a datetime-local input active without :focus once Tab
        # walks its inner date and time parts: nothing there for a stylesheet to match.
        if ring["tag"] in ("BODY", "MAIN") or not ring["focused"]:
            continue
        where = f"{ring['tag']} {ring['text']!r}"
        if ring["style"] in ("none", "") or ring["width"] < 2:
            failures.append(f"{where}: no focus ring")
        elif _contrast(_rgb(ring["colour"]), _rgb(ring["background"])) < 3:
            failures.append(f"{where}: ring {ring['colour']} on {ring['background']} under 3:1")
    return failures


def test_focus_ring_is_visible_on_every_control(page, transactional_db):
    officer = OfficerFactory(username="camille", password=PASSWORD)
    project = ProjectFactory(name="Recyclerie de Vitry", officer=officer)
    MeetingFactory(project=project, led_by=officer)
    log_in(page, "camille", PASSWORD)
    failures = []
    for url in (
        "/",
        f"/projects/{project.pk}/",
        "/projects/",
        f"/projects/{project.pk}/meetings/new/",
    ):
        page.goto(url)
        failures += [f"{url}: {failure}" for failure in _tab_through(page, 40)]
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    failures += [f"login: {failure}" for failure in _tab_through(page, 8)]
    assert not failures, "\n".join(failures)


def test_pages_print_their_content_without_controls(page, transactional_db):
    officer = OfficerFactory(username="camille", password=PASSWORD)
    project = ProjectFactory(name="Recyclerie de Vitry", officer=officer)
    MeetingFactory(project=project, led_by=officer)
    log_in(page, "camille", PASSWORD)
    for url in (f"/projects/{project.pk}/", "/reports/"):
        page.goto(url)
        page.emulate_media(media="print")
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('button, form, .site-header, nav.breadcrumb')]
                 .filter(el => el.offsetParent !== null || getComputedStyle(el).display !== 'none')
                 .map(el => el.outerHTML.slice(0, 80))"""
        )
        assert hidden == [], f"{url} prints controls: {hidden[:3]}"
        # Headings stay with what follows them.
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).breakAfter") == "avoid"
        # Bars and progress keep their colours without background graphics, with a border.
        bars = page.evaluate(
            """() => [...document.querySelectorAll('progress, meter')].map(el => [
                 getComputedStyle(el).printColorAdjust, getComputedStyle(el).borderTopStyle])"""
        )
        assert all(adjust == "exact" and border == "solid" for adjust, border in bars), bars
        if url == "/reports/":
            # The charts' data tables print even inside a closed <details>.
            tables = page.locator("details.chart-data table")
            assert tables.count() > 0
            assert tables.first.is_visible()
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 2000
        page.emulate_media(media="screen")


def test_meeting_form_asks_for_its_date_and_a_mistake_is_deleted(
    page, transactional_db, assert_accessible
):
    coach = CoachFactory(username="julien", password=PASSWORD)
    project = ProjectFactory(name="Vélo-école de Créteil", coach=coach)
    earlier = MeetingFactory(
        project=project, led_by=coach, start=timezone.now() - datetime.timedelta(days=9)
    )
    log_in(page, "julien", PASSWORD)
    page.goto(f"/projects/{project.pk}/meetings/new/")
    # Enter on the untouched form saves nothing and sums the errors up, each linked.
    page.get_by_label("Compte rendu").focus()
    page.get_by_label("Lieu").press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name="Date et heure")).to_be_visible()
    expect(summary.get_by_role("link", name="Durée (minutes)")).to_be_visible()
    assert not Meeting.objects.exclude(pk=earlier.pk).exists()
    assert_accessible(page)
    summary.get_by_role("link", name="Date et heure").click()
    expect(page.get_by_label("Date et heure")).to_be_focused()

    page.get_by_role("button", name="Maintenant").click()
    page.get_by_role("button", name="45 min").click()
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    # (The URL keeps the "#id_start" of the summary's link.)
    page.wait_for_url(re.compile(r"/meetings/\d+/"))
    mistaken = Meeting.objects.exclude(pk=earlier.pk).get()
    assert mistaken.duration_minutes == 45

    page.get_by_role("link", name="Supprimer").click()
    expect(page.get_by_role("heading", name="Supprimer ce rendez-vous ?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Supprimer le rendez-vous").click()
    expect(page.get_by_text("Le rendez-vous est supprimé.")).to_be_visible()
    assert not Meeting.objects.filter(pk=mistaken.pk).exists()
    project.refresh_from_db()
    assert project.last_meeting_at == earlier.start
