"""E-mails that lead somewhere: absolute links to the records they mention (from SITE_URL),
French subjects that say what to do, a plain-text body; reminders in one section per
project."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from crm.core.mail import absolute_url
from crm.intake.services import triage
from followups.reminders import send_reminders
from tests.crm.test_registration import URL, answers, fresh_rate_limit  # noqa: F401
from tests.factories import ActionFactory, PersonFactory, ProjectFactory

SITE = "https://crm.territoire.fr"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def test_absolute_url_joins_site_url_to_a_path_or_a_route_name():
    assert absolute_url("/my-work/") == f"{SITE}/my-work/"
    assert absolute_url("crm:project-detail", 12) == f"{SITE}/projects/12/"


@pytest.mark.django_db
def test_the_officers_notification_links_to_the_application_to_triage(client, settings):
    settings.REGISTRATION_NOTIFY_EMAILS = ["ess@territoire.fr"]
    assert client.post(URL, answers(project_name="Recyclerie")).status_code == 302
    confirmation, notification = mail.outbox
    assert confirmation.subject.startswith("Demande d'accompagnement reçue")
    assert notification.subject == "À trier : nouvelle candidature en ligne « Recyclerie »"
    project_pk = notification.body.split(f"{SITE}/applications/")[1].split("/")[0]
    assert project_pk.isdigit()
    assert f"{SITE}/applications/\n" in notification.body
    # Plain text only, nothing relative.
    assert notification.content_subtype == "plain" and "href" not in notification.body


@pytest.mark.django_db
def test_a_declined_applicant_is_told_what_happened(officer):
    lead = PersonFactory(email="nadia@exemple.fr")
    project = ProjectFactory(name="Épicerie", status="applicant", entry_date=None, lead=lead)
    triage.application_decline(project=project, by=officer, reason="Hors territoire")
    (message,) = mail.outbox
    assert message.subject == "Réponse à votre demande d'accompagnement « Épicerie »"
    assert "Hors territoire" in message.body


@pytest.mark.django_db
def test_an_accepted_applicant_knows_who_will_call(officer, coach):
    lead = PersonFactory(email="nadia@exemple.fr")
    project = ProjectFactory(name="Épicerie", status="applicant", entry_date=None, lead=lead)
    triage.application_accept(
        project=project, by=officer, officer=officer, coach=coach, hours_allocated=Decimal(10)
    )
    (message,) = mail.outbox
    assert message.subject.startswith("Candidature acceptée :")


@pytest.mark.django_db
def test_reminders_have_one_section_per_project_with_its_link(coach, officer, settings):
    settings.ACTION_ESCALATION_DAYS = 14
    today = timezone.localdate()
    velo = ProjectFactory(name="Atelier vélo", coach=coach, officer=officer)
    epicerie = ProjectFactory(name="Épicerie solidaire", coach=coach, officer=officer)
    ActionFactory(project=velo, owner=coach, title="Relancer la banque", due_on=today)
    ActionFactory(
        project=epicerie,
        owner=coach,
        title="Déposer le dossier",
        due_on=today - datetime.timedelta(days=20),
    )
    ActionFactory(project=velo, owner=coach, title="Appeler la mairie", due_on=today)
    send_reminders(today)
    reminder = next(m for m in mail.outbox if m.to == [coach.email])
    assert reminder.subject == "À faire : 3 actions d'accompagnement, dont 1 en retard"
    body = reminder.body
    assert body.count("■ Atelier vélo") == 1 and body.count("■ Épicerie solidaire") == 1
    velo_section = body.split("■ Atelier vélo")[1].split("■")[0]
    assert f"{SITE}/projects/{velo.pk}/" in velo_section
    assert "Relancer la banque" in velo_section and "Appeler la mairie" in velo_section
    assert f"{SITE}/actions/?owner={coach.pk}&state=open" in body

    escalation = next(m for m in mail.outbox if m.to == [officer.email])
    assert escalation.subject == "À relancer : 1 action en retard sur vos projets"
    assert f"{SITE}/projects/{epicerie.pk}/" in escalation.body
    assert "Déposer le dossier" in escalation.body and str(coach) in escalation.body
