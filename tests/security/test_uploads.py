"""crm.core.uploads.validate_upload refuses big, mislabelled or disguised files."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from crm.core.uploads import validate_upload


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODS = zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b""})


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("porteurs.csv", "nom;prénom\nBenali;Nadia\n".encode(), "csv"),
        ("porteurs-excel.csv", "nom;prénom\nBenali;Nadia\n".encode("cp1252"), "csv"),
        ("Suivi 2024.XLSX", XLSX, "xlsx"),
        ("suivi.ods", ODS, "ods"),
    ],
)
def test_honest_files_are_accepted(name, content, kind):
    assert validate_upload(SimpleUploadedFile(name, content)) == kind


def test_a_file_over_the_limit_is_refused_with_its_size(settings):
    settings.MAX_UPLOAD_SIZE = 1024
    with pytest.raises(ValidationError, match="la limite est de 1,0"):
        validate_upload(SimpleUploadedFile("gros.csv", b"a;b\n" * 600))


@pytest.mark.parametrize("name", ["script.php", "page.html", "macro.xlsm", "sans-extension"])
def test_other_extensions_are_refused(name):
    with pytest.raises(ValidationError, match="Type de fichier refusé"):
        validate_upload(SimpleUploadedFile(name, b"a;b\n"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("faux.xlsx", b"nom;prenom\n"),  # text renamed .xlsx
        ("faux.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00"),  # a binary renamed .csv
        ("faux.ods", XLSX),  # a zip of the wrong kind
        ("faux.xlsx", zipped({"evil.sh": b"rm -rf /"})),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    with pytest.raises(ValidationError, match="ne correspond pas"):
        validate_upload(SimpleUploadedFile(name, content))


def test_the_allowed_list_narrows_the_kinds():
    with pytest.raises(ValidationError, match=r"\.csv"):
        validate_upload(SimpleUploadedFile("suivi.ods", ODS), allowed=("csv",))


def test_uploads_live_outside_the_static_root(settings):
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > settings.MAX_UPLOAD_SIZE
