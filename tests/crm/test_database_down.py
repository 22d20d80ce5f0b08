"""When PostgreSQL is down or the connection breaks mid-request, pages answer a French 503
that needs no database, and what the request had started to write is rolled back."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from contacts.models import Organisation, Person
from crm.models import Project
from crm.projects import services
from tests.crm.test_project_pages import create_data

UNAVAILABLE = "Service momentanément indisponible"


def _counts():
    return (Project.objects.count(), Person.objects.count(), Organisation.objects.count())


def _post_create(officer):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    return client.post(reverse("crm:project-create"), create_data())


@pytest.mark.django_db
def test_a_database_error_mid_request_answers_a_french_503_and_writes_nothing(officer, monkeypatch):
    before = _counts()

    def lost(*args, **kwargs):  # after the organisation, the lead and the project
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_link_lead_to_organisation", lost)
    response = _post_create(officer)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert UNAVAILABLE in page and "Rien de ce que vous veniez d'envoyer" in page
    assert 'lang="fr"' in page
    assert _counts() == before


def test_the_503_page_renders_without_a_database(client, settings):
    """No database access is allowed in this test: the page must not need one."""
    from django.test import RequestFactory

    from crm.core.errors import database_unavailable

    response = database_unavailable(RequestFactory().get("/projects/"))
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()


@pytest.mark.django_db
def test_other_errors_stay_500(officer, monkeypatch):
    def bug(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "_link_lead_to_organisation", bug)
    assert _post_create(officer).status_code == 500


@pytest.mark.django_db(transaction=True)
def test_postgresql_connection_killed_mid_request_commits_nothing(officer, monkeypatch):
    """The server ends our connection between two writes of one service (as a restart of
    PostgreSQL or a failover would): the request answers 503, and none of the rows it had
    written (organisation, lead, project) was committed."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the connection is ended by the server")
    before = _counts()

    def killed(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    monkeypatch.setattr(services, "_link_lead_to_organisation", killed)
    response = _post_create(officer)
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    connection.close()  # the test client keeps the broken connection; open a new one
    assert _counts() == before
