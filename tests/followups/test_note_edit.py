"""Notes edited after the meeting: who may add, edit, delete; internal notes never reach a
coach or a manager, also after an edit; history and optimistic locking."""

import pytest
from django.urls import reverse

from followups import services
from followups.models import MeetingNote, NoteVisibility
from tests.followups.conftest import INTERNAL, SHARED

pytestmark = pytest.mark.django_db


def _note(meeting, visibility):
    return MeetingNote.objects.get(meeting=meeting, visibility=visibility)


def _edit(client, note, **data):
    url = reverse("followups:note-edit", args=[note.pk])
    # The form carries the version it was loaded with (optimistic locking).
    loaded = {"text": note.text, "visibility": note.visibility, "version": note.version}
    return client.post(url, {**loaded, **data})


def test_coach_edits_a_shared_note_on_their_meeting(client, coach, meeting):
    shared = _note(meeting, NoteVisibility.PROVIDER)
    client.force_login(coach)
    response = _edit(client, shared, text="Relancer la banque lundi.", version=shared.version)
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.text == "Relancer la banque lundi."
    assert shared.version == 2
    page = client.get(reverse("followups:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Relancer la banque lundi." in page and INTERNAL not in page


def test_coach_adds_and_deletes_a_note(client, coach, meeting):
    client.force_login(coach)
    url = reverse("followups:note-create", args=[meeting.pk])
    response = client.post(url, {"text": "Penser au prêt d'honneur.", "visibility": "entrepreneur"})
    assert response.status_code == 302
    note = MeetingNote.objects.get(text="Penser au prêt d'honneur.")
    assert note.author == coach and note.visibility == NoteVisibility.ENTREPRENEUR
    response = client.post(reverse("followups:note-delete", args=[note.pk]))
    assert response.status_code == 302
    assert not MeetingNote.objects.filter(pk=note.pk).exists()
    # The deletion is in the note's history.
    assert MeetingNote.history.filter(id=note.pk, history_type="-").exists()


def test_coach_cannot_see_edit_or_delete_an_internal_note(client, coach, meeting):
    internal = _note(meeting, NoteVisibility.INTERNAL)
    client.force_login(coach)
    assert client.get(reverse("followups:note-edit", args=[internal.pk])).status_code == 404
    assert _edit(client, internal, text="Écrasé").status_code == 404
    assert client.post(reverse("followups:note-delete", args=[internal.pk])).status_code == 404
    internal.refresh_from_db()
    assert internal.text == INTERNAL


def test_coach_cannot_make_a_note_internal(client, coach, meeting):
    shared = _note(meeting, NoteVisibility.PROVIDER)
    client.force_login(coach)
    form = client.get(reverse("followups:note-edit", args=[shared.pk])).content.decode()
    assert 'value="internal"' not in form
    response = _edit(client, shared, visibility="internal")
    assert response.status_code == 200
    assert "Visibilité" in response.content.decode()
    shared.refresh_from_db()
    assert shared.visibility == NoteVisibility.PROVIDER
    url = reverse("followups:note-create", args=[meeting.pk])
    client.post(url, {"text": "En douce", "visibility": "internal"})
    assert not MeetingNote.objects.filter(text="En douce").exists()


def test_coach_b_cannot_touch_coach_a_notes(client, other_coach, meeting):
    shared = _note(meeting, NoteVisibility.PROVIDER)
    client.force_login(other_coach)
    assert client.get(reverse("followups:note-create", args=[meeting.pk])).status_code == 404
    assert _edit(client, shared, text="Pirate").status_code == 404
    assert client.post(reverse("followups:note-delete", args=[shared.pk])).status_code == 404
    shared.refresh_from_db()
    assert shared.text == SHARED


def test_manager_reads_but_cannot_edit(client, manager, meeting):
    shared = _note(meeting, NoteVisibility.PROVIDER)
    client.force_login(manager)
    page = client.get(reverse("followups:meeting-detail", args=[meeting.pk])).content.decode()
    assert SHARED in page and INTERNAL not in page
    assert reverse("followups:note-edit", args=[shared.pk]) not in page
    assert client.get(reverse("followups:note-edit", args=[shared.pk])).status_code == 403
    assert _edit(client, shared, text="Non").status_code == 403
    internal = _note(meeting, NoteVisibility.INTERNAL)
    assert client.get(reverse("followups:note-edit", args=[internal.pk])).status_code == 404


def test_a_note_made_internal_disappears_for_the_coach_and_manager(
    client, officer, coach, manager, meeting
):
    shared = _note(meeting, NoteVisibility.PROVIDER)
    client.force_login(officer)
    response = _edit(client, shared, text="Finalement confidentiel.", visibility="internal")
    assert response.status_code == 302
    detail = reverse("followups:meeting-detail", args=[meeting.pk])
    export = reverse("followups:project-meetings", args=[meeting.project.pk]) + "?export=csv"
    for user in (coach, manager):
        client.force_login(user)
        for url in (detail, export):
            body = client.get(url).content.decode()
            assert "Finalement confidentiel." not in body and INTERNAL not in body
        assert client.get(reverse("followups:note-edit", args=[shared.pk])).status_code == 404


def test_officer_edits_an_internal_note_and_history_is_kept(client, officer, meeting):
    internal = _note(meeting, NoteVisibility.INTERNAL)
    client.force_login(officer)
    response = _edit(client, internal, text="Le comité a tranché : oui.")
    assert response.status_code == 302
    records = MeetingNote.history.filter(id=internal.pk).order_by("history_date")
    assert [r.text for r in records] == [INTERNAL, "Le comité a tranché : oui."]
    assert records.last().history_user == officer


def test_internal_note_history_has_no_page(client, officer, meeting):
    # A History page would show a note's past text after it left "internal".
    internal = _note(meeting, NoteVisibility.INTERNAL)
    client.force_login(officer)
    url = f"/history/followups/meetingnote/{internal.pk}/"
    assert client.get(url).status_code == 404


def test_concurrent_edit_is_refused_with_the_stored_version(client, officer, coach, meeting):
    shared = _note(meeting, NoteVisibility.PROVIDER)
    loaded = shared.version
    services.note_update(
        note=shared,
        text="Version de l'officier",
        visibility="provider",
        by=officer,
        expected_version=loaded,
    )
    client.force_login(coach)
    response = _edit(client, shared, text="Version du coach", version=loaded)
    assert response.status_code == 409
    body = response.content.decode()
    assert (
        "modifiée par quelqu&#x27;un d&#x27;autre" in body and "Version de l&#x27;officier" in body
    )
    shared.refresh_from_db()
    assert shared.text == "Version de l'officier"
    # Saving again from the reloaded form goes through.
    assert _edit(client, shared, text="Version du coach", version=shared.version).status_code == 302


def test_empty_note_is_refused_in_french(client, coach, meeting):
    client.force_login(coach)
    url = reverse("followups:note-create", args=[meeting.pk])
    response = client.post(url, {"text": "   ", "visibility": "provider"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode() or "La note est vide." in (
        response.content.decode()
    )
