"""An entrepreneur signs up on the public form, on a computer and on a phone; an officer
then triages the application."""

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from contacts.models import Person
from crm.models import Project
from tests.browser.conftest import log_in
from tests.factories import CoachFactory, OfficerFactory


@pytest.fixture(autouse=True)
def no_waiting(settings):
    # The minimum fill time is tested in tests/crm; a robot-fast browser must pass here.
    settings.REGISTRATION_MIN_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def fill_the_form(page, *, email):
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_label("Nom", exact=True).fill("Benali")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Commune où vous habitez").select_option(label="Créteil")
    page.get_by_label("Nom du projet").fill("Vélo-école du Mont-Mesly")
    page.get_by_label("Description du projet").fill("Apprendre le vélo aux adultes du quartier.")
    page.get_by_label("Secteur d'activité").select_option(label="Mobilité, vélo")
    page.get_by_role("radio", name="Faisabilité").check()
    page.get_by_label("Impact social attendu").fill("Mobilité et accès à l'emploi.")
    page.get_by_label("Commune du projet").select_option(label="Créteil")
    page.get_by_label("Quelle aide recherchez-vous ?").fill("Trouver un local et un modèle.")


def test_entrepreneur_signs_up_on_a_computer(page, transactional_db, assert_accessible):
    page.goto("/inscription/")
    expect(page.get_by_role("heading", name="Demander un accompagnement")).to_be_visible()
    # The public page has no staff navigation.
    assert page.get_by_role("navigation", name="Navigation principale").count() == 0
    assert_accessible(page)

    # A mistake: the message is next to the field and nothing typed is lost.
    fill_the_form(page, email="pas-un-courriel")
    page.get_by_role("button", name="Envoyer ma demande").click()
    # The summary links to the field; the message also sits next to the field.
    expect(page.get_by_role("alert").get_by_role("link", name="Courriel")).to_be_visible()
    assert (
        page.locator("#id_email_error").inner_text() == "Saisissez une adresse de courriel valide."
    )
    assert page.get_by_label("Nom du projet").input_value() == "Vélo-école du Mont-Mesly"
    assert_accessible(page)

    page.get_by_label("Courriel").fill("nadia@exemple.fr")
    page.get_by_label("J'accepte de recevoir la lettre d'information").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/inscription/merci/")
    expect(
        page.get_by_role("heading", name="Merci, votre demande est bien envoyée")
    ).to_be_visible()
    assert_accessible(page)
    project = Project.objects.get()
    assert project.status == "applicant" and project.name == "Vélo-école du Mont-Mesly"
    assert Person.objects.get().consent_newsletter
    assert mail.outbox[0].to == ["nadia@exemple.fr"]


def test_entrepreneur_signs_up_on_a_phone(phone_page, transactional_db, assert_accessible):
    page = phone_page
    page.goto("/inscription/")
    assert_accessible(page)
    # Nothing overflows sideways on a small screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    fill_the_form(page, email="nadia@exemple.fr")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/inscription/merci/")
    assert Project.objects.filter(name="Vélo-école du Mont-Mesly").exists()


def test_officer_accepts_an_application(page, transactional_db, assert_accessible):
    OfficerFactory(username="camille", password="correct-horse-battery", first_name="Camille")
    CoachFactory(username="julien", first_name="Julien", last_name="Martin")
    page.goto("/inscription/")
    fill_the_form(page, email="nadia@exemple.fr")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/inscription/merci/")

    log_in(page, "camille", "correct-horse-battery")
    page.get_by_role("link", name="Candidatures").click()
    expect(page.get_by_role("heading", name="Candidatures à traiter")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Vélo-école du Mont-Mesly").click()
    assert_accessible(page)
    page.get_by_label("Accompagnateur·rice").select_option(label="Julien Martin")
    page.get_by_label("Heures d'accompagnement allouées").fill("12")
    page.get_by_role("button", name="Accepter la candidature").click()
    page.wait_for_url("**/applications/")
    expect(page.get_by_text("Décision enregistrée : Acceptée : accompagnement.")).to_be_visible()
    assert Project.objects.get().status == "active"


def test_a_form_sent_twice_is_recorded_once(page, transactional_db, assert_accessible):
    page.goto("/inscription/")
    used = page.locator("input[name=started]").input_value()
    fill_the_form(page, email="nadia@exemple.fr")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/inscription/merci/")
    # The same form sent again (a replay, the back button of some browsers).
    page.goto("/inscription/")
    fill_the_form(page, email="nadia@exemple.fr")
    page.locator("input[name=started]").evaluate("(input, token) => input.value = token", used)
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce formulaire a déjà été envoyé")
    assert_accessible(page)
    assert Project.objects.count() == 1
    # The page offers an empty form with a fresh token for another request.
    assert page.locator("input[name=started]").input_value() != used
    assert page.get_by_label("Nom du projet").input_value() == ""
