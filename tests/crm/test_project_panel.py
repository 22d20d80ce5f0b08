"""The project's side panel: read by whoever sees the project, stage and status changed by
its writers, coach and officer by officers, each with optimistic locking and history."""

import pytest
from django.urls import reverse

from crm.core.concurrency import save_if_unchanged
from crm.models import StageChange
from tests.factories import CoachFactory


def _panel(project):
    return reverse("crm:project-panel", args=[project.pk])


@pytest.mark.django_db
def test_htmx_gets_the_panel_alone_and_a_visit_gets_a_page(client, coach, project):
    client.force_login(coach)
    fragment = client.get(_panel(project), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("<div") and "<html" not in fragment
    assert "Ouvrir la fiche complète" in fragment
    page = client.get(_panel(project)).content.decode()
    assert "<html" in page and project.name in page


@pytest.mark.django_db
def test_coach_moves_in_the_panel_and_cannot_assign(client, coach, project):
    client.force_login(coach)
    content = client.get(_panel(project)).content.decode()
    assert "Enregistrer l'étape et le statut" in content
    assert "Enregistrer l'accompagnement" not in content
    response = client.post(
        reverse("crm:project-panel-move", args=[project.pk]),
        {"move-stage": "launch", "move-status": "active", "move-version": project.version},
        headers={"HX-Request": "true"},
        follow=True,
    )
    assert "Étape et statut enregistrés" in response.content.decode()
    assert StageChange.objects.filter(project=project, to_stage="launch", by=coach).exists()
    response = client.post(
        reverse("crm:project-panel-assign", args=[project.pk]),
        {"assign-coach": coach.pk, "assign-version": project.version},
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_stale_panel_is_a_conflict_that_changes_nothing(client, officer, project):
    client.force_login(officer)
    loaded = project.version
    project.summary = "Réparation de vélos"
    save_if_unchanged(project, expected_version=loaded, update_fields=["summary"])
    new_coach = CoachFactory(username="coach_new")
    response = client.post(
        reverse("crm:project-panel-assign", args=[project.pk]),
        {"assign-coach": new_coach.pk, "assign-version": loaded},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "modifié par quelqu'un d'autre" in response.content.decode()
    project.refresh_from_db()
    assert project.coach != new_coach
    response = client.post(
        reverse("crm:project-panel-move", args=[project.pk]),
        {"move-stage": "scale_up", "move-status": project.status, "move-version": loaded},
    )
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.stage != "scale_up"


@pytest.mark.django_db
def test_exiting_without_a_reason_is_refused_on_the_field(client, officer, project):
    client.force_login(officer)
    response = client.post(
        reverse("crm:project-panel-move", args=[project.pk]),
        {"move-stage": project.stage, "move-status": "exited", "move-version": project.version},
    )
    assert response.status_code == 400
    assert 'id="id_move-exit_reason_error"' in response.content.decode()


@pytest.mark.django_db
def test_officer_assigns_in_the_panel_and_the_history_keeps_it(client, officer, project):
    new_coach = CoachFactory(username="coach_new", first_name="Nadia")
    client.force_login(officer)
    response = client.post(
        reverse("crm:project-panel-assign", args=[project.pk]),
        {
            "assign-coach": new_coach.pk,
            "assign-officer": officer.pk,
            "assign-version": project.version,
        },
        follow=True,
    )
    assert "Accompagnement enregistré" in response.content.decode()
    project.refresh_from_db()
    assert project.coach == new_coach
    assert project.history.first().history_user == officer


@pytest.mark.django_db
def test_another_coach_does_not_see_the_panel(client, other_coach, project):
    client.force_login(other_coach)
    assert client.get(_panel(project)).status_code == 404
