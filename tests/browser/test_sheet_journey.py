"""A coach opens their project and downloads its follow-up sheet as PDF and as XLSX; the
PDF holds the note shareable with the entrepreneur and not the internal note."""

import io

from playwright.sync_api import expect

from followups.models import MeetingNote, NoteVisibility
from tests.browser.conftest import log_in
from tests.factories import CoachFactory, MeetingFactory, ProjectFactory

SHAREABLE = "Prévoir le prévisionnel sur trois ans."
INTERNAL = "Le comité hésite sur ce projet."


def _project(coach):
    project = ProjectFactory(name="Recyclerie de Créteil", coach=coach)
    meeting = MeetingFactory(project=project, led_by=coach, summary="Point budget.")
    MeetingNote.objects.create(
        meeting=meeting, text=SHAREABLE, visibility=NoteVisibility.ENTREPRENEUR
    )
    MeetingNote.objects.create(meeting=meeting, text=INTERNAL, visibility=NoteVisibility.INTERNAL)
    return project


def test_coach_downloads_the_follow_up_sheet_from_the_project_page(
    page, transactional_db, assert_accessible
):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    coach = CoachFactory(username="julien", password="correct-horse-battery")
    project = _project(coach)
    log_in(page, "julien", "correct-horse-battery")
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_text("Fiche de suivi").first).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Fiche de suivi au format PDF").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.startswith("fiche-de-suivi-recyclerie-de-creteil-")
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Recyclerie de Créteil" in text
    assert SHAREABLE in text
    assert INTERNAL not in text

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Fiche de suivi au format XLSX (tableur)").click()
    xlsx = xlsx_download.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    with open(xlsx.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert book["Projet"]["B2"].value == "Recyclerie de Créteil"


def test_the_sheet_links_fit_a_phone(phone_page, transactional_db, assert_accessible):
    coach = CoachFactory(username="julien", password="correct-horse-battery")
    project = _project(coach)
    log_in(phone_page, "julien", "correct-horse-battery")
    phone_page.goto(f"/projects/{project.pk}/")
    link = phone_page.get_by_role("link", name="Fiche de suivi au format PDF")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] + box["width"] <= 390
    assert_accessible(phone_page)
    phone_page.screenshot(path="/tmp/fiche_phone.png", full_page=False)
