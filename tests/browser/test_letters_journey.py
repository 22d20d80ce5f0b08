"""Issue 18, letters: an officer sets the body's letterhead (branding page, checked with
axe), generates a call's letters as a ZIP and opens one; errors show in the app's layout."""

import io
import zipfile
from decimal import Decimal

from playwright.sync_api import expect
from pypdf import PdfReader

from crm.models import Application
from tests.browser.conftest import log_in
from tests.factories import (
    CallApplicationFactory,
    CallFactory,
    CoachFactory,
    OfficerFactory,
    ProjectFactory,
)


def test_officer_brands_the_letters_and_downloads_a_calls_zip(
    page, transactional_db, assert_accessible
):
    OfficerFactory(username="camille", password="correct-horse-battery")
    call = CallFactory(year=2026, envelope=Decimal("10000"))
    winner = CallApplicationFactory(
        call=call, project=ProjectFactory(name="Recyclerie de Créteil"), amount_requested=3000
    )
    Application.objects.filter(pk=winner.pk).update(decision="winner", amount_awarded=2500)
    refused = CallApplicationFactory(call=call, project=ProjectFactory(name="Vélo-école"))
    Application.objects.filter(pk=refused.pk).update(decision="rejected")

    log_in(page, "camille", "correct-horse-battery")
    page.goto(f"/calls/{call.pk}/")
    page.locator("#site-menu").get_by_role("link", name="Identité de l'organisme").click()
    expect(page.get_by_role("heading", name="Identité de l'organisme")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nom de l'organisme").fill("Territoire des Bords de Marne")
    page.get_by_label("Nom du·de la signataire").fill("Claire Dubois")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Identité de l'organisme enregistrée.")).to_be_visible()
    expect(page.locator(".site-header")).to_contain_text("Territoire des Bords de Marne")

    page.goto(f"/calls/{call.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Générer toutes les lettres (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    assert len(archive.namelist()) == 2
    name = next(n for n in archive.namelist() if "Recyclerie" in n)
    reader = PdfReader(io.BytesIO(archive.read(name)))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Territoire des Bords de Marne" in text and "Claire Dubois" in text
    assert "2 500 €" in text.replace("\u00a0", " ")


def test_a_404_and_a_403_show_in_the_layout(page, transactional_db, assert_accessible):
    CoachFactory(username="julien", password="correct-horse-battery")
    log_in(page, "julien", "correct-horse-battery")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
    assert_accessible(page)
    response = page.goto("/branding/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Accès refusé")).to_be_visible()
    assert_accessible(page)
