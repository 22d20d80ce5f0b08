"""An officer sets up the provider's contract with its unit prices and a purchase order in
the app; a coach corrects a meeting's note afterwards; the cohort page shows its hours."""

import datetime
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from contacts.models import OrganisationKind
from followups.models import (
    Cohort,
    Contract,
    MeetingNote,
    NoteVisibility,
    PurchaseOrder,
    TimeKind,
    UnitKind,
)
from tests.browser.conftest import log_in
from tests.factories import (
    CoachFactory,
    MeetingFactory,
    OfficerFactory,
    OrganisationFactory,
    ProjectFactory,
)

PASSWORD = "correct-horse-battery"


def test_officer_creates_a_contract_with_unit_prices_and_a_purchase_order(
    page, phone_page, transactional_db, assert_accessible
):
    OfficerFactory(username="camille", password=PASSWORD)
    OrganisationFactory(name="Coop'Accompagnement", kind=OrganisationKind.PROVIDER)
    log_in(page, "camille", PASSWORD)
    page.goto("/contracts/")
    page.get_by_role("link", name="Nouveau marché").click()
    expect(page.get_by_role("heading", name="Nouveau marché")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Référence").fill("2027-ESS-001")
    page.get_by_label("Prestataire").select_option(label="Coop'Accompagnement")
    page.get_by_label("Début").fill("2027-01-01")
    page.get_by_label("Fin").fill("2027-12-31")
    page.get_by_label("Montant maximum (€)").fill("20000")
    page.get_by_label("Prix : Heure d'accompagnement individuel (€)").fill("82,50")
    page.get_by_label("Prix : Entrepreneur·e en promotion (forfait) (€)").fill("1200")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/contracts/*/")
    expect(page.get_by_text("Le marché est enregistré.")).to_be_visible()
    expect(page.get_by_role("heading", name="Marché 2027-ESS-001")).to_be_visible()
    assert_accessible(page)
    contract = Contract.objects.get(reference="2027-ESS-001")
    assert contract.prices.count() == 2

    page.get_by_role("link", name="Nouveau bon de commande").click()
    assert_accessible(page)
    page.get_by_label("Numéro").fill("BC-2027-01")
    page.get_by_label("Date").fill("2027-02-01")
    page.get_by_label("Quantité : Heure d'accompagnement individuel").fill("100")
    # 100 h × 82,50 + 20 × 1 200 = 32 250 €: over the maximum, refused in French.
    page.get_by_label("Quantité : Entrepreneur·e en promotion (forfait)").fill("20")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("plus que son montant maximum")).to_be_visible()
    assert page.get_by_label("Numéro").input_value() == "BC-2027-01"
    assert_accessible(page)
    page.get_by_label("Quantité : Entrepreneur·e en promotion (forfait)").fill("8")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/contracts/*/")
    expect(page.get_by_text("Le bon de commande est enregistré.")).to_be_visible()
    order = PurchaseOrder.objects.get(number="BC-2027-01")
    assert dict(order.lines.values_list("unit", "quantity")) == {
        UnitKind.COACHING_HOUR: 100,
        UnitKind.COHORT_ENTREPRENEUR: 8,
    }
    # 8 250 + 9 600 ordered.
    expect(page.get_by_text("17\u202f850\u00a0€").first).to_be_visible()

    log_in(phone_page, "camille", PASSWORD)
    phone_page.goto(f"/contracts/{contract.pk}/")
    expect(phone_page.get_by_role("link", name="Nouveau bon de commande")).to_be_visible()
    assert_accessible(phone_page)
    phone_page.goto(f"/orders/{order.pk}/edit/")
    expect(phone_page.get_by_label("Numéro")).to_be_visible()
    assert_accessible(phone_page)


def test_coach_edits_a_meeting_note_afterwards(
    page, phone_page, transactional_db, assert_accessible
):
    coach = CoachFactory(username="julien", password=PASSWORD)
    project = ProjectFactory(name="Vélo-école de Créteil", coach=coach)
    meeting = MeetingFactory(project=project, led_by=coach)
    MeetingNote.objects.create(
        meeting=meeting, text="Relancer la banque.", visibility=NoteVisibility.PROVIDER
    )
    MeetingNote.objects.create(
        meeting=meeting, text="Avis réservé du comité.", visibility=NoteVisibility.INTERNAL
    )
    log_in(page, "julien", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    expect(page.get_by_text("Relancer la banque.")).to_be_visible()
    assert page.get_by_text("Avis réservé du comité.").count() == 0
    page.get_by_role("link", name="Modifier la note 1").click()
    expect(page.get_by_role("heading", name="Modifier la note")).to_be_visible()
    assert_accessible(page)
    assert page.locator("option[value=internal]").count() == 0
    page.get_by_label("Texte de la note").fill("Relancer la banque lundi, avec le prévisionnel.")
    page.get_by_label("Visibilité").select_option("entrepreneur")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/#notes-title")
    expect(page.get_by_text("La note est modifiée.")).to_be_visible()
    expect(page.get_by_text("Relancer la banque lundi, avec le prévisionnel.")).to_be_visible()
    assert_accessible(page)
    note = MeetingNote.objects.get(visibility=NoteVisibility.ENTREPRENEUR)
    assert note.version == 2 and note.history.count() == 2

    page.get_by_role("link", name="Ajouter une note").click()
    page.get_by_label("Texte de la note").fill("Prévoir un point trésorerie.")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/#notes-title")
    expect(page.get_by_text("Prévoir un point trésorerie.")).to_be_visible()
    page.get_by_role("button", name="Supprimer la note 2").click()
    expect(page.get_by_text("La note est supprimée.")).to_be_visible()
    assert page.get_by_text("Prévoir un point trésorerie.").count() == 0

    log_in(phone_page, "julien", PASSWORD)
    phone_page.goto(f"/notes/{note.pk}/edit/")
    expect(phone_page.get_by_label("Texte de la note")).to_be_visible()
    assert_accessible(phone_page)
    phone_page.goto(f"/meetings/{meeting.pk}/")
    assert_accessible(phone_page)


def test_officer_edits_a_cohort_and_sees_its_collective_hours(
    page, phone_page, transactional_db, assert_accessible
):
    OfficerFactory(username="camille", password=PASSWORD)
    project = ProjectFactory(name="Recyclerie de Vitry")
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        name="Promotion d'automne",
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=80),
        hours_allocated=Decimal(5),
    )
    cohort.projects.add(project)
    MeetingFactory(
        project=project, duration_minutes=240, time_kind=TimeKind.COLLECTIVE, cohort=cohort
    )
    log_in(page, "camille", PASSWORD)
    page.goto(f"/cohorts/{cohort.pk}/")
    expect(page.get_by_text("4\u00a0h utilisées sur 5\u00a0h allouées")).to_be_visible()
    expect(page.get_by_text("Allocation de la promotion presque épuisée")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Modifier").click()
    assert_accessible(page)
    page.get_by_label("Heures collectives allouées").fill("12")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/cohorts/{cohort.pk}/")
    expect(page.get_by_text("4\u00a0h utilisées sur 12\u00a0h allouées")).to_be_visible()

    log_in(phone_page, "camille", PASSWORD)
    phone_page.goto(f"/cohorts/{cohort.pk}/")
    expect(phone_page.get_by_text("4\u00a0h utilisées sur 12\u00a0h allouées")).to_be_visible()
    assert_accessible(phone_page)
