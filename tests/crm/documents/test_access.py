"""Who sees which document: internal ones officers only; provider ones also the project's
coach (and managers, read-only); another coach nothing, not even by URL."""

import pytest
from django.urls import reverse

from crm.documents.models import Document
from tests.crm.documents.conftest import attach
from tests.factories import (
    CoachFactory,
    ManagerFactory,
    MeetingFactory,
    OfficerFactory,
    ProjectFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("document_storage")]


@pytest.fixture
def documents():
    officer, coach = OfficerFactory(), CoachFactory()
    project = ProjectFactory(coach=coach)
    shared = attach(project, officer, visibility="provider", title="Plan partagé")
    internal = attach(project, officer, visibility="internal", title="Statuts internes")
    meeting = attach(
        MeetingFactory(project=project), officer, kind="meeting", visibility="provider"
    )
    return {"officer": officer, "coach": coach, "project": project, "shared": shared,
            "internal": internal, "meeting": meeting}  # fmt: skip


def _download(client, document):
    return client.get(reverse("documents:download", args=[document.versions.get().pk]))


def test_the_coach_sees_and_downloads_shared_documents_never_internal_ones(client, documents):
    coach = documents["coach"]
    assert set(Document.objects.visible_to(coach)) == {documents["shared"], documents["meeting"]}
    client.force_login(coach)
    assert _download(client, documents["shared"]).status_code == 200
    assert _download(client, documents["internal"]).status_code == 404
    body = client.get(reverse("documents:list")).content.decode()
    assert "Plan partagé" in body and "Statuts internes" not in body
    page = client.get(reverse("crm:project-detail", args=[documents["project"].pk]))
    assert "Plan partagé" in page.content.decode()
    assert "Statuts internes" not in page.content.decode()


def test_another_coach_sees_nothing(client, documents):
    outsider = CoachFactory()
    assert not Document.objects.visible_to(outsider).exists()
    client.force_login(outsider)
    assert _download(client, documents["shared"]).status_code == 404
    assert client.get(reverse("documents:detail", args=[documents["shared"].pk])).status_code == 404
    record = reverse("documents:record", args=["project", documents["project"].pk])
    assert client.get(record).status_code == 404


def test_managers_read_shared_documents_and_upload_nothing(client, documents):
    manager = ManagerFactory()
    assert documents["internal"] not in Document.objects.visible_to(manager)
    client.force_login(manager)
    record = reverse("documents:record", args=["project", documents["project"].pk])
    assert "Déposer" not in client.get(record).content.decode()
    assert client.post(record, {}).status_code == 403


def test_the_coach_uploads_on_their_project_but_never_an_internal_document(client, documents):
    from tests.crm.documents.conftest import PDF, category, upload

    client.force_login(documents["coach"])
    record = reverse("documents:record", args=["project", documents["project"].pk])
    data = {"category": category().pk, "date": "01/12/2026"}
    refused = {**data, "files": [upload("cr.pdf", PDF)], "visibility": "internal"}
    assert client.post(record, refused).status_code == 200
    accepted = {**data, "files": [upload("cr.pdf", PDF)], "visibility": "provider"}
    assert client.post(record, accepted).status_code == 302
    assert Document.objects.filter(title="cr.pdf", created_by=documents["coach"]).exists()


def test_the_project_timeline_shows_each_upload(client, documents):
    client.force_login(documents["officer"])
    page = client.get(reverse("crm:project-detail", args=[documents["project"].pk]))
    assert "Document déposé : Statuts internes" in page.content.decode()


def test_the_list_runs_a_fixed_number_of_queries(client, documents, django_assert_max_num_queries):
    officer = documents["officer"]
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("documents:list")).status_code == 200
    for index in range(8):
        attach(ProjectFactory(), officer, title=f"Doc {index}")
        attach(MeetingFactory(), officer, kind="meeting", title=f"CR {index}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("documents:list")).status_code == 200


@pytest.mark.parametrize("kind", ["person", "organisation", "meeting", "event", "application"])
def test_every_record_page_links_to_its_documents_tab(client, kind):
    from tests.factories import (
        CallApplicationFactory,
        EventFactory,
        OrganisationFactory,
        PersonFactory,
    )

    record = {
        "person": PersonFactory,
        "organisation": OrganisationFactory,
        "meeting": MeetingFactory,
        "event": EventFactory,
        "application": CallApplicationFactory,
    }[kind]()
    pages = {
        "person": "contacts:person-detail",
        "organisation": "contacts:organisation-detail",
        "meeting": "followups:meeting-detail",
        "event": "followups:event-detail",
        "application": "crm:call-application-detail",
    }
    client.force_login(OfficerFactory())
    body = client.get(reverse(pages[kind], args=[record.pk])).content.decode()
    tab = reverse("documents:record", args=[kind, record.pk])
    assert f'href="{tab}"' in body
    attach(record, OfficerFactory(), kind=kind, title="Pièce jointe")
    assert "Pièce jointe" in client.get(tab).content.decode()
