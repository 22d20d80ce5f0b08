import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crm.models import ImportBatch, ImportColumnMapping, Project
from tests.crm.test_import import SAMPLE

LIST = reverse("crm:import-list")


def upload(client, content=None, name="suivi.csv", mode="update"):
    data = SAMPLE.read_bytes() if content is None else content
    return client.post(
        LIST, {"kind": "projects", "mode": mode, "file": SimpleUploadedFile(name, data)}
    )


@pytest.mark.django_db
def test_import_pages_are_for_officers_only(client, coach, manager, officer):
    assert client.get(LIST).status_code == 302
    for user in (coach, manager):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert upload(client).status_code == 403
    assert not ImportBatch.objects.exists()
    client.force_login(officer)
    assert "Importer un tableur" in client.get(LIST).content.decode()


@pytest.mark.django_db
def test_upload_previews_then_confirm_writes(client, officer):
    client.force_login(officer)
    response = upload(client)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("crm:import-detail", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "46" in page and "14" in page
    assert "date impossible : « 31/02/2023 »" in page
    assert not Project.objects.exists()  # nothing written before confirmation
    refused = client.get(reverse("crm:import-refused", args=[batch.pk]))
    assert refused["Content-Type"].startswith("text/csv")
    assert "Erreurs" in refused.content.decode("utf-8-sig").splitlines()[0]
    client.post(reverse("crm:import-confirm", args=[batch.pk]))
    assert Project.objects.count() == 46
    # Confirming twice does not import twice.
    client.post(reverse("crm:import-confirm", args=[batch.pk]))
    assert Project.objects.count() == 46
    batch.refresh_from_db()
    assert batch.status == "done" and batch.result["new"] == 46


@pytest.mark.django_db
def test_cancel_writes_nothing(client, officer):
    client.force_login(officer)
    upload(client)
    batch = ImportBatch.objects.get()
    client.post(reverse("crm:import-cancel", args=[batch.pk]))
    client.post(reverse("crm:import-confirm", args=[batch.pk]))
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_unknown_headers_are_mapped_once_and_remembered(client, officer):
    client.force_login(officer)
    text = (
        "Intitulé;Prénom porteur;Nom porteur;Email;Ville\n"
        "Recyclerie;Léa;Martin;lea@exemple.fr;Créteil\n"
    )
    upload(client, text.encode("utf-8"), name="autre.csv")
    batch = ImportBatch.objects.get()
    page = client.get(reverse("crm:import-detail", args=[batch.pk])).content.decode()
    assert "Colonne « Intitulé »" in page and "Colonne « Ville »" in page
    client.post(
        reverse("crm:import-detail", args=[batch.pk]),
        {"column_0": "project_name", "column_1": "commune", "remember": "on"},
    )
    batch.refresh_from_db()
    assert batch.status == "previewed" and batch.preview["new"] == 1
    assert ImportColumnMapping.objects.filter(header="Intitulé", target="project_name").exists()
    # The next file with the same headers goes straight to the preview.
    upload(client, text.encode("utf-8"), name="autre2.csv")
    assert ImportBatch.objects.latest("pk").status == "previewed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4", "notes.pdf", "Format non pris en charge"),
        (b"PK\x03\x04broken", "faux.xlsx", "ne correspond pas à un fichier .xlsx valide"),
        (b"MZ\x90\x00 executable", "virus.csv", "ne correspond pas à un fichier .csv valide"),
        (b"Nom du projet\n", "vide.csv", "aucune ligne de données"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(client, officer, content, name, message):
    client.force_login(officer)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_too_large_file_is_refused(client, officer, settings):
    settings.IMPORT_MAX_UPLOAD_SIZE = 1024
    client.force_login(officer)
    response = upload(client)
    assert "Fichier trop lourd" in response.content.decode()


@pytest.mark.django_db
def test_imports_and_exports_are_written_to_the_access_log(client, officer):
    from crm.models import AccessEvent

    client.force_login(officer)
    upload(client)
    client.post(reverse("crm:import-confirm", args=[ImportBatch.objects.get().pk]))
    client.get(reverse("crm:project-list"), {"export": "csv", "stage": "launch"})
    kinds = list(AccessEvent.objects.filter(user=officer).values_list("kind", "detail"))
    assert ("import", "suivi.csv: 46 new, 0 updated, 14 refused") in kinds
    assert any(kind == "export" and "stage=launch" in detail for kind, detail in kinds)
