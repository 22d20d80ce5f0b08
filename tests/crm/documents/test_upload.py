"""Safe files: what is accepted, what is refused and why, and nothing half-stored; run
against the local disk and the local S3 endpoint alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from crm.documents import services, storage
from crm.documents.models import Document, DocumentVersion
from tests.crm.documents.conftest import EICAR, PDF, attach, category, stored_names, upload
from tests.factories import OfficerFactory, ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("document_storage")]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _post(client, project, files, **extra):
    data = {
        "files": files,
        "category": category().pk,
        "title": "",
        "date": "27/11/2026",
        "visibility": "provider",
        **extra,
    }
    return client.post(reverse("documents:record", args=["project", project.pk]), data)


def test_several_files_at_once_are_stored_and_download_as_attachments(client):
    officer = OfficerFactory()
    project = ProjectFactory()
    client.force_login(officer)
    response = _post(client, project, [upload("plan.pdf", PDF), upload("photo.png", PNG)])
    assert response.status_code == 302
    documents = Document.objects.order_by("title")
    assert [d.title for d in documents] == ["photo.png", "plan.pdf"]
    assert len(stored_names()) == 2
    version = DocumentVersion.objects.get(document__title="plan.pdf")
    response = client.get(reverse("documents:download", args=[version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    page = client.get(reverse("documents:record", args=["project", project.pk]))
    assert "plan.pdf" in page.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "Type de fichier"),
        ("logo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "Type"),
        ("plan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program", "Type de fichier"),
        ("tool.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "Type de fichier"),
        ("vide.pdf", b"", "vide"),
    ],
)
def test_a_refused_file_names_its_reason_and_nothing_is_stored(client, name, content, reason):
    client.force_login(OfficerFactory())
    project = ProjectFactory()
    response = _post(client, project, [upload("ok.pdf", PDF), upload(name, content)])
    assert response.status_code == 200
    body = response.content.decode()
    assert name in body and reason in body
    assert not Document.objects.exists()
    assert stored_names() == []


def test_too_large_is_refused_with_the_limit(client, settings):
    settings.MAX_UPLOAD_SIZE = 1024
    client.force_login(OfficerFactory())
    response = _post(client, ProjectFactory(), [upload("gros.pdf", PDF + b"0" * 2000)])
    assert "la limite est de 1,0" in response.content.decode()
    assert stored_names() == []


def test_the_stored_name_is_sanitised_and_follows_the_content():
    document = services.document_upload(
        record_kind="project",
        record=ProjectFactory(),
        file=upload("../../etc/Plan <2026>*?.exe", PDF),
        by=OfficerFactory(),
        category=category(),
        title="",
        date=datetime.date(2026, 1, 5),
        visibility="internal",
    )
    version = document.versions.get()
    assert version.original_name == "Plan _2026.pdf"
    assert ".." not in version.storage_name and version.storage_name.endswith(".pdf")


def test_a_failed_row_deletes_its_file(monkeypatch):
    def refuse(*args, **kwargs):
        raise IntegrityError("boom")

    monkeypatch.setattr(DocumentVersion.objects, "create", refuse)
    with pytest.raises(IntegrityError):
        attach(ProjectFactory(), OfficerFactory())
    assert stored_names() == []
    assert not Document.objects.exists()


def test_new_versions_keep_the_old_ones_and_number_in_turn():
    officer = OfficerFactory()
    document = attach(ProjectFactory(), officer)
    services.document_new_version(document, upload("v2.pdf", PDF + b"2"), by=officer)
    services.document_new_version(document, upload("v3.pdf", PDF + b"3"), by=officer)
    assert list(document.versions.values_list("number", flat=True)) == [3, 2, 1]
    assert len(stored_names()) == 3


def test_a_version_number_taken_meanwhile_goes_to_the_next(monkeypatch):
    """Two simultaneous new versions: the second writer, refused by the unique (document,
    number), takes the next number (on PostgreSQL the row lock orders them first)."""
    officer = OfficerFactory()
    document = attach(ProjectFactory(), officer)
    real_next = services.next_number
    stale = [real_next(document)]
    # Somebody else's version 2 is committed between our count and our insert.
    DocumentVersion.objects.create(
        document=document,
        number=stale[0],
        storage_name="other.pdf",
        original_name="other.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )

    def racing_next(document):
        return stale.pop() if stale else real_next(document)

    monkeypatch.setattr(services, "next_number", racing_next)
    services.document_new_version(document, upload("mine.pdf", PDF + b"m"), by=officer)
    assert sorted(document.versions.values_list("number", flat=True)) == [1, 2, 3]


def test_cleanup_orphan_files_deletes_only_files_no_version_names():
    attach(ProjectFactory(), OfficerFactory())
    kept = stored_names()
    storage.store(upload("orphan.pdf", PDF), "pdf")
    assert len(stored_names()) == 2
    call_command("cleanup_orphan_files", "--min-age-minutes", "0")
    assert stored_names() == kept


def test_an_infected_file_is_refused_by_the_daemon(client, clamd_socket):
    client.force_login(OfficerFactory())
    project = ProjectFactory()
    page = client.get(reverse("documents:record", args=["project", project.pk]))
    assert "ne sont pas analysés" not in page.content.decode()
    response = _post(client, project, [upload("virus.txt", EICAR)])
    assert "Fichier infecté (Eicar-Test-Signature)" in response.content.decode()
    assert stored_names() == []
    assert _post(client, project, [upload("plan.pdf", PDF)]).status_code == 302
    assert clamd_socket.scanned == 2


def test_without_a_daemon_the_page_says_files_are_not_scanned(client, settings):
    settings.CLAMD_SOCKET = ""
    client.force_login(OfficerFactory())
    page = client.get(reverse("documents:record", args=["project", ProjectFactory().pk]))
    assert "ne sont pas analysés par un antivirus" in page.content.decode()


def test_a_daemon_that_does_not_answer_refuses_the_upload(settings):
    settings.CLAMD_SOCKET = "/nonexistent/clamd.sock"
    with pytest.raises(ValidationError, match="antivirus ne répond pas"):
        attach(ProjectFactory(), OfficerFactory())
    assert stored_names() == []
