"""Two people upload a new version of one document at the same moment: both are kept, as
successive versions (PostgreSQL: the row lock on the document orders them)."""

import threading

import pytest
from django.db import connection, connections

from crm.documents import services
from tests.crm.documents.conftest import PDF, attach, upload
from tests.factories import OfficerFactory, ProjectFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("document_storage")
@pytest.mark.parametrize("document_storage", ["local"], indirect=True)
def test_two_simultaneous_new_versions_are_both_kept():
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serialises writers itself)")
    officer = OfficerFactory()
    document = attach(ProjectFactory(), officer)
    start = threading.Barrier(2)
    errors = []

    def new_version(index):
        try:
            start.wait()
            services.document_new_version(
                document, upload(f"v{index}.pdf", PDF + str(index).encode()), by=officer
            )
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=new_version, args=(i,)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    versions = document.versions.order_by("number")
    assert list(versions.values_list("number", flat=True)) == [1, 2, 3]
    assert sorted(versions.values_list("original_name", flat=True)) == [
        "Plan.pdf",
        "v1.pdf",
        "v2.pdf",
    ]
