"""Editing a meeting with its participants, a note and next steps under optimistic
locking: a current save keeps working, a stale one writes nothing and keeps what was typed."""

import pytest
from django.urls import reverse

from followups.models import Action, Meeting, MeetingNote
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _edit(meeting, coach, **overrides):
    person = meeting.project.people.get()
    data = {
        "start": "2026-10-05T14:00",
        "duration_minutes": "45",
        "format": "individual",
        "mode": "in_person",
        "time_kind": "individual",
        "participants": [person.pk],
        "staff": [coach.pk],
        "summary": "Budget revu avec la porteuse.",
        "note": "Relancer la banque.",
        "note_visibility": "provider",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-title": "Envoyer le prévisionnel",
        "steps-0-owner": coach.pk,
        "steps-0-due_on": "2026-10-20",
        "version": meeting.version,
    }
    return {**data, **overrides}


def test_meeting_edit_keeps_participants_notes_and_next_steps(client, coach, project):
    meeting = MeetingFactory(project=project, led_by=coach)
    client.force_login(coach)
    url = reverse("followups:meeting-edit", args=[meeting.pk])
    assert f'name="version" value="{meeting.version}"' in client.get(url).content.decode()
    response = client.post(url, _edit(meeting, coach))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.version == 2 and meeting.summary == "Budget revu avec la porteuse."
    assert list(meeting.participants.all()) == [project.people.get()]
    assert list(meeting.staff.all()) == [coach]
    assert MeetingNote.objects.filter(meeting=meeting, text="Relancer la banque.").exists()
    assert Action.objects.filter(meeting=meeting, title="Envoyer le prévisionnel").exists()


def test_a_stale_meeting_edit_writes_nothing_and_keeps_what_was_typed(client, coach, project):
    meeting = MeetingFactory(project=project, led_by=coach)
    stale = _edit(meeting, coach, summary="Version du coach", note="Note du coach")
    client.force_login(coach)
    url = reverse("followups:meeting-edit", args=[meeting.pk])
    first = _edit(meeting, coach, note="", **{"steps-TOTAL_FORMS": "0"})
    assert client.post(url, first).status_code == 302
    response = client.post(url, stale)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Deux versions de la fiche" in body
    assert "Version du coach" in body and "Budget revu avec la porteuse." in body
    assert "Note du coach" in body and 'value="Envoyer le prévisionnel"' in body
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.summary == "Budget revu avec la porteuse." and stored.version == 2
    assert not MeetingNote.objects.filter(text="Note du coach").exists()
    assert not Action.objects.filter(meeting=meeting).exists()
    # Saving again from the conflict page applies the coach's version deliberately.
    retry = {**stale, "version": "2"}
    assert client.post(url, retry).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).summary == "Version du coach"
