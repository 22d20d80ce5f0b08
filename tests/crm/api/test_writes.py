"""Writes go through the pages' services: a meeting with notes and next steps, actions, a
stage move; a stale `version` is a 409 that writes nothing; the history names the token's
user."""

import pytest
from django.utils import timezone

from crm.models import StageChange
from followups.models import Action, Meeting
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def _meeting(project, owner, **extra):
    return {
        "project": project.pk,
        "start": "2026-11-20T09:00:00+01:00",
        "duration_minutes": 90,
        "summary": "Point sur le prévisionnel.",
        "notes": [{"visibility": "provider", "text": "Budget à revoir."}],
        "next_steps": [{"title": "Envoyer le budget", "owner": owner.pk, "due_on": "2026-12-01"}],
        **extra,
    }


def test_a_coach_logs_a_meeting_with_notes_and_next_steps(api, coach, project):
    response = api(coach).post("/api/v1/meetings/", _meeting(project, coach), format="json")
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.led_by == coach and meeting.duration_minutes == 90
    assert [n.text for n in meeting.notes.all()] == ["Budget à revoir."]
    assert list(meeting.actions.values_list("title", "owner")) == [("Envoyer le budget", coach.pk)]
    assert meeting.history.first().history_user == coach
    project.refresh_from_db()
    assert project.last_meeting_at == meeting.start


def test_a_coach_cannot_write_an_internal_note_nor_log_on_another_project(
    api, coach, other_coach, project
):
    internal = _meeting(project, coach, notes=[{"visibility": "internal", "text": "x"}])
    response = api(coach).post("/api/v1/meetings/", internal, format="json")
    assert response.status_code == 400 and "notes" in response.json()
    response = api(other_coach).post("/api/v1/meetings/", _meeting(project, coach), format="json")
    assert response.status_code == 400 and "project" in response.json()
    assert not Meeting.objects.exists()


def test_a_manager_reads_but_does_not_write(api, manager, coach, project):
    response = api(manager).post("/api/v1/meetings/", _meeting(project, coach), format="json")
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_actions_are_created_and_updated_with_their_version(api, coach, officer, project):
    client = api(coach)
    created = client.post(
        "/api/v1/actions/",
        {
            "project": project.pk,
            "title": "Appeler la banque",
            "owner": officer.pk,
            "due_on": "2026-12-10",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/actions/{created.json()['id']}/"
    today = str(timezone.localdate())
    changed = client.patch(url, {"version": 1, "done_on": today}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "title": "Écrasé"}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    action = Action.objects.get()
    assert action.title == "Appeler la banque" and str(action.done_on) == today
    assert action.history.first().history_user == coach


def test_an_action_cannot_be_given_to_someone_outside_the_project(api, coach, other_coach, project):
    response = api(coach).post(
        "/api/v1/actions/",
        {"project": project.pk, "title": "x", "owner": other_coach.pk, "due_on": "2026-12-10"},
        format="json",
    )
    assert response.status_code == 400 and "owner" in response.json()
    action = ActionFactory(project=project)
    response = api(other_coach).patch(
        f"/api/v1/actions/{action.pk}/", {"version": 1, "title": "x"}, format="json"
    )
    assert response.status_code == 404


def test_a_stage_move_is_recorded_and_a_stale_version_is_409(api, coach, project):
    client = api(coach)
    url = f"/api/v1/projects/{project.pk}/stage/"
    moved = client.post(url, {"version": project.version, "stage": "launch"}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == "launch"
    change = StageChange.objects.filter(project=project).first()
    assert (change.to_stage, change.by) == ("launch", coach)
    project.refresh_from_db()
    assert project.history.first().history_user == coach
    stale = client.post(url, {"version": 1, "stage": "consolidation"}, format="json")
    assert stale.status_code == 409
    project.refresh_from_db()
    assert project.stage == "launch"
    exited = client.post(url, {"version": project.version, "status": "exited"}, format="json")
    assert exited.status_code == 400 and "exit_reason" in exited.json()


def test_another_coach_gets_404_on_a_stage_move(api, other_coach, manager, project):
    url = f"/api/v1/projects/{project.pk}/stage/"
    assert api(other_coach).post(url, {"version": 1, "stage": "launch"}).status_code == 404
    assert api(manager).post(url, {"version": 1, "stage": "launch"}).status_code == 403
    project.refresh_from_db()
    assert project.stage == "feasibility"
