"""Privacy by default: a new note starts at the most restrictive visibility its author may
choose (internal for an officer, shared with the provider for a coach), the choice is on the
form and the note shows it as a badge."""

import re

import pytest
from django.urls import reverse

from followups.models import MeetingNote, NoteVisibility

pytestmark = pytest.mark.django_db


def _selected(content: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', content, re.S).group(0)
    return re.search(r'<option value="([^"]*)"[^>]*selected', select).group(1)


def _options(content: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', content, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_officers_new_notes_are_internal_unless_they_share_them(client, officer, meeting):
    client.force_login(officer)
    note_page = client.get(reverse("followups:note-create", args=[meeting.pk])).content.decode()
    assert _selected(note_page, "visibility") == NoteVisibility.INTERNAL
    meeting_page = client.get(
        reverse("followups:meeting-create", args=[meeting.project.pk])
    ).content.decode()
    assert _selected(meeting_page, "note_visibility") == NoteVisibility.INTERNAL
    # Sharing stays one deliberate choice away.
    assert NoteVisibility.PROVIDER in _options(note_page, "visibility")


def test_coaches_new_notes_default_to_the_most_restrictive_they_may_write(client, coach, meeting):
    client.force_login(coach)
    note_page = client.get(reverse("followups:note-create", args=[meeting.pk])).content.decode()
    assert _selected(note_page, "visibility") == NoteVisibility.PROVIDER
    assert NoteVisibility.INTERNAL not in _options(note_page, "visibility")
    meeting_page = client.get(
        reverse("followups:meeting-create", args=[meeting.project.pk])
    ).content.decode()
    assert _selected(meeting_page, "note_visibility") == NoteVisibility.PROVIDER
    assert NoteVisibility.INTERNAL not in _options(meeting_page, "note_visibility")


def test_a_note_created_without_a_visibility_is_internal(meeting):
    note = MeetingNote.objects.create(meeting=meeting, text="Sans choix explicite.")
    assert note.visibility == NoteVisibility.INTERNAL


def test_the_note_shows_its_visibility_as_a_badge(client, officer, meeting):
    client.force_login(officer)
    page = client.get(reverse("followups:meeting-detail", args=[meeting.pk])).content.decode()
    assert re.search(
        r'class="badge badge-note-internal">Interne \(chargé·es de mission seulement\)<', page
    )
    assert 'class="badge badge-note-provider">Partagée avec le prestataire<' in page
