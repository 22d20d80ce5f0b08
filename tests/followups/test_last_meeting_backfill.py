"""The migration that stores each existing project's latest meeting."""

import importlib

import pytest
from django.apps import apps

from crm.models import Project
from tests.factories import MeetingFactory, ProjectFactory

backfill = importlib.import_module(
    "followups.migrations.0006_backfill_project_last_meeting_at"
).backfill


@pytest.mark.django_db
def test_backfill_stores_each_projects_latest_meeting(project):
    starts = [MeetingFactory(project=project).start for _ in range(3)]
    without = ProjectFactory()
    Project.objects.update(last_meeting_at=None)
    backfill(apps, None)
    stored = dict(Project.objects.values_list("pk", "last_meeting_at"))
    assert stored == {
        project.pk: max(starts),
        without.pk: None,
    }
