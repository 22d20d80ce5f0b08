"""Corrections offered, not imposed (issue 21): the preview proposes them, the officer
accepts them for one row or for every row with the same fault, or refuses them; the
column-wide decisions are remembered for the next file with the same columns."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Person
from crm.importing import fixes
from crm.importing.reading import read_upload
from crm.importing.runner import run_import
from crm.models import ImportBatch, ImportFixRule, Project
from tests.crm.legacy_file import legacy_csv


def upload(client, data, name="suivi-ancien.csv"):
    client.post(
        reverse("crm:import-list"),
        {"kind": "projects", "mode": "update", "file": SimpleUploadedFile(name, data)},
    )
    return ImportBatch.objects.latest("pk")


def preview(batch):
    batch.refresh_from_db()
    return batch.preview


def proposals(batch):
    """The proposals in the order the page lists them (`row_<n>`): column by column."""
    offered = [(p[0], p[1], p[2], p[3], p[4], p[5]) for p in preview(batch)["proposals"]]
    rule_keys = list(dict.fromkeys((p[1], p[2]) for p in offered))
    return sorted(offered, key=lambda p: rule_keys.index((p[1], p[2])))


@pytest.mark.parametrize(
    ("fixer", "typed", "proposed"),
    [
        (fixes.fix_email, "Inès.Lefèvre@exemple.fr", "ines.lefevre@exemple.fr"),
        (fixes.fix_email, "lea.martin@exemple.fr", None),
        (fixes.fix_phone, "6 12 34 56 78", "+33612345678"),
        (fixes.fix_phone, "33 6 12 34 56 78", "+33612345678"),
        (fixes.fix_phone, "06 12 34 56 78", None),  # read as it is: nothing to correct
    ],
)
def test_fixers_propose_only_for_faulty_cells(fixer, typed, proposed):
    found = fixer(typed)
    assert (found[1] if found else None) == proposed


@pytest.mark.django_db
def test_preview_offers_each_correction_and_applies_none(officer):
    table = read_upload("ancien.csv", legacy_csv())
    report = run_import(kind="projects", table=table, by=officer, dry_run=True)
    offered = {(p.line, p.column, p.fault): p.proposed for p in report.proposals}
    # Row 2 is the first data row; cells with line breaks above do not shift the numbers.
    assert offered[(2, "Email", "email_accents")] == "ines.lefevre0@exemple.fr"
    assert offered[(2, "Téléphone", "phone_format")] == "+33612345678"
    assert offered[(6, "Commune", "commune_spelling")] == "Créteil"
    assert offered[(7, "Secteur", "sector_spelling")] == "Finance solidaire"
    assert offered[(9, "Étape", "stage_spelling")] == "Faisabilité"
    assert all(p.decision == "" for p in report.proposals)
    refused = set(report.refused_lines)
    assert {2, 6, 7, 9} <= refused  # not imposed: refused until the officer accepts


@pytest.mark.django_db
def test_accepting_for_every_row_imports_them_and_is_remembered(client, officer):
    client.force_login(officer)
    batch = upload(client, legacy_csv())
    page = client.get(reverse("crm:import-detail", args=[batch.pk])).content.decode()
    assert "Corrections proposées" in page and "ines.lefevre0@exemple.fr" in page
    assert preview(batch)["refused"] == 9  # rows 3, 12 and 13 have no fault at all
    offered = proposals(batch)
    rule_keys = list(dict.fromkeys(f"{p[1]}|{p[2]}" for p in offered))
    data = {f"rule_{i}": "accept" for i in range(len(rule_keys))}
    # The sector guess is refused for its one row; every other correction accepted.
    sector_row = next(i for i, p in enumerate(offered) if p[2] == "sector_spelling")
    data[f"row_{sector_row}"] = "refuse"
    assert not Project.objects.exists()
    client.post(reverse("crm:import-fixes", args=[batch.pk]), data)
    assert not Project.objects.exists()  # a new preview, nothing written
    result = preview(batch)
    assert (result["new"], result["refused"]) == (11, 1)
    client.post(reverse("crm:import-confirm", args=[batch.pk]))
    assert Project.objects.count() == 11
    ines = Person.objects.get(email="ines.lefevre0@exemple.fr")
    assert ines.phone == "+33612345678"
    assert Project.objects.get(name="Atelier Dubois 7").stage == "feasibility"
    # The next file with the same columns starts with the column-wide decisions taken.
    assert ImportFixRule.objects.filter(decision="accept").count() == len(rule_keys)
    again = upload(client, legacy_csv(), name="suivi-suivant.csv")
    decided = {(p[1], p[2]): p[5] for p in proposals(again)}
    assert decided[("Email", "email_accents")] == "accept"
    # The sector refused for one row of the first file only: the column accepts it here.
    assert preview(again)["refused"] == 0


@pytest.mark.django_db
def test_refusing_a_column_keeps_its_rows_refused_and_forgets_nothing_else(client, officer):
    client.force_login(officer)
    batch = upload(client, legacy_csv())
    offered = proposals(batch)
    rule_keys = list(dict.fromkeys(f"{p[1]}|{p[2]}" for p in offered))
    data = {f"rule_{i}": "refuse" for i in range(len(rule_keys))}
    client.post(reverse("crm:import-fixes", args=[batch.pk]), data)
    assert preview(batch)["refused"] == 9
    assert set(ImportFixRule.objects.values_list("decision", flat=True)) == {"refuse"}
    # Taking a decision back forgets it.
    client.post(reverse("crm:import-fixes", args=[batch.pk]), {})
    assert not ImportFixRule.objects.exists()
