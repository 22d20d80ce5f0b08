"""The projects import writes each chunk in bulk: its queries grow per chunk, not per row,
and it leaves exactly the records the former one-row-at-a-time path left."""

import csv
import io
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from contacts.models import Organisation, Person, PersonOrganisation
from crm.importing.reading import read_upload
from crm.importing.resources.projects import ProjectRowResource
from crm.importing.runner import kinds, run_import
from crm.importing.sample import _siret, csv_bytes
from crm.models import Application, Commune, Project, ProjectMeasure, ProjectMember, StageChange
from tests.crm.import_oracle import PerRowProjectResource

HEADERS = [
    "Nom du projet",
    "Prénom porteur",
    "Nom porteur",
    "Email",
    "Structure",
    "Forme juridique",
    "SIRET",
    "Commune",
    "Étape",
    "Date d'entrée",
    "Heures allouées",
    "Montant subvention",
    "Observations",
]
STAGES = ["Idée", "faisabilite", "Lancement", "Consolidation"]


def generated(count, *, stage_shift=0):
    """Rows where leads carry two projects each, structures are shared by three rows
    (some by SIRET, some by name and commune), some leads have no email, and chunks of
    100 rows cut through those groups."""
    communes = list(Commune.objects.order_by("pk").values_list("name", flat=True)[:5])
    data = []
    for i in range(count):
        lead, org = i // 2, i // 3
        has_org = i % 5 != 4
        data.append(
            [
                f"Projet {i}",
                ["Léa", "Hugo", "Inès"][lead % 3],
                f"Porteur{lead}",
                "" if lead % 7 == 0 else f"porteur.{lead}@exemple.fr",
                f"Structure {org}" if has_org else "",
                "SCOP" if has_org and i % 3 == 2 else ("Association" if has_org else ""),
                _siret(30_000_000 + org) if has_org and org % 2 == 0 else "",
                communes[org % len(communes)],
                STAGES[(i + stage_shift) % len(STAGES)],
                f"{1 + i % 28:02d}/{1 + i % 12:02d}/2023",
                f"{i % 9},5",
                "1 500,00 €" if i % 4 == 0 else "",
                f"note {i}" if i % 6 == 0 else "",
            ]
        )
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(data)
    return read_upload("suivi.csv", output.getvalue().encode("utf-8"))


def snapshot():
    """Every record the import writes, by natural values (ids differ between two runs)."""

    def rows(queryset, *fields):
        return sorted(queryset.values_list(*fields), key=repr)

    return {
        "people": rows(
            Person.objects,
            "email",
            "first_name",
            "last_name",
            "phone",
            "lives_in_qpv",
            "name_key",
            "version",
        ),
        "organisations": rows(
            Organisation.objects,
            "name",
            "name_key",
            "siret",
            "siren",
            "legal_form",
            "commune__name",
            "version",
        ),
        "projects": rows(
            Project.objects,
            "name",
            "stage",
            "status",
            "exit_reason",
            "sector",
            "entry_date",
            "hours_allocated",
            "in_qpv",
            "commune__name",
            "summary",
            "organisation__name",
            "version",
        ),
        "members": rows(ProjectMember.objects, "project__name", "person__last_name", "is_lead"),
        "founders": rows(
            PersonOrganisation.objects, "person__last_name", "organisation__name", "role"
        ),
        "stage_changes": rows(
            StageChange.objects,
            "project__name",
            "from_stage",
            "to_stage",
            "from_status",
            "to_status",
            "note",
            "by__username",
        ),
        "measures": rows(
            ProjectMeasure.objects, "project__name", "measured_on", "kind", "funds_grant"
        ),
        "awards": rows(
            Application.objects,
            "project__name",
            "call__year",
            "decision",
            "amount_awarded",
            "amount_requested",
        ),
        "project_history": sorted(
            Counter(
                Project.history.values_list(
                    "name", "stage", "version", "organisation__name", "history_type"
                )
            ).items(),
            key=repr,
        ),
        "people_created": rows(Person.history.filter(history_type="+"), "last_name", "email"),
        "organisations_created": rows(
            Organisation.history.filter(history_type="+"), "name", "legal_form"
        ),
    }


def counts(report):
    return (report.new, report.updated, report.unchanged, report.refused)


# 2-6 s: imports hundreds of rows (twice, to compare).
@pytest.mark.slow
@pytest.mark.django_db
def test_bulk_and_per_row_imports_leave_the_same_records(officer, monkeypatch):
    def run(table, resource):
        monkeypatch.setitem(kinds()["projects"], "resource", resource)
        return run_import(kind="projects", table=table, by=officer, dry_run=False, chunk_size=100)

    # Records already there: the first 60 rows, written the former way.
    run(generated(60), PerRowProjectResource)
    assert Project.objects.count() == 60

    def both(table):
        with transaction.atomic():
            expected_report = counts(run(table, PerRowProjectResource))
            expected = snapshot()
            transaction.set_rollback(True)
        report = counts(run(table, ProjectRowResource))
        return expected_report, expected, report, snapshot()

    # 300 rows: 60 stored (40 of them moving to another stage), 240 new.
    expected_report, expected, report, records = both(generated(300, stage_shift=1))
    assert report == expected_report
    assert report[0] == 240 and report[3] == 0
    assert len(records["projects"]) == 300
    assert sum(1 for c in records["stage_changes"] if c[1]) == 60  # every stored one moved
    for key in expected:
        assert records[key] == expected[key], key

    # The same file again: the structures whose rows disagree on the legal form are
    # updated again (their SIRET lets the last row win), the rest is unchanged.
    expected_report, expected, report, records = both(generated(300, stage_shift=1))
    assert report == expected_report
    assert report[0] == 0 and report[2] > 0
    assert records == expected

    # Everything moves again, in chunks that now hold only stored records.
    expected_report, expected, report, records = both(generated(300, stage_shift=2))
    assert report == expected_report == (0, 300, 0, 0)
    assert records == expected


# 2-6 s: imports hundreds of rows (twice, to compare).
@pytest.mark.slow
@pytest.mark.django_db
def test_projects_import_queries_grow_per_chunk_not_per_row(officer):
    def queries(rows, tag, *, seed):
        data = csv_bytes("projects", rows, seed=seed).decode("utf-8-sig")
        data = data.replace("porteur.", f"porteur{tag}.").replace("Structure ", f"S{tag} ")
        table = read_upload("f.csv", data.encode("utf-8"))
        with CaptureQueriesContext(connection) as context:
            report = run_import(
                kind="projects", table=table, by=officer, dry_run=False, chunk_size=100
            )
        return report, len(context.captured_queries)

    # New rows. Per chunk of 100: the natural keys (five lookups), people, structures and
    # projects with their history lines, memberships, founder links, stage changes, grant
    # measures, savepoints; SQLite splits a bulk insert of 100 wide rows into a few
    # statements (PostgreSQL writes each in one). Row by row, it was over 1,000.
    report, one_chunk = queries(100, "a", seed=1)
    assert report.new == 100
    report, four_chunks = queries(400, "b", seed=1)
    assert report.new == 400
    assert one_chunk <= 45
    assert four_chunks - one_chunk <= 3 * 35

    # The same projects again, most of them at another stage: updates, moves and their
    # two history lines each, still per chunk.
    report, one_chunk = queries(100, "a", seed=2)
    assert report.new == 0 and report.updated > 50
    report, four_chunks = queries(400, "b", seed=2)
    assert report.new == 0 and report.updated > 200
    assert one_chunk <= 50
    assert four_chunks - one_chunk <= 3 * 40
