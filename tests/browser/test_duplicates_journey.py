"""An officer finds two records of one person on the duplicates page, merges them choosing
the values field by field with the keyboard, then reads the merge in the history; and an
officer completes an organisation from SIRENE (a local fake of the directory)."""

from playwright.sync_api import expect

from contacts.duplicate_scan import scan_duplicates
from contacts.models import MergeRecord, Organisation, Person
from tests.browser.conftest import log_in
from tests.contacts.sirene_server import FakeSirene
from tests.factories import OfficerFactory, OrganisationFactory, PersonFactory, ProjectFactory


def officer_logs_in(page):
    OfficerFactory(username="camille", password="correct-horse-battery")
    log_in(page, "camille", "correct-horse-battery")


def test_officer_merges_duplicates_field_by_field(page, transactional_db, assert_accessible):
    kept = PersonFactory(
        first_name="Helene", last_name="Lefevre", email="helene@exemple.fr", phone=""
    )
    twin = PersonFactory(
        first_name="Hélène", last_name="Lefèvre", email="h.lefevre@exemple.fr", phone="0612345678"
    )
    ProjectFactory(name="Friperie solidaire", lead=twin)
    scan_duplicates()
    officer_logs_in(page)
    page.goto("/contacts/people/")
    page.get_by_role("link", name="Doublons probables").click()
    expect(page.get_by_role("heading", name="Doublons probables", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Hélène Lefèvre", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Comparer et fusionner").click()
    expect(page.get_by_role("group", name="Prénom")).to_be_visible()
    assert_accessible(page)

    # The keyboard alone: focus the first name's choice, arrow to the other value.
    first_name = page.get_by_role("group", name="Prénom")
    first_name.get_by_role("radio").first.focus()
    page.keyboard.press("ArrowDown")
    expect(first_name.get_by_role("radio", name="Hélène")).to_be_checked()
    page.get_by_role("group", name="Nom", exact=True).get_by_role("radio", name="Lefèvre").check()
    # A blank phone on the kept record takes the other one by default.
    expect(page.get_by_role("group", name="Téléphone").get_by_role("radio").last).to_be_checked()
    page.get_by_role("button", name="Confirmer la fusion").click()

    page.wait_for_url(f"**{kept.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Hélène LEFÈVRE")).to_be_visible()
    expect(page.get_by_text("Friperie solidaire")).to_be_visible()
    expect(page.get_by_text("« Helene » → « Hélène »")).to_be_visible()
    assert_accessible(page)
    kept.refresh_from_db()
    assert (kept.first_name, kept.last_name, kept.phone) == ("Hélène", "Lefèvre", "+33612345678")
    assert MergeRecord.objects.get().kept_person == kept
    assert Person.objects.get(pk=twin.pk).merged_into == kept


def test_officer_completes_an_organisation_from_sirene(
    page, transactional_db, assert_accessible, settings
):
    organisation = OrganisationFactory(name="Recyclerie du Mont", siret="73282932000074")
    with FakeSirene() as fake:
        settings.SIRENE_API_URL = fake.url
        officer_logs_in(page)
        page.goto(organisation.get_absolute_url())
        page.get_by_role("link", name="Compléter depuis SIRENE").click()
        expect(
            page.get_by_role("heading", name="Compléter « Recyclerie du Mont » depuis SIRENE")
        ).to_be_visible()
        assert_accessible(page)
        page.get_by_role("checkbox", name="Nom").uncheck()
        page.get_by_role("button", name="Enregistrer les champs cochés").click()
        page.wait_for_url(f"**{organisation.get_absolute_url()}")
        expect(page.get_by_text("02/03/2015")).to_be_visible()
        assert_accessible(page)
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.name == "Recyclerie du Mont" and organisation.naf_code == "3832Z"
