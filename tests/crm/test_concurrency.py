"""Optimistic locking (crm.core.concurrency) on its own, with Project as the versioned model."""

import pytest

from crm.core.concurrency import StaleObjectError, save_if_unchanged
from crm.models import Project


@pytest.mark.django_db
def test_each_save_moves_the_version_on(project):
    assert project.version == 1
    project.summary = "Première version"
    save_if_unchanged(project, expected_version=1, update_fields=["summary"])
    assert Project.objects.get(pk=project.pk).version == 2


@pytest.mark.django_db
def test_a_save_from_a_stale_version_is_refused_and_tells_what_is_stored(project):
    first = Project.objects.get(pk=project.pk)
    second = Project.objects.get(pk=project.pk)
    first.summary = "Version A"
    save_if_unchanged(first, expected_version=1, update_fields=["summary"])
    second.summary = "Version B"
    with pytest.raises(StaleObjectError) as stale:
        save_if_unchanged(second, expected_version=1, update_fields=["summary"])
    assert stale.value.current.summary == "Version A"
    assert Project.objects.get(pk=project.pk).summary == "Version A"


@pytest.mark.django_db
def test_only_the_forms_fields_are_written(project):
    loaded = Project.objects.get(pk=project.pk)
    Project.objects.filter(pk=project.pk).update(stage="launch")
    loaded.summary = "Résumé"
    save_if_unchanged(loaded, expected_version=1, update_fields=["summary"])
    stored = Project.objects.get(pk=project.pk)
    assert (stored.stage, stored.summary) == ("launch", "Résumé")
