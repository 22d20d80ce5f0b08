"""Writing to an entrepreneur from the record: templates with a restricted set of merge
fields, sent by a background task through the configured e-mail backend, logged in the
project's timeline and on the person's page."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from followups import messaging, services
from followups.models import MessageStatus, MessageTemplate, SentMessage
from tests.factories import PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(db):
    return PersonFactory(
        first_name="Nadia", last_name="Benali", email="nadia@exemple.fr", consent_newsletter=False
    )


@pytest.fixture
def recyclerie(coach, officer, lead):
    return ProjectFactory(name="Recyclerie du Mont-Mesly", coach=coach, officer=officer, lead=lead)


def test_an_officer_keeps_templates_with_merge_fields_only(client, officer):
    client.force_login(officer)
    url = reverse("followups:message-template-create")
    bad = client.post(
        url, {"name": "Relance", "subject": "{{ projet.nom.upper }}", "body": "{% debug %}"}
    )
    content = bad.content.decode()
    assert bad.status_code == 200 and not MessageTemplate.objects.exists()
    assert "Champ de fusion inconnu : projet.nom.upper." in content
    assert "sans balise" in content
    good = client.post(
        url,
        {"name": "Relance", "subject": "Votre projet {{ projet.nom }}", "body": "Bonjour"},
    )
    assert good.status_code == 302
    assert "Relance" in client.get(reverse("followups:message-template-list")).content.decode()


@pytest.mark.parametrize(
    "text",
    ["{{ personne.prenom|upper }}", "{% load static %}", "{{ personne.__class__ }}", "{{ x }}"],
)
def test_only_the_documented_merge_fields_render(text):
    with pytest.raises(ValidationError):
        messaging.check_template(text)


def test_the_coach_writes_to_the_lead_without_newsletter_consent_and_it_is_logged(
    client, coach, recyclerie, lead
):
    template = MessageTemplate.objects.create(
        name="Point d'étape",
        subject="Point d'étape – {{ projet.nom }}",
        body="Bonjour {{ personne.prenom }},\n{{ expediteur.nom }} <{{ expediteur.email }}>",
    )
    client.force_login(coach)
    url = reverse("followups:project-message", args=[recyclerie.pk])
    page = client.get(url, {"template": template.pk})
    assert page.context["form"]["subject"].value() == template.subject
    response = client.post(
        url,
        {
            "template": template.pk,
            "person": lead.pk,
            "subject": template.subject,
            "body": template.body,
        },
    )
    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.to == ["nadia@exemple.fr"] and email.reply_to == [coach.email]
    assert email.subject == "Point d'étape – Recyclerie du Mont-Mesly"
    assert email.body.startswith("Bonjour Nadia,\n") and coach.email in email.body
    sent = SentMessage.objects.get()
    assert sent.status == MessageStatus.SENT and sent.sent_by == coach
    assert sent.template == template
    timeline = client.get(reverse("crm:project-detail", args=[recyclerie.pk])).content.decode()
    assert "E-mail envoyé : Point d&#x27;étape – Recyclerie du Mont-Mesly" in timeline
    person_page = client.get(reverse("contacts:person-detail", args=[lead.pk])).content.decode()
    assert "Point d&#x27;étape – Recyclerie du Mont-Mesly" in person_page


def test_a_person_without_an_address_gets_a_clear_refusal(client, officer):
    person = PersonFactory(first_name="Lucas", last_name="Petit", email="")
    ProjectFactory(lead=person)
    client.force_login(officer)
    response = client.post(
        reverse("followups:person-message", args=[person.pk]),
        {"subject": "Bonjour", "body": "Bonjour {{ personne.prenom }}"},
    )
    assert response.status_code == 200
    assert "Lucas Petit n&#x27;a pas d&#x27;adresse e-mail" in response.content.decode()
    assert mail.outbox == [] and not SentMessage.objects.exists()


def test_a_delivery_failure_is_recorded_and_shown(client, officer, recyclerie, lead, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("serveur SMTP injoignable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    client.force_login(officer)
    response = client.post(
        reverse("followups:project-message", args=[recyclerie.pk]),
        {"person": lead.pk, "subject": "Relance", "body": "Bonjour"},
        follow=True,
    )
    content = response.content.decode()
    assert "n&#x27;a pas pu être remis" in content
    sent = SentMessage.objects.get()
    assert sent.status == MessageStatus.FAILED and "injoignable" in sent.error
    assert "E-mail non remis : Relance" in content and "injoignable" in content


def test_a_coach_cannot_write_to_the_people_of_another_coachs_project(
    client, other_coach, recyclerie, lead
):
    client.force_login(other_coach)
    assert client.get(reverse("followups:project-message", args=[recyclerie.pk])).status_code == 404
    assert client.get(reverse("followups:person-message", args=[lead.pk])).status_code == 404


def test_the_recipient_must_be_one_of_the_projects_people(coach, recyclerie):
    stranger = PersonFactory()
    with pytest.raises(Exception):  # noqa: B017 - 404 (not visible) or refusal
        services.message_send(person=stranger, project=recyclerie, subject="x", body="y", by=coach)
    assert not SentMessage.objects.exists()


def test_with_a_worker_the_message_is_queued_then_sent_by_the_task(
    coach, recyclerie, lead, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.TASKS_BACKEND = "database"
    queued = []
    task = services.deliver_message
    monkeypatch.setattr(
        "followups.services.messages.deliver_message",
        type("QueuedTask", (), {"enqueue": staticmethod(queued.append)}),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.message_send(
            person=lead, project=recyclerie, subject="Relance", body="Bonjour", by=coach
        )
    assert queued == [sent.pk] and mail.outbox == []
    assert SentMessage.objects.get().status == MessageStatus.QUEUED
    task.call(sent.pk)  # what db_worker runs
    assert SentMessage.objects.get().status == MessageStatus.SENT and len(mail.outbox) == 1
