"""The project page brings the follow-ups in: hours used, meetings and next steps in the
timeline, applications to calls, and the stale-project warning on the home page."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import ActionFactory, CallApplicationFactory, MeetingFactory


@pytest.mark.django_db
def test_project_page_shows_hours_used_and_meetings_in_the_timeline(client, coach, project):
    project.hours_allocated = 10
    project.save()
    MeetingFactory(project=project, duration_minutes=90, summary="Budget prévisionnel revu")
    ActionFactory(project=project, title="Envoyer les statuts")
    client.force_login(coach)
    content = client.get(reverse("crm:project-detail", args=[project.pk])).content.decode()
    assert "1,5&nbsp;h utilisées / 10&nbsp;h" in content
    assert "Budget prévisionnel revu" in content  # the meeting, in the timeline
    assert "Envoyer les statuts" in content
    assert "Consigner un rendez-vous" in content


@pytest.mark.django_db
def test_applications_appear_in_the_timeline_for_officers(client, officer, project):
    application = CallApplicationFactory(project=project)
    client.force_login(officer)
    content = client.get(reverse("crm:project-detail", args=[project.pk])).content.decode()
    assert escape(f"Candidature à l'appel à projets {application.call}") in content


@pytest.mark.django_db
def test_home_flags_projects_without_a_recent_meeting(client, officer, project):
    client.force_login(officer)
    content = client.get("/").content.decode()
    assert "1 projet en accompagnement n'a pas eu de rendez-vous depuis 60 jours" in content
    assert "no_meeting_days=60" in content
