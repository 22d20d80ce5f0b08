"""Uploads that would exhaust the server are refused before they are parsed, with a clear
message; a preview that runs too long stops; a stuck preview can be cancelled or started
again (issue 16, finding 7)."""

import datetime
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from crm.importing.forms import ImportUploadForm
from crm.importing.reading import read_upload
from crm.importing.runner import ImportAborted, run_import
from crm.models import ImportBatch, ImportStatus

SAMPLE = Path(__file__).parent / "data" / "suivi-porteurs-2024.csv"
MB = 1024 * 1024


def _xlsx_bomb(expanded_bytes: int, *, noise: bool = False) -> bytes:
    """An .xlsx-looking archive whose sheet expands to `expanded_bytes` (zeros compress a
    thousand times; hex noise about twice)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = os.urandom(MB // 2).hex().encode() if noise else b"0" * MB
            for _ in range(expanded_bytes // len(chunk) + 1):
                sheet.write(chunk)
    return buffer.getvalue()


def _ods_bomb(expanded_bytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        with archive.open("content.xml", "w") as content:
            for _ in range(expanded_bytes // MB + 1):
                content.write(b" " * MB)
    return buffer.getvalue()


ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
    '<office:spreadsheet><table:table table:name="Feuille1">{rows}</table:table>'
    "</office:spreadsheet></office:body></office:document-content>"
)


def _ods(rows: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", ODS_CONTENT.format(rows=rows))
    return buffer.getvalue()


def _cell(text: str, repeat: int = 1) -> str:
    return (
        f'<table:table-cell table:number-columns-repeated="{repeat}" '
        f'office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


def _upload(name: str, data: bytes):
    form = ImportUploadForm(
        data={"kind": "projects", "mode": "update"},
        files={"file": SimpleUploadedFile(name, data)},
    )
    assert not form.is_valid()
    return form.errors["file"][0]


def test_xlsx_expanding_to_gigabytes_is_refused_before_parsing():
    bomb = _xlsx_bomb(60 * MB)
    assert len(bomb) < 300 * 1024
    message = _upload("suivi.xlsx", bomb)
    assert "anormalement compressé" in message
    with pytest.raises(ValidationError, match="anormalement compressé"):
        read_upload("suivi.xlsx", bomb)  # the command's path, and the worker's


def test_ods_expanding_past_the_limit_is_refused(settings):
    assert "anormalement compressé" in _upload("suivi.ods", _ods_bomb(40 * MB))


def test_ods_is_read_row_by_row_with_its_repeats():
    rows = (
        f"<table:table-row>{_cell('Nom')}{_cell('Courriel')}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
        f'<table:table-row table:number-rows-repeated="2">{_cell("Martin")}'
        f'{_cell("m@exemple.fr")}<table:table-cell table:number-columns-repeated="16000"/>'
        "</table:table-row>"
    )
    table = read_upload("suivi.ods", _ods(rows))
    assert table.headers == ["Nom", "Courriel"]
    assert table.rows == [
        (1000002, {"Nom": "Martin", "Courriel": "m@exemple.fr"}),
        (1000003, {"Nom": "Martin", "Courriel": "m@exemple.fr"}),
    ]


def test_ods_repeating_a_cell_a_billion_times_is_refused():
    rows = f"<table:table-row>{_cell('Nom', repeat=1_000_000_000)}</table:table-row>"
    with pytest.raises(ValidationError, match="plus de 200 colonnes"):
        read_upload("suivi.ods", _ods(rows))


def test_ods_repeating_a_row_a_billion_times_is_refused():
    rows = (
        f"<table:table-row>{_cell('Nom')}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="1000000000">{_cell("Martin")}'
        "</table:table-row>"
    )
    started = time.monotonic()
    with pytest.raises(ValidationError, match="plus de 50000 lignes"):
        read_upload("suivi.ods", _ods(rows))
    assert time.monotonic() - started < 10


def test_archive_larger_than_the_limit_once_expanded_is_refused(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 2 * MB
    message = _upload("suivi.xlsx", _xlsx_bomb(3 * MB, noise=True))
    assert "Une fois décompressé" in message and "2,0\xa0Mio" in message


def test_archive_with_thousands_of_members_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for index in range(1500):
            archive.writestr(f"xl/m{index}.xml", "")
    assert "1501 éléments compressés" in _upload("suivi.xlsx", buffer.getvalue())


def test_file_with_thousands_of_columns_is_refused():
    headers = ";".join(f"Colonne {n}" for n in range(5000))
    data = f"{headers}\r\n{';' * 4999}x\r\n".encode()
    assert "plus de 200 colonnes" in _upload("large.csv", data)


def test_xlsx_with_thousands_of_columns_is_refused(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([f"Colonne {n}" for n in range(3000)])
    sheet.append(["x"] * 3000)
    path = tmp_path / "large.xlsx"
    workbook.save(path)
    with pytest.raises(ValidationError, match="plus de 200 colonnes"):
        read_upload("large.xlsx", path.read_bytes())


def test_trailing_empty_columns_do_not_count(settings):
    settings.IMPORT_MAX_COLUMNS = 3
    table = read_upload("f.csv", b"Nom;Courriel;;;;;;\r\nMartin;lea@exemple.fr;;;;;;\r\n")
    assert table.headers == ["Nom", "Courriel"]


def test_too_many_rows_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 10
    data = "Nom;Courriel\r\n" + "".join(f"P{n};p{n}@exemple.fr\r\n" for n in range(11))
    message = _upload("lignes.csv", data.encode())
    assert "plus de 10 lignes" in message
    read_upload("lignes.csv", "\r\n".join(data.splitlines()[:11]).encode())  # 10: accepted


def test_oversized_cell_is_refused_naming_its_line_and_column(settings):
    settings.IMPORT_MAX_CELL_CHARS = 1000
    data = f"Nom;Observations\r\nMartin;ok\r\nPetit;{'x' * 1001}\r\n".encode()
    message = _upload("cellule.csv", data)
    assert "Ligne 3, colonne « Observations »" in message and "1001" in message


def test_cell_past_the_csv_modules_own_limit_gets_a_french_message():
    data = b'Nom;Observations\r\nMartin;"' + b"x" * 200_000 + b'"\r\n'
    assert "cellule illisible ou trop longue" in _upload("cellule.csv", data)


def test_pathological_csv_is_answered_within_seconds():
    """csv.Sniffer is quadratic: on 3 MB of quotes without a line break it held a worker
    for minutes. It now reads a bounded sample."""
    data = ('"a";"b",' * 400_000).encode()  # 3.2 MB, one line
    started = time.monotonic()
    try:
        read_upload("bizarre.csv", data)
    except ValidationError:
        pass
    assert time.monotonic() - started < 10


@pytest.mark.django_db
def test_preview_past_its_time_limit_stops_with_a_message(officer):
    table = read_upload("suivi.csv", SAMPLE.read_bytes())
    with pytest.raises(ImportAborted, match="dépassé 0 secondes après 5 lignes"):
        run_import(
            kind="projects", table=table, by=officer, dry_run=True, chunk_size=5, time_limit=0
        )


# -- stuck previews ------------------------------------------------------------------


def _batch(officer, *, status, started_minutes_ago):
    batch = ImportBatch(
        kind="projects", mode="update", original_name=SAMPLE.name, created_by=officer
    )
    batch.file.save("stuck.csv", ContentFile(SAMPLE.read_bytes()))
    batch.status = status
    batch.started_at = timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    batch.save()
    return batch


@pytest.mark.django_db
def test_a_preview_stuck_for_an_hour_is_shown_and_can_be_cancelled(client, officer):
    batch = _batch(officer, status=ImportStatus.PREVIEWING, started_minutes_ago=60)
    client.force_login(officer)
    page = client.get(reverse("crm:import-detail", args=[batch.pk])).content.decode()
    assert "semble bloquée" in page
    assert reverse("crm:import-retry", args=[batch.pk]) in page
    listing = client.get(reverse("crm:import-list")).content.decode()
    assert "Bloqué (prévisualisation interrompue)" in listing
    client.post(reverse("crm:import-cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED


@pytest.mark.django_db
def test_a_stuck_preview_can_be_started_again(client, officer):
    batch = _batch(officer, status=ImportStatus.PREVIEWING, started_minutes_ago=60)
    client.force_login(officer)
    response = client.post(reverse("crm:import-retry", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED  # run inline by the immediate backend
    assert batch.preview["new"] > 0


@pytest.mark.django_db
def test_a_preview_running_normally_is_neither_cancelled_nor_restarted(client, officer):
    batch = _batch(officer, status=ImportStatus.PREVIEWING, started_minutes_ago=2)
    client.force_login(officer)
    page = client.get(reverse("crm:import-detail", args=[batch.pk])).content.decode()
    assert "semble bloquée" not in page
    client.post(reverse("crm:import-cancel", args=[batch.pk]))
    client.post(reverse("crm:import-retry", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWING


@pytest.mark.django_db
def test_a_task_outlived_by_a_retry_records_nothing(officer, monkeypatch):
    """The stuck task may still end after the officer restarted the preview: its result
    belongs to an earlier run and is dropped."""
    from crm.importing import tasks

    batch = _batch(officer, status=ImportStatus.PREVIEWING, started_minutes_ago=60)
    real_run = tasks.run_import

    def run_then_retried(**kwargs):
        report = real_run(**kwargs)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.CANCELLED, started_at=timezone.now()
        )
        return report

    monkeypatch.setattr(tasks, "run_import", run_then_retried)
    tasks.process_batch(batch.pk, officer.pk, confirm=False)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED and not batch.preview


@pytest.mark.django_db
def test_a_file_past_a_limit_in_the_worker_fails_with_the_reason(officer, settings):
    batch = _batch(officer, status=ImportStatus.PREVIEWING, started_minutes_ago=0)
    settings.IMPORT_MAX_ROWS = 3
    from crm.importing import tasks

    tasks.process_batch(batch.pk, officer.pk, confirm=False)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "plus de 3 lignes" in batch.failure


# -- the worker's memory and time ------------------------------------------------------

MEASURE = """
import json, resource, sys, time
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from crm.importing.forms import ImportUploadForm
results = {"baseline_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        data = handle.read()
    started = time.monotonic()
    form = ImportUploadForm(
        data={"kind": "projects", "mode": "update"},
        files={"file": SimpleUploadedFile(path.rsplit("/", 1)[-1], data)},
    )
    valid = form.is_valid()
    results[path] = {
        "seconds": time.monotonic() - started,
        "refused": not valid,
        "message": "" if valid else form.errors["file"][0],
    }
    del data, form
results["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(results))
"""


@pytest.mark.slow
def test_worker_memory_grows_under_150_mb_and_answers_within_10_s(tmp_path):
    """What the files cost the worker, over the process once Django and the apps are loaded
    (that base grows with every library the app adds, not with the file)."""
    files = {
        "bomb.xlsx": _xlsx_bomb(2000 * MB),
        "bomb.ods": _ods_bomb(1000 * MB),
        "bizarre.csv": ('"a";"b",' * 400_000).encode(),
        "large.csv": (";".join(f"C{n}" for n in range(20_000)) + "\r\n").encode() * 50,
        "suivi.csv": SAMPLE.read_bytes(),
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, *paths],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
        env=environment,
        timeout=120,
    ).stdout
    results = json.loads(output.strip().splitlines()[-1])
    baseline = results.pop("baseline_mb")
    assert results.pop("peak_mb") - baseline < 150
    for path, result in results.items():
        assert result["seconds"] < 10, (path, result)
        if not path.endswith("suivi.csv"):
            assert result["refused"] and result["message"], (path, result)
    assert not results[str(tmp_path / "suivi.csv")]["refused"]
