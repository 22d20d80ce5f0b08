"""The services assert the same predicates the pages ask: a command, an import or a test
cannot change what the user could not change from a page."""

import pytest
from django.core.exceptions import PermissionDenied

from crm.models import Stage
from crm.projects import services


@pytest.mark.django_db
def test_a_manager_cannot_move_a_project_even_through_the_service(manager, project):
    with pytest.raises(PermissionDenied):
        services.project_move(project=project, by=manager, stage=Stage.LAUNCH)
    project.refresh_from_db()
    assert project.stage == Stage.FEASIBILITY


@pytest.mark.django_db
def test_a_coach_moves_their_own_project_but_not_another_coachs(coach, other_coach, project):
    with pytest.raises(PermissionDenied):
        services.project_move(project=project, by=other_coach, stage=Stage.LAUNCH)
    services.project_move(project=project, by=coach, stage=Stage.LAUNCH)
    project.refresh_from_db()
    assert project.stage == Stage.LAUNCH


@pytest.mark.django_db
def test_only_officers_archive_a_project(officer, coach, project):
    with pytest.raises(PermissionDenied):
        services.project_archive(project=project, by=coach)
    services.project_archive(project=project, by=officer)
    project.refresh_from_db()
    assert project.archived_at is not None
