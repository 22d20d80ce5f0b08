"""The "my work" page, one-click done, the calendar feed and its token."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from followups.models import Action, CalendarToken
from tests.factories import ActionFactory, MeetingFactory, ProjectFactory

pytestmark = pytest.mark.django_db
URL = reverse("followups:my-work")


def _today():
    return timezone.localdate()


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_actions_are_split_into_overdue_this_week_and_later(client, coach, project):
    today = _today()
    ActionFactory(
        project=project,
        owner=coach,
        title="Action en retard",
        due_on=today - datetime.timedelta(days=3),
    )
    ActionFactory(project=project, owner=coach, title="Action du jour", due_on=today)
    ActionFactory(
        project=project,
        owner=coach,
        title="Action lointaine",
        due_on=today + datetime.timedelta(days=30),
    )
    ActionFactory(project=project, owner=coach, title="Action faite", due_on=today, done_on=today)
    client.force_login(coach)
    content = client.get(URL).content.decode()
    overdue = content.index("En retard")
    week = content.index("Cette semaine")
    later = content.index("Plus tard")
    assert overdue < content.index("Action en retard") < week
    assert week < content.index("Action du jour") < later
    assert later < content.index("Action lointaine")
    assert "Action faite" not in content


def test_one_click_done_is_a_post_and_only_for_visible_actions(client, coach, other_coach, project):
    action = ActionFactory(project=project, owner=coach, due_on=_today())
    url = reverse("followups:action-done", args=[action.pk])
    client.force_login(other_coach)
    assert client.post(url).status_code == 404
    client.force_login(coach)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    action.refresh_from_db()
    assert action.done_on == _today()
    assert "faite" in response.content.decode()


def test_projects_without_a_recent_meeting_are_flagged(client, coach, settings):
    settings.STALE_PROJECT_DAYS = 30
    quiet = ProjectFactory(name="Projet silencieux", coach=coach)
    busy = ProjectFactory(name="Projet suivi", coach=coach)
    MeetingFactory(project=quiet, start=timezone.now() - datetime.timedelta(days=45))
    MeetingFactory(project=busy, start=timezone.now() - datetime.timedelta(days=5))
    ProjectFactory(name="Projet jamais vu", coach=coach)
    client.force_login(coach)
    content = client.get(URL).content.decode()
    assert "Projets sans rendez-vous depuis 30 jours" in content
    assert "Projet silencieux" in content and "Projet jamais vu" in content
    assert "Projet suivi" not in content


@pytest.mark.parametrize("persona", ["officer", "coach", "manager"])
def test_my_work_runs_a_fixed_number_of_queries(
    client, request, persona, coach, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    project = ProjectFactory(coach=coach, officer=user if persona == "officer" else None)
    ActionFactory.create_batch(3, project=project, owner=user, due_on=_today())
    with django_assert_max_num_queries(20) as small:
        assert client.get(URL).status_code == 200
    for _n in range(10):
        other = ProjectFactory(coach=coach)
        ActionFactory.create_batch(3, project=other, owner=user, due_on=_today())
    # session, user, roles, open actions with their project, stale projects with the last
    # meeting in a subquery, calendar token: none per row.
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)


def _feed(client, user):
    client.force_login(user)
    client.post(reverse("followups:calendar-regenerate"))
    token = CalendarToken.objects.get(user=user).token
    client.logout()
    return token, client.get(reverse("followups:calendar-feed", args=[token]))


def test_calendar_feed_parses_back_with_meetings_and_due_actions(client, coach, project):
    MeetingFactory(project=project, led_by=coach, place="Créteil")
    ActionFactory(project=project, owner=coach, title="Envoyer les statuts", due_on=_today())
    _token, response = _feed(client, coach)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(item.get("summary")) for item in calendar.walk("VEVENT")]
    assert any("Atelier vélo des Bords de Marne" in s for s in summaries)
    assert any("Envoyer les statuts" in s for s in summaries)


def test_calendar_feed_leaves_out_other_users_items(client, coach, other_coach, project):
    ActionFactory(project=project, owner=coach, title="Action de Julien", due_on=_today())
    _token, response = _feed(client, other_coach)
    assert b"Action de Julien" not in response.content


def test_regenerating_the_token_revokes_the_old_url(client, coach):
    old, _response = _feed(client, coach)
    new, response = _feed(client, coach)
    assert old != new and response.status_code == 200
    assert client.get(reverse("followups:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("followups:calendar-feed", args=["inconnu"])).status_code == 404


def test_regeneration_needs_a_post(client, coach):
    client.force_login(coach)
    assert client.get(reverse("followups:calendar-regenerate")).status_code == 405
    assert not CalendarToken.objects.exists()


def test_a_disabled_account_feed_is_gone(client, coach):
    token, _response = _feed(client, coach)
    coach.is_active = False
    coach.save()
    assert client.get(reverse("followups:calendar-feed", args=[token])).status_code == 404


def test_done_date_cannot_precede_creation(project, coach):
    from django.core.exceptions import ValidationError

    action = Action(
        project=project,
        owner=coach,
        title="x",
        due_on=_today(),
        created_on=_today(),
        done_on=_today() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        action.full_clean()


def test_manager_cannot_complete_an_action(client, manager, coach, project):
    action = ActionFactory(project=project, owner=coach, due_on=_today())
    client.force_login(manager)
    assert client.post(reverse("followups:action-done", args=[action.pk])).status_code == 403
    action.refresh_from_db()
    assert action.done_on is None
