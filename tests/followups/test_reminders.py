"""send_reminders: once a day per user, escalation to the officer, in French."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from followups.models import ReminderLog
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_each_user_gets_overdue_and_due_soon_actions_once_a_day(coach, officer, project):
    ActionFactory(project=project, owner=coach, title="Relancer la banque", due_on=_days(-2))
    ActionFactory(project=project, owner=coach, title="Envoyer le budget", due_on=_days(1))
    ActionFactory(project=project, owner=coach, title="Plus tard", due_on=_days(20))
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coach.email]
    assert message.subject == "À faire : 2 actions d'accompagnement, dont 1 en retard"
    assert "Relancer la banque" in message.body
    assert "Envoyer le budget" in message.body and "Plus tard" not in message.body
    assert "en retard de 2 jours" in message.body

    call_command("send_reminders")
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1


def test_done_actions_send_nothing(coach, project):
    ActionFactory(project=project, owner=coach, due_on=_days(-2), done_on=_days(0))
    call_command("send_reminders")
    assert mail.outbox == []


def test_long_overdue_actions_are_escalated_to_the_officer_once(coach, officer, project, settings):
    settings.ACTION_ESCALATION_DAYS = 14
    ActionFactory(project=project, owner=coach, title="Déposer le dossier", due_on=_days(-20))
    ActionFactory(project=project, owner=coach, title="Petit retard", due_on=_days(-3))
    call_command("send_reminders")
    to_officer = [m for m in mail.outbox if m.to == [officer.email]]
    assert len(to_officer) == 1
    assert "Déposer le dossier" in to_officer[0].body and "Petit retard" not in to_officer[0].body
    assert "plus de 14 jours" in to_officer[0].body
    call_command("send_reminders")
    assert len([m for m in mail.outbox if m.to == [officer.email]]) == 1
