"""An officer creates a person, is warned of a likely duplicate before saving, and merges
two records of the same person."""

from playwright.sync_api import expect

from contacts.models import MergeRecord, Person
from tests.browser.conftest import log_in
from tests.factories import OfficerFactory, PersonFactory, ProjectFactory, commune


def officer_logs_in(page):
    OfficerFactory(username="camille", password="correct-horse-battery")
    log_in(page, "camille", "correct-horse-battery")


def test_officer_creates_a_person(page, transactional_db, assert_accessible):
    officer_logs_in(page)
    page.get_by_role("link", name="Porteur·ses", exact=True).click()
    expect(page.get_by_role("heading", name="Porteur·ses de projet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nouveau·elle porteur·se").click()
    page.get_by_text("protection des données").wait_for()
    page.get_by_label("Prénom").fill("Inès")
    page.locator("#id_last_name").fill("Haddad")
    page.get_by_label("Courriel").fill("Ines.Haddad@Exemple.fr")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Commune de résidence").select_option(label="Créteil")
    page.get_by_label("Accepte la lettre d'information").check()
    assert_accessible(page)
    page.get_by_role("button", name="Créer la fiche").click()
    page.wait_for_url("**/contacts/people/*/")
    expect(page.get_by_role("heading", name="Inès HADDAD")).to_be_visible()
    expect(page.get_by_text("ines.haddad@exemple.fr")).to_be_visible()
    expect(page.get_by_text("Oui, depuis le")).to_be_visible()
    assert_accessible(page)


def test_a_likely_duplicate_is_shown_before_saving(page, transactional_db, assert_accessible):
    existing = PersonFactory(
        first_name="Hélène", last_name="Lefèvre", email="", commune=commune("Créteil")
    )
    officer_logs_in(page)
    page.goto("/contacts/people/new/")
    page.get_by_label("Prénom").fill("helene")
    page.locator("#id_last_name").fill("LEFEVRE")
    page.get_by_label("Courriel").fill("helene@exemple.fr")
    page.get_by_role("button", name="Créer la fiche").click()

    warning = page.get_by_role("alert").filter(has_text="existe peut-être déjà")
    warning.wait_for()
    assert warning.get_by_role("link", name="Hélène Lefèvre").get_attribute("href") == (
        existing.get_absolute_url()
    )
    # Nothing typed is lost, nothing is saved yet.
    assert page.get_by_label("Courriel").input_value() == "helene@exemple.fr"
    assert Person.objects.count() == 1
    assert_accessible(page)

    page.get_by_role("button", name="Créer quand même").click()
    page.wait_for_url("**/contacts/people/*/")
    assert Person.objects.count() == 2


def test_officer_merges_two_people(page, transactional_db, assert_accessible):
    kept = PersonFactory(first_name="Léa", last_name="Martin", email="lea@exemple.fr")
    twin = PersonFactory(first_name="Lea", last_name="MARTIN", email="l.martin@exemple.fr")
    ProjectFactory(name="Friperie solidaire", lead=twin)
    officer_logs_in(page)
    page.goto(kept.get_absolute_url())
    page.get_by_role("link", name="Fusionner avec un doublon").click()
    page.get_by_role("link", name="Fusionner avec Lea MARTIN").click()
    page.get_by_text("Porteur·ses du projet : 1").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer la fusion").click()
    page.wait_for_url(f"**{kept.get_absolute_url()}")
    expect(page.get_by_text("Friperie solidaire")).to_be_visible()
    expect(page.get_by_text("fusionnée par")).to_be_visible()
    assert MergeRecord.objects.get().kept_person == kept
    assert_accessible(page)


def test_people_list_on_a_phone(phone_page, transactional_db, assert_accessible):
    PersonFactory(first_name="Léa", last_name="Martin")
    officer_logs_in(phone_page)
    phone_page.goto("/contacts/people/")
    expect(phone_page.get_by_role("link", name="MARTIN Léa")).to_be_visible()
    assert_accessible(phone_page)
