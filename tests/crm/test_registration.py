"""The public registration form: what an entrepreneur sees and what the officers get."""

import re
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from pytest_django.asserts import assertContains

from contacts.models import Organisation, Person
from crm.intake.antiabuse import started_token
from crm.models import Project, Registration, StageChange
from tests.factories import OfficerFactory, OrganisationFactory, PersonFactory, commune

URL = reverse("registration:form")
VALID_SIRET = "73282932000074"


@pytest.fixture(autouse=True)
def fresh_rate_limit(settings):
    settings.REGISTRATION_MIN_SECONDS = 5
    settings.REGISTRATION_RATE_LIMIT = 5
    settings.REGISTRATION_NOTIFY_EMAILS = []
    cache.clear()
    yield
    cache.clear()


def token(seconds_ago=60):
    # A fresh id each time: every submission below is its own form.
    return started_token(at=time.time() - seconds_ago)


def answers(**overrides):
    data = {
        "first_name": "Hélène",
        "last_name": "Dupré",
        "email": "Helene.Dupre@Exemple.fr",
        "phone": "06 12 34 56 78",
        "commune": commune("Créteil").pk,
        "gender": "female",
        "birth_year": "1990",
        "employment_situation": "jobseeker",
        "lives_in_qpv": "yes",
        "project_name": "Recyclerie du Mont-Mesly",
        "description": "Une recyclerie de quartier avec un atelier de réparation.",
        "sector": "circular",
        "stage": "feasibility",
        "social_impact": "Trois emplois en insertion.",
        "environmental_impact": "Vingt tonnes d'objets réemployés par an.",
        "project_commune": commune("Créteil").pk,
        "project_in_qpv": "yes",
        "organisation_name": "",
        "legal_form": "",
        "siret": "",
        "help_sought": "Modèle économique et recherche de locaux.",
        "heard_from": "commune",
        "website": "",
        "started": token(),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_form_opens_without_login_and_explains_the_data_use(client, settings):
    settings.DPO_CONTACT = "dpo@territoire.fr"
    response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Demander un accompagnement" in content
    assert "article 6, paragraphe 1, point e du RGPD" in content
    assert "3 ans après notre dernier contact" in content
    assert "dpo@territoire.fr" in content
    # Optional consent: a separate, unticked box.
    consent = re.search(r"<input[^>]*name=\"consent_newsletter\"[^>]*>", content).group(0)
    assert "checked" not in consent
    # No staff navigation on the public page.
    assert "Navigation principale" not in content and "Projets" not in content


@pytest.mark.django_db
def test_a_submission_creates_person_project_and_emails(client):
    OfficerFactory(username="officer_a", email="camille@territoire.fr")
    response = client.post(URL, answers(consent_newsletter="on"))
    assert response.status_code == 302 and response["Location"] == reverse("registration:thanks")

    person = Person.objects.get()
    assert person.email == "helene.dupre@exemple.fr"
    assert person.lives_in_qpv is True and person.birth_year == 1990
    assert person.consent_newsletter and person.consent_newsletter_at is not None
    project = Project.objects.get()
    assert project.status == "applicant" and project.source == "online_form"
    assert project.stage == "feasibility" and project.in_qpv is True
    assert project.members.get().person == person
    assert StageChange.objects.filter(project=project, to_status="applicant").exists()
    registration = Registration.objects.get()
    assert registration.help_sought.startswith("Modèle économique")

    confirmation, notification = mail.outbox
    assert confirmation.to == ["helene.dupre@exemple.fr"]
    assert confirmation.subject.startswith("Demande d'accompagnement reçue")
    # Fixed text: nothing the visitor typed goes to the address they typed.
    assert "Recyclerie du Mont-Mesly" not in confirmation.body
    assert "Hélène" not in confirmation.body
    assert notification.to == ["camille@territoire.fr"]
    assert "À trier : nouvelle candidature" in notification.subject


@pytest.mark.django_db
def test_notifications_go_to_the_configured_addresses(client, settings):
    settings.REGISTRATION_NOTIFY_EMAILS = ["ess@territoire.fr"]
    OfficerFactory(username="officer_a", email="camille@territoire.fr")
    client.post(URL, answers())
    assert mail.outbox[1].to == ["ess@territoire.fr"]


@pytest.mark.django_db
def test_newsletter_is_not_subscribed_without_the_box(client):
    client.post(URL, answers())
    person = Person.objects.get()
    assert not person.consent_newsletter and person.consent_newsletter_at is None


@pytest.mark.django_db
def test_bad_input_is_explained_next_to_each_field_and_kept(client):
    response = client.post(
        URL, answers(email="pas-un-courriel", siret="12345678901234", project_name="")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in content
    assert "Ce SIRET n" in content
    assert "« Nom du projet » est à renseigner." in content
    # The summary at the top links to each field at fault.
    assertContains(response, '<a href="#id_email">Courriel</a>', html=True)
    # Nothing typed is lost.
    assert "Une recyclerie de quartier" in content and 'value="pas-un-courriel"' in content
    assert 'aria-describedby="id_email_helptext id_email_error"' in content
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_the_honeypot_refuses_quietly_and_logs(client, caplog):
    response = client.post(URL, answers(website="http://spam.example"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "pas pu être enregistrée" in content
    assert "Recyclerie du Mont-Mesly" in content  # a human caught by mistake loses nothing
    assert not Project.objects.exists() and not mail.outbox
    assert "Registration refused (honeypot)" in caplog.text


@pytest.mark.django_db
def test_a_form_sent_too_fast_is_refused(client, caplog):
    client.post(URL, answers(started=token(seconds_ago=1)))
    assert not Project.objects.exists()
    assert "Registration refused (too_fast)" in caplog.text


@pytest.mark.django_db
def test_a_forged_start_token_is_refused(client, caplog):
    client.post(URL, answers(started="1700000000"))
    assert not Project.objects.exists()
    assert "Registration refused (bad_token)" in caplog.text


@pytest.mark.django_db
def test_the_rate_limit_stops_an_address_after_the_allowance(client, settings, caplog):
    settings.REGISTRATION_RATE_LIMIT = 2
    for n in range(3):
        client.post(URL, answers(email=f"porteur{n}@exemple.fr", project_name=f"Projet {n}"))
    assert Project.objects.count() == 2
    assert "Registration refused (rate_limit)" in caplog.text
    # Another address is not affected.
    client.post(
        URL, answers(email="autre@exemple.fr", project_name="Autre"), REMOTE_ADDR="10.0.0.9"
    )
    assert Project.objects.count() == 3


@pytest.mark.django_db
def test_a_known_email_in_another_case_is_held_for_reconciliation(client):
    known = PersonFactory(first_name="Hélène", last_name="Dupré", email="helene.dupre@exemple.fr")
    client.post(URL, answers(email="HELENE.DUPRE@EXEMPLE.FR"))
    assert Person.objects.count() == 1
    registration = Registration.objects.get()
    # Nobody is linked until an officer says so: the submission waits on the registration.
    assert registration.person is None and registration.person_matched
    assert registration.person_to_reconcile
    assert list(registration.possible_duplicate_people.all()) == [known]
    assert registration.submitted_person["email"] == "helene.dupre@exemple.fr"
    assert not registration.project.members.exists()


@pytest.mark.django_db
def test_a_known_siret_is_held_for_reconciliation(client):
    known = OrganisationFactory(name="Recyclerie de Créteil", siret=VALID_SIRET)
    client.post(
        URL,
        answers(
            organisation_name="La Recyclerie", legal_form="association", siret="732 829 320 00074"
        ),
    )
    assert Organisation.objects.count() == 1
    project = Project.objects.get()
    assert project.organisation is None
    registration = Registration.objects.get()
    assert registration.organisation_matched and registration.organisation_to_reconcile
    assert registration.submitted_organisation["name"] == "La Recyclerie"
    assert not known.memberships.exists()
    # The person is new: created and lead of the project.
    assert project.members.get().person.email == "helene.dupre@exemple.fr"


@pytest.mark.django_db
def test_a_same_name_ignoring_case_and_accents_is_flagged_not_merged(client):
    namesake = PersonFactory(first_name="helene", last_name="DUPRE", email="autre@exemple.fr")
    same_org = OrganisationFactory(name="Ressourcerie Eco-Logique")
    client.post(
        URL, answers(organisation_name="RESSOURCERIE ÉCO-LOGIQUE", legal_form="association")
    )
    assert Person.objects.count() == 1 and Organisation.objects.count() == 1
    registration = Registration.objects.get()
    assert list(registration.possible_duplicate_people.all()) == [namesake]
    assert list(registration.possible_duplicate_organisations.all()) == [same_org]
    assert registration.person_to_reconcile and registration.organisation_to_reconcile


@pytest.mark.django_db
def test_a_registration_nobody_else_could_be_creates_its_records(client):
    client.post(URL, answers(organisation_name="Ressourcerie du Port", legal_form="association"))
    registration = Registration.objects.get()
    assert not registration.to_reconcile and registration.reconciled_at
    assert registration.person.email == "helene.dupre@exemple.fr"
    project = registration.project
    assert project.members.get().person == registration.person
    assert project.organisation.memberships.get().person == registration.person


@pytest.mark.django_db
def test_the_thank_you_page(client):
    response = client.get(reverse("registration:thanks"))
    assert "Merci, votre demande est bien envoyée" in response.content.decode()
