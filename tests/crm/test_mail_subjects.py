"""Every e-mail the app sends with people's text in it goes out, line breaks included:
a subject is made one line by crm.core.mail.mail_subject (a line break in a header would
make Django refuse the e-mail, and the intake's sender swallows that failure)."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from crm.core.mail import SUBJECT_MAX_LENGTH, mail_subject
from crm.intake.services import triage
from followups.reminders import send_reminders
from tests.crm.test_registration import URL, answers, fresh_rate_limit  # noqa: F401
from tests.factories import ActionFactory, OrganisationFactory, PersonFactory, ProjectFactory

ROOT = Path(__file__).resolve().parents[2]
BROKEN = "Recyclerie\r\nBcc: victime@exemple.fr\ndu Mont-Mesly"
SENDS_MAIL = re.compile(r"\b(send_mail|send_mass_mail|EmailMessage|EmailMultiAlternatives)\(")
# Where the app sends e-mail; each builds its subjects with mail_subject.
MAIL_SENDERS = {
    "crm/portal/emails.py",
    "crm/intake/services/emails.py",
    "crm/intake/services/letters.py",
    "followups/reminders.py",
    "followups/services/messages.py",
}


def assert_all_sent_on_one_line(expected: int):
    assert len(mail.outbox) == expected
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        # No header smuggled in: the only recipients are the intended ones.
        assert message.message().get_all("Bcc") is None
        assert message.recipients() == message.to


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nouvelle candidature :\r\nBcc: x@y", "Nouvelle candidature : Bcc: x@y"),
        ("tab\tand\u2028separator\x00nul", "tab and separator nul"),
        ("  spaces   everywhere  ", "spaces everywhere"),
    ],
)
def test_a_subject_is_one_line(text, expected):
    assert mail_subject(text) == expected


def test_a_subject_is_bounded():
    subject = mail_subject("Nouvelle candidature : " + "x" * 10_000)
    assert len(subject) == SUBJECT_MAX_LENGTH and subject.endswith("…")


def test_every_module_that_sends_mail_builds_its_subjects_with_the_helper():
    senders = set()
    for package in ("crm", "contacts", "followups", "reports"):
        for path in (ROOT / package).rglob("*.py"):
            if SENDS_MAIL.search(path.read_text()):
                senders.add(str(path.relative_to(ROOT)))
    # A new sender: walk it in a test below and add it here.
    assert senders == MAIL_SENDERS
    for sender in senders:
        assert "mail_subject(" in (ROOT / sender).read_text(), sender


@pytest.mark.django_db
def test_a_registration_with_a_line_break_in_its_project_name_notifies_the_officers(
    client, settings
):
    settings.REGISTRATION_NOTIFY_EMAILS = ["ess@territoire.fr"]
    response = client.post(URL, answers(project_name=BROKEN))
    assert response.status_code == 302
    assert_all_sent_on_one_line(2)
    notification = mail.outbox[1]
    assert notification.to == ["ess@territoire.fr"]
    expected = "À trier : nouvelle candidature en ligne « Recyclerie Bcc:"
    assert notification.subject.startswith(expected)


@pytest.fixture
def applicant(db):
    lead = PersonFactory(first_name="Nadia\nX", last_name="Benali", email="nadia@exemple.fr")
    return ProjectFactory(
        name=BROKEN, status="applicant", source="online_form", entry_date=None, lead=lead
    )


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["accept", "redirect", "decline"])
def test_each_triage_decision_emails_the_applicant_despite_line_breaks(
    decision, applicant, officer, coach
):
    if decision == "accept":
        result = triage.application_accept(
            project=applicant,
            by=officer,
            officer=officer,
            coach=coach,
            hours_allocated=Decimal("10"),
            note="Bienvenue\nà vous",
        )
    elif decision == "redirect":
        partner = OrganisationFactory(name="Chambre\nrégionale", kind="partner")
        result = triage.application_redirect(
            project=applicant,
            by=officer,
            partner=partner,
            reason="Mieux placée\r\npour vous",
            notify_applicant=True,
        )
    else:
        result = triage.application_decline(
            project=applicant, by=officer, reason="Hors critères\r\nBcc: x@y"
        )
    assert result.applicant_emailed
    assert_all_sent_on_one_line(1)


@pytest.mark.django_db
def test_reminders_and_escalations_go_out_despite_line_breaks(coach, officer, project, settings):
    settings.ACTION_ESCALATION_DAYS = 14
    coach.first_name = "Camille\r\nBcc: x@y"
    coach.save()
    project.name = BROKEN
    project.save()
    today = timezone.localdate()
    ActionFactory(
        project=project,
        owner=coach,
        title="Relancer\nla banque",
        due_on=today - datetime.timedelta(days=20),
    )
    reminded, escalated = send_reminders(today)
    assert (reminded, escalated) == (1, 1)
    assert_all_sent_on_one_line(2)
