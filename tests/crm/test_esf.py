"""The ESF+ participant data on a project: optional answers, "ne souhaite pas répondre",
who may enter them, and two people saving at once."""

import pytest
from django.urls import reverse

from crm.models import EsfParticipant

pytestmark = pytest.mark.django_db


def url(project):
    return reverse("crm:project-esf", args=[project.pk])


def test_the_coach_records_answers_and_declined_ones_stay_apart(client, coach, project):
    project.esf_funded = True
    project.save()
    client.force_login(coach)
    assert "Données FSE+ du participant" in client.get(project.get_absolute_url()).content.decode()
    response = client.post(
        url(project),
        {
            "labour_status": "unemployed",
            "education_level": "",
            "disability": "declined",
            "minority": "",
        },
    )
    assert response.status_code == 302
    answers = EsfParticipant.objects.get(project=project)
    assert answers.labour_status == "unemployed" and answers.disability == "declined"
    assert answers.education_level == "" and answers.minority == ""  # not asked
    assert answers.updated_by == coach


def test_an_unknown_answer_is_refused_on_its_field(client, officer, project):
    client.force_login(officer)
    response = client.post(url(project), {"labour_status": "astronaut"})
    assert response.status_code == 400
    assert "id_labour_status_error" in response.content.decode()
    assert not EsfParticipant.objects.exists()


def test_two_saves_from_the_same_version_do_not_overwrite_silently(client, officer, project):
    EsfParticipant.objects.create(project=project, labour_status="employed")
    client.force_login(officer)
    assert (
        client.post(url(project), {"version": "1", "labour_status": "inactive"}).status_code == 302
    )
    stale = client.post(url(project), {"version": "1", "labour_status": "unemployed"})
    assert stale.status_code == 409
    assert EsfParticipant.objects.get().labour_status == "inactive"


def test_sensitive_answers_stay_with_the_project_team(client, manager, other_coach, project):
    client.force_login(manager)
    assert client.get(url(project)).status_code == 403
    client.force_login(other_coach)
    assert client.get(url(project)).status_code == 404
