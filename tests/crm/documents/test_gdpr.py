"""A person's documents in their access export; erasure deletes them, files included (on
the local disk and on the S3 endpoint); its preview deletes nothing."""

import io
import zipfile

import pytest

from contacts.gdpr.access_export import person_export_data
from contacts.gdpr.erasure import erasure_preview, person_erase
from contacts.gdpr.export_archive import build_archive
from crm.documents.models import Document
from tests.crm.documents.conftest import PDF, attach, stored_names
from tests.factories import OfficerFactory, PersonFactory, ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("document_storage")]


@pytest.fixture
def person_documents():
    officer = OfficerFactory()
    person = PersonFactory(first_name="Awa", last_name="Traoré")
    project = ProjectFactory(lead=person)
    attach(person, officer, kind="person", title="Pièce d'identité", content=PDF + b"id")
    attach(project, officer, title="Business plan", content=PDF + b"bp")
    attach(ProjectFactory(), officer, title="Autre projet", content=PDF + b"other")
    return person


def test_the_access_export_holds_the_persons_documents(person_documents):
    archive = zipfile.ZipFile(io.BytesIO(build_archive(person_export_data(person_documents))))
    files = {name.rsplit("/", 1)[-1]: name for name in archive.namelist() if "/documents/" in name}
    assert sorted(name.split("-", 2)[-1] for name in files) == [
        "Business plan.pdf",
        "Pièce d_identité.pdf",
    ]
    contents = {archive.read(name) for name in files.values()}
    assert contents == {PDF + b"id", PDF + b"bp"}


def test_erasure_deletes_their_documents_and_files_and_the_preview_nothing(
    person_documents, django_capture_on_commit_callbacks
):
    assert len(stored_names()) == 3
    preview = erasure_preview(person_documents)
    assert preview["documents.Document"] == 2
    assert len(stored_names()) == 3 and Document.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=person_documents, force=True, reason="Demande")
    assert list(Document.objects.values_list("title", flat=True)) == ["Autre projet"]
    assert len(stored_names()) == 1
