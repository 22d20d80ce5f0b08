"""Preview of values and of changes (issue 21): the first rows as they will be stored, and
for updates a before/after of each changed field; nothing written before confirmation."""

import pytest
from django.urls import reverse

from contacts.models import Person
from crm.importing.reading import read_upload
from crm.importing.runner import run_import
from crm.models import Project
from tests.crm.legacy_file import legacy_csv, legacy_rows
from tests.crm.test_import_fixes import upload
from tests.factories import PersonFactory

PEOPLE = (
    "Prénom;Nom;Courriel;Téléphone;Commune;QPV\r\n"
    "Léa;Martin;lea.martin@exemple.fr;06 12 34 56 78;Créteil;oui\r\n"
    "Hugo;Dubois;hugo.dubois@exemple.fr;07 00 00 00 01;Noiseau;\r\n"
)


@pytest.mark.django_db
def test_people_preview_shows_new_values_and_changed_fields(officer):
    PersonFactory(first_name="Hugo", last_name="Dubois", email="hugo.dubois@exemple.fr", phone="")
    table = read_upload("gens.csv", PEOPLE.encode("cp1252"))
    report = run_import(kind="people", table=table, by=officer, dry_run=True)
    new, update = report.samples
    assert (new["line"], new["action"]) == (2, "new")
    shown = {label: after for label, _before, after in new["fields"]}
    # As stored: the phone normalised, the commune by name, the yes/no in words.
    assert shown["téléphone"] == "+33612345678"
    assert shown["commune de résidence"] == "Créteil"
    assert shown["réside dans un QPV"] == "oui"
    assert (update["line"], update["action"]) == (3, "update")
    changes = {label: (before, after) for label, before, after in update["fields"]}
    assert changes["téléphone"] == ("", "+33700000001")
    assert "prénom" not in changes  # unchanged fields are not listed
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_projects_preview_page_shows_before_and_after(client, officer):
    client.force_login(officer)
    rows = legacy_rows(4)
    first = upload(client, legacy_csv(rows))
    client.post(reverse("crm:import-confirm", args=[first.pk]))
    assert Project.objects.count() == 1  # rows 2 to 4 carry faults left undecided
    rows[1][7] = "Lancement"  # the stage of the project of row 3 changes
    batch = upload(client, legacy_csv(rows), name="suivi-modifie.csv")
    batch.refresh_from_db()
    update = next(s for s in batch.preview["samples"] if s["action"] == "update")
    assert update["line"] == 3
    assert ["étape", "Idée", "Lancement"] in update["fields"]
    page = client.get(reverse("crm:import-detail", args=[batch.pk])).content.decode()
    assert "Aperçu des fiches" in page and "Lancement" in page
    assert Project.objects.get(name="Atelier Dubois 1").stage == "idea"  # nothing written
