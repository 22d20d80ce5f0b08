"""Meetings, next steps and applications keep a history too, reachable from their pages."""

import pytest
from django.urls import reverse

from crm.templatetags.audit import history_url as history
from tests.factories import ActionFactory, CallApplicationFactory, MeetingFactory


@pytest.mark.django_db
def test_a_meeting_change_is_in_its_history_for_its_readers_only(
    client, coach, other_coach, project
):
    meeting = MeetingFactory(project=project, summary="Premier point")
    meeting.summary = "Point sur le prévisionnel"
    meeting.save()
    client.force_login(coach)
    page = client.get(reverse("followups:meeting-detail", args=[meeting.pk])).content.decode()
    assert history(meeting) in page
    content = client.get(history(meeting)).content.decode()
    assert "Premier point" in content and "Point sur le prévisionnel" in content
    client.force_login(other_coach)
    assert client.get(history(meeting)).status_code == 404


@pytest.mark.django_db
def test_actions_and_applications_keep_their_history(client, officer, project):
    action = ActionFactory(project=project, title="Envoyer les statuts")
    action.title = "Envoyer les statuts signés"
    action.save()
    application = CallApplicationFactory(project=project)
    client.force_login(officer)
    assert "Envoyer les statuts signés" in client.get(history(action)).content.decode()
    assert client.get(history(application)).status_code == 200
    page = client.get(reverse("crm:project-detail", args=[project.pk])).content.decode()
    assert history(project) in page
