"""An officer scores an application, records the committee's decision within the envelope
and downloads the letter; a manager reads the call."""

from decimal import Decimal

from playwright.sync_api import expect

from crm.models import Application
from tests.browser.conftest import log_in
from tests.factories import (
    CallApplicationFactory,
    CallFactory,
    ManagerFactory,
    OfficerFactory,
    ProjectFactory,
)


def test_officer_decides_within_the_envelope(page, transactional_db, assert_accessible):
    OfficerFactory(username="camille", password="correct-horse-battery")
    call = CallFactory(year=2026, envelope=Decimal("10000"))
    application = CallApplicationFactory(
        call=call, project=ProjectFactory(name="Recyclerie de Créteil"), amount_requested=8000
    )
    winner = CallApplicationFactory(call=call, amount_requested=8000)
    Application.objects.filter(pk=winner.pk).update(decision="winner", amount_awarded=7000)

    log_in(page, "camille", "correct-horse-battery")
    page.get_by_role("link", name="Appels à projets").click()
    assert_accessible(page)
    page.get_by_role("link", name="2026").click()
    expect(page.get_by_text("3\u00a0000\u00a0€").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Voir les candidatures").click()
    assert_accessible(page)
    page.get_by_role("link", name="Recyclerie de Créteil").click()
    assert_accessible(page)

    page.get_by_label("Création d'emplois (0 à 5)").select_option("4")
    page.get_by_role("button", name="Enregistrer la grille").click()
    expect(page.get_by_text("Grille d'évaluation enregistrée.")).to_be_visible()

    page.get_by_role("radio", name="Lauréat").check()
    page.get_by_label("Montant attribué (€)").fill("5000")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(
        page.get_by_text(
            "L'enveloppe de l'appel est dépassée : il reste 3\u00a0000\u00a0€ à attribuer.",
            exact=True,
        )
    ).to_be_visible()
    assert page.get_by_label("Montant attribué (€)").input_value() == "5000"
    assert_accessible(page)

    page.get_by_label("Montant attribué (€)").fill("3000")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Décision du comité enregistrée.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Lettre de notification (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    application.refresh_from_db()
    assert application.amount_awarded == Decimal("3000")


def test_manager_reads_a_call_on_a_phone(phone_page, transactional_db, assert_accessible):
    ManagerFactory(username="helene", password="correct-horse-battery")
    call = CallFactory(year=2026)
    CallApplicationFactory(call=call, project=ProjectFactory(name="Épicerie de Sucy"))
    page = phone_page
    log_in(page, "helene", "correct-horse-battery")
    page.goto(f"/calls/{call.pk}/applications/")
    expect(page.get_by_text("Épicerie de Sucy").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Épicerie de Sucy").click()
    assert page.get_by_role("button", name="Enregistrer la décision").count() == 0
    assert_accessible(page)


def test_officer_opens_a_new_edition(page, transactional_db, assert_accessible):
    OfficerFactory(username="camille", password="correct-horse-battery")
    log_in(page, "camille", "correct-horse-battery")
    page.goto("/calls/")
    page.get_by_role("link", name="Nouvelle édition").click()
    assert_accessible(page)
    page.get_by_label("Édition (année)").fill("2027")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_title_error")).to_be_visible()
    assert page.get_by_label("Édition (année)").input_value() == "2027"
    assert_accessible(page)
    page.get_by_label("Titre").fill("Initiatives d'ESS")
    page.get_by_label("Enveloppe (€)").fill("50000")
    page.get_by_label("Ouverture le").fill("2027-03-01")
    page.get_by_label("Clôture le").fill("2027-05-31")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Initiatives d'ESS – 2027")).to_be_visible()
    expect(page.get_by_text("50\u00a0000\u00a0€").first).to_be_visible()
