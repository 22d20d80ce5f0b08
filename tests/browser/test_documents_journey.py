"""An officer uploads a business plan shared with the provider and internal statutes; the
project's coach sees and downloads the first, never the second; another coach sees
neither."""

from playwright.sync_api import expect

from crm.documents.models import DocumentCategory
from tests.browser.conftest import log_in
from tests.crm.documents.conftest import PDF
from tests.factories import CoachFactory, OfficerFactory, ProjectFactory

PASSWORD = "correct-horse-battery"


def _upload(page, name: str, category: str, visibility: str) -> None:
    page.get_by_label("Fichiers").set_input_files(
        [{"name": name, "mimeType": "application/pdf", "buffer": PDF + name.encode()}]
    )
    page.get_by_label("Catégorie").select_option(label=category)
    page.get_by_label("Visibilité").select_option(label=visibility)
    page.get_by_role("button", name="Déposer", exact=True).click()
    expect(page.get_by_text("1 document(s) enregistré(s).")).to_be_visible()


def test_provider_document_reaches_the_coach_and_the_internal_one_never(
    page, transactional_db, assert_accessible
):
    for name in ("Business plan", "Statuts"):
        DocumentCategory.objects.get_or_create(name=name)
    OfficerFactory(username="claire", password=PASSWORD)
    coach = CoachFactory(username="julien", password=PASSWORD)
    CoachFactory(username="sofia", password=PASSWORD)
    project = ProjectFactory(name="Recyclerie de Vitry", coach=coach)

    log_in(page, "claire", PASSWORD)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Déposer des documents").click()
    expect(page.get_by_text("ne sont pas analysés par un antivirus")).to_be_visible()
    assert_accessible(page)
    _upload(page, "business-plan.pdf", "Business plan", "Partagée avec le prestataire")
    _upload(page, "statuts.pdf", "Statuts", "Interne (chargé·es de mission seulement)")
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, "julien", PASSWORD)
    page.goto(f"/projects/{project.pk}/")
    panel = page.locator(".documents-panel")
    expect(panel.get_by_role("link", name="business-plan.pdf", exact=True)).to_be_visible()
    expect(page.get_by_text("statuts.pdf")).to_have_count(0)
    with page.expect_download() as download:
        panel.get_by_role("link", name="Télécharger business-plan.pdf").click()
    assert download.value.suggested_filename == "business-plan.pdf"
    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("link", name="business-plan.pdf", exact=True)).to_be_visible()
    expect(page.get_by_text("statuts.pdf")).to_have_count(0)
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, "sofia", PASSWORD)
    page.goto("/documents/")
    expect(page.get_by_text("Aucun document.")).to_be_visible()
    expect(page.get_by_text("business-plan.pdf")).to_have_count(0)
    response = page.goto(f"/documents/fiche/project/{project.pk}/")
    assert response.status == 404
