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


PEOPLE_CSV = (
    "Prénom;Nom;Courriel;Commune\r\n"
    "Léa;Martin;lea.martin@exemple.fr;Créteil\r\n"
    "Hugo;Dubois;hugo.dubois@exemple.fr;Créteil\r\n"
    "Inès;Petit;pas-un-email;Créteil\r\n"
).encode("cp1252")


def upload_kind(client, kind, content, name="fichier.csv"):
    return client.post(
        LIST, {"kind": kind, "mode": "update", "file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.django_db
def test_officer_imports_people_from_the_page(client, officer):
    from contacts.models import Person

    client.force_login(officer)
    upload_kind(client, "people", PEOPLE_CSV)
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.total, batch.preview["new"], batch.preview["refused"]) == (
        "previewed",
        3,
        2,
        1,
    )
    page = client.get(reverse("crm:import-detail", args=[batch.pk])).content.decode()
    assert "Porteur·ses de projet" in page and "Saisissez une adresse de courriel valide" in page
    response = client.post(reverse("crm:import-confirm", args=[batch.pk]), follow=True)
    assert (
        "Import terminé : 2 créée(s), 0 mise(s) à jour, 1 refusée(s)." in response.content.decode()
    )
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_a_coach_cannot_upload_meetings(client, coach):
    client.force_login(coach)
    response = upload_kind(client, "meetings", b"N\xb0 projet;Date\r\n1;08/11/2024\r\n")
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


class FakeTask:
    def __init__(self, queue):
        self.queue = queue

    def enqueue(self, *args):
        self.queue.append(args)


@pytest.mark.django_db
def test_large_files_run_in_the_worker_while_the_page_shows_progress(
    client, officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from contacts.models import Person
    from crm.importing import tasks

    settings.TASKS_BACKEND = "database"
    settings.IMPORT_INLINE_MAX_ROWS = 2
    previews, confirms = [], []
    monkeypatch.setattr(tasks, "preview_batch", FakeTask(previews))
    monkeypatch.setattr(tasks, "confirm_batch", FakeTask(confirms))
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        upload_kind(client, "people", PEOPLE_CSV)
    batch = ImportBatch.objects.get()
    assert batch.status == "previewing" and previews == [(batch.pk, officer.pk)]
    detail = reverse("crm:import-detail", args=[batch.pk])
    progress = reverse("crm:import-progress", args=[batch.pk])
    page = client.get(detail).content.decode()
    assert "<progress" in page and "0 lignes traitées sur 3" in page
    assert "crm/import_progress.js" in page
    assert client.get(progress).json() == {
        "status": "previewing",
        "status_label": "Prévisualisation en cours",
        "processed": 0,
        "total": 3,
        "running": True,
    }
    tasks.process_batch(*previews[0], confirm=False)  # what db_worker runs
    assert client.get(progress).json()["running"] is False
    assert "Ce que l'import va faire" in client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("crm:import-confirm", args=[batch.pk]))
    assert confirms == [(batch.pk, officer.pk, [])]
    assert client.get(progress).json()["status"] == "importing"
    assert not Person.objects.exists()
    tasks.process_batch(batch.pk, officer.pk, confirm=True)
    data = client.get(progress).json()
    assert (data["status"], data["processed"], data["total"]) == ("done", 3, 3)
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_a_failed_import_says_so_and_writes_nothing(client, officer, monkeypatch):
    from contacts.models import Person
    from crm.importing import tasks
    from crm.importing.runner import ImportAborted

    client.force_login(officer)
    upload_kind(client, "people", PEOPLE_CSV)
    batch = ImportBatch.objects.get()

    def broken(**kwargs):
        raise ImportAborted("contrainte violée")

    monkeypatch.setattr(tasks, "run_import", broken)
    client.post(reverse("crm:import-confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "failed"
    page = client.get(reverse("crm:import-detail", args=[batch.pk])).content.decode()
    assert "contrainte violée" in page and "rien n&#x27;a été enregistré" in page
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_review_mode_lists_matching_people_by_name(client, officer):
    from contacts.models import Person

    client.force_login(officer)
    upload_kind(client, "people", PEOPLE_CSV)
    client.post(reverse("crm:import-confirm", args=[ImportBatch.objects.get().pk]))
    changed = PEOPLE_CSV.replace(
        b"lea.martin@exemple.fr;Cr\xe9teil", b"lea.martin@exemple.fr;Noiseau"
    )
    client.post(
        LIST,
        {"kind": "people", "mode": "review", "file": SimpleUploadedFile("b.csv", changed)},
    )
    batch = ImportBatch.objects.latest("pk")
    page = client.get(reverse("crm:import-detail", args=[batch.pk])).content.decode()
    assert (
        "Ligne 2</label>" not in page and "Ligne 2 : Léa · Martin · lea.martin@exemple.fr" in page
    )
    client.post(reverse("crm:import-confirm", args=[batch.pk]), {"update_line": ["2"]})
    assert Person.objects.get(email="lea.martin@exemple.fr").commune.name == "Noiseau"
