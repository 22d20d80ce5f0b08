"""Undoing mistakes with meetings: an untouched form saves nothing; a meeting logged by
mistake is deleted by its author within a day or by an officer, the history keeps it, the
project's latest meeting date follows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from crm.models import Project
from followups import services
from followups.models import Action, Meeting
from tests.factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _latest(project):
    return Project.objects.get(pk=project.pk).last_meeting_at


def _log(project, coach, start):
    meeting = MeetingFactory(project=project, led_by=coach, start=start)
    services.refresh_last_meeting([project.pk])
    return meeting


def test_coach_deletes_their_meeting_and_the_latest_meeting_date_goes_back(client, project, coach):
    earlier = _log(project, coach, timezone.now() - datetime.timedelta(days=20))
    mistaken = _log(project, coach, timezone.now() - datetime.timedelta(hours=2))
    step = ActionFactory(project=project, owner=coach, meeting=mistaken)
    assert _latest(project) == mistaken.start
    client.force_login(coach)

    page = client.get(reverse("followups:meeting-delete", args=[mistaken.pk]))
    assert page.status_code == 200
    assert "Supprimer ce rendez-vous ?" in page.content.decode()
    response = client.post(reverse("followups:meeting-delete", args=[mistaken.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("followups:project-meetings", args=[project.pk])
    assert not Meeting.objects.filter(pk=mistaken.pk).exists()
    assert _latest(project) == earlier.start
    # The next step stays on the project; the history keeps the meeting and who deleted it.
    assert Action.objects.get(pk=step.pk).meeting is None
    deleted = Meeting.history.filter(id=mistaken.pk, history_type="-").get()
    assert deleted.history_user == coach


def test_the_last_meeting_deleted_leaves_no_latest_meeting_date(project, coach):
    meeting = _log(project, coach, timezone.now())
    services.meeting_delete(meeting=meeting, by=coach)
    assert _latest(project) is None


def test_author_cannot_delete_a_meeting_logged_more_than_a_day_ago(client, project, coach):
    meeting = _log(project, coach, timezone.now() - datetime.timedelta(days=3))
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    meeting.refresh_from_db()
    client.force_login(coach)
    detail = client.get(reverse("followups:meeting-detail", args=[meeting.pk]))
    assert reverse("followups:meeting-delete", args=[meeting.pk]) not in detail.content.decode()
    assert client.post(reverse("followups:meeting-delete", args=[meeting.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.meeting_delete(meeting=meeting, by=coach)
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_officer_deletes_an_old_meeting_of_another_author(client, project, coach, officer):
    meeting = _log(project, coach, timezone.now() - datetime.timedelta(days=30))
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    client.force_login(officer)
    detail = client.get(reverse("followups:meeting-detail", args=[meeting.pk]))
    assert reverse("followups:meeting-delete", args=[meeting.pk]) in detail.content.decode()
    client.post(reverse("followups:meeting-delete", args=[meeting.pk]))
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_manager_and_other_coach_cannot_delete(client, project, coach, manager, other_coach):
    meeting = _log(project, coach, timezone.now())
    client.force_login(manager)
    assert client.post(reverse("followups:meeting-delete", args=[meeting.pk])).status_code == 403
    client.force_login(other_coach)
    assert client.post(reverse("followups:meeting-delete", args=[meeting.pk])).status_code == 404
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_a_meeting_with_documents_is_kept_with_a_message(client, project, coach):
    from crm.documents.models import Document, DocumentCategory

    meeting = _log(project, coach, timezone.now())
    category = DocumentCategory.objects.get_or_create(name="Compte rendu")[0]
    Document.objects.create(
        meeting=meeting, title="Compte rendu signé", category=category, date=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        services.meeting_delete(meeting=meeting, by=coach)
    client.force_login(coach)
    response = client.post(reverse("followups:meeting-delete", args=[meeting.pk]))
    assert response.status_code == 400
    assert "Des documents sont joints" in response.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_an_untouched_meeting_form_sent_with_enter_saves_nothing(client, project, coach):
    from tests.crm.forms_html import form_fields

    client.force_login(coach)
    url = reverse("followups:meeting-create", args=[project.pk])
    page = client.get(url).content.decode()
    sent = dict(form_fields(page, "meeting-form"))
    assert sent["start"] == "" and sent["duration_minutes"] == ""

    response = client.post(url, sent)

    assert response.status_code == 200
    assert not Meeting.objects.filter(project=project).exists()
    content = response.content.decode()
    assert 'href="#id_start"' in content and 'href="#id_duration_minutes"' in content
    # The quick picks that fill them with JavaScript are in the page (hidden without it).
    assert 'data-picks-for="id_start"' in content and 'data-pick-value="60"' in content
