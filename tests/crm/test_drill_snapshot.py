"""manage.py drill_snapshot (the restore drill's before/after picture): counts, media
files and sample pages; it writes nothing."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from crm.models import AccessEvent
from tests.factories import ProjectFactory


def snapshot() -> dict:
    out = io.StringIO()
    call_command("drill_snapshot", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_the_snapshot_is_stable_writes_nothing_and_sees_every_change(officer, project):
    default_storage.save("imports/drill.txt", ContentFile(b"une ligne"))
    first = snapshot()
    assert first["tables"]["crm_project"] == 1
    assert first["tables"]["django_session"] == 0  # the officer's login was rolled back
    assert not AccessEvent.objects.exists()
    assert set(first["pages"]) == {"/projects/", f"/projects/{project.pk}/"}
    assert "imports/drill.txt" in first["media"]
    assert snapshot() == first

    ProjectFactory(name="Un projet de plus", officer=officer)
    default_storage.save("imports/autre.txt", ContentFile(b"x"))
    changed = snapshot()
    assert changed["tables"]["crm_project"] == 2
    assert changed["pages"]["/projects/"] != first["pages"]["/projects/"]
    assert len(changed["media"]) == len(first["media"]) + 1
