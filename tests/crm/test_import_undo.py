"""Undo an import within 7 days (issue 21): what it created is removed, what it updated
gets its previous values back, unless changed since (listed, left as it is)."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Consent, Organisation, Person, PersonOrganisation
from crm.models import (
    Application,
    Call,
    ImportBatch,
    Project,
    ProjectMeasure,
    ProjectMember,
    StageChange,
)
from tests.crm.legacy_file import legacy_csv, legacy_rows
from tests.crm.test_import_fixes import proposals, upload
from tests.factories import PersonFactory

TOUCHED = (Person, Organisation, Project, ProjectMember, PersonOrganisation, StageChange)
TOUCHED += (ProjectMeasure, Consent)
# Bookkeeping an undo moves on: the version (open forms must see the change) and the time.
BOOKKEEPING = {"version", "updated_at"}


def dump():
    return {
        model._meta.label: [
            {k: v for k, v in row.items() if k not in BOOKKEEPING}
            for row in model.objects.order_by("pk").values()
        ]
        for model in TOUCHED
    }


def import_accepting_every_fix(client, data):
    batch = upload(client, data)
    rule_keys = list(dict.fromkeys((p[1], p[2]) for p in proposals(batch)))
    client.post(
        reverse("crm:import-fixes", args=[batch.pk]),
        {f"rule_{i}": "accept" for i in range(len(rule_keys))},
    )
    client.post(reverse("crm:import-confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "done"
    return batch


@pytest.mark.django_db
def test_undo_restores_the_database_as_it_was(client, officer):
    client.force_login(officer)
    rows = legacy_rows()
    # An earlier import: its records exist; the second file changes some of them.
    import_accepting_every_fix(client, legacy_csv(rows[:6]))
    PersonFactory(first_name="Zoé", last_name="Martin", email="zoe.martin@exemple.fr")
    rows[1][7] = "Lancement"  # a stage moves (a stage change is recorded)
    rows[3][4] = "07 00 00 00 03"  # a lead's phone changes
    before = dump()
    batch = import_accepting_every_fix(client, legacy_csv(rows))
    assert batch.result["new"] == 6 and batch.result["updated"] >= 2
    assert Project.objects.get(name="Atelier Dubois 1").stage == "launch"
    page = client.get(reverse("crm:import-detail", args=[batch.pk])).content.decode()
    assert "Défaire cet import" in page
    client.post(reverse("crm:import-undo", args=[batch.pk]))
    assert dump() == before  # counts and every value of the touched tables
    batch.refresh_from_db()
    assert batch.status == "undone" and batch.undone_by == officer
    assert batch.result["undo"]["kept"] == []
    # The history tells it: the restored project's last line is the undo.
    project = Project.objects.get(name="Atelier Dubois 1")
    assert project.history.first().history_change_reason.startswith("Annulation de l'import")
    # Undone once only.
    client.post(reverse("crm:import-undo", args=[batch.pk]))
    assert dump() == before


@pytest.mark.django_db
def test_records_changed_since_are_listed_and_left_alone(client, officer):
    client.force_login(officer)
    rows = legacy_rows(6)
    import_accepting_every_fix(client, legacy_csv(rows[:3]))
    rows[1][4] = "07 00 00 00 03"
    batch = import_accepting_every_fix(client, legacy_csv(rows))
    created = Person.objects.get(email="porteur3@exemple.fr")
    created.first_name = "Hugues"
    created.save()
    updated = Person.objects.get(email="porteur1@exemple.fr")
    updated.phone = "+33700000099"
    updated.save()
    client.post(reverse("crm:import-undo", args=[batch.pk]))
    batch.refresh_from_db()
    kept = batch.result["undo"]["kept"]
    assert len(kept) == 2 and any("Hugues" in label for label in kept)
    assert Person.objects.filter(pk=created.pk).exists()
    assert Person.objects.get(pk=updated.pk).phone == "+33700000099"
    assert not Project.objects.filter(name="Atelier Garnier 4").exists()  # removed
    page = client.get(reverse("crm:import-detail", args=[batch.pk])).content.decode()
    assert "laissées telles quelles" in page


@pytest.mark.django_db
def test_undo_is_refused_after_seven_days(client, officer):
    client.force_login(officer)
    batch = import_accepting_every_fix(client, legacy_csv(legacy_rows(3)))
    ImportBatch.objects.filter(pk=batch.pk).update(
        done_at=timezone.now() - datetime.timedelta(days=8)
    )
    count = Project.objects.count()
    response = client.post(reverse("crm:import-undo", args=[batch.pk]), follow=True)
    assert "ne peut plus être annulé" in response.content.decode()
    assert Project.objects.count() == count


@pytest.mark.django_db
def test_undo_removes_the_awards_the_import_created_with_their_projects(client, officer):
    """ "Montant subvention" creates awards that protect their projects: the undo removes
    the awards first, then the projects, and the database is as it was."""
    client.force_login(officer)
    sample = Path(__file__).parent / "data" / "suivi-porteurs-2024.csv"
    before = (Project.objects.count(), Application.objects.count(), Call.objects.count())
    batch = import_accepting_every_fix(client, sample.read_bytes())
    assert Application.objects.filter(amount_awarded__gt=0).exists()
    client.post(reverse("crm:import-undo", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "undone"
    assert (Project.objects.count(), Application.objects.count()) == before[:2]
