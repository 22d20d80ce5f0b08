"""Right of access: everything the CRM holds on a person, as a ZIP (HTML and PDF summary,
JSON, CSV), from the person's page (officers) and from the command line; logged."""

import html
import io
import json
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from contacts.gdpr import access_export
from contacts.gdpr.access_export import EXCLUDED_RELATIONS, person_export_data
from contacts.gdpr.consents import consent_give
from contacts.models import ConsentOrigin, ConsentPurpose, Person
from crm.models import AccessEvent, AccessEventKind, ProjectMember
from followups.models import Attendance, MeetingNote, NoteVisibility
from tests.factories import (
    ActionFactory,
    CallApplicationFactory,
    EventFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

INTERNAL = "Le comité doute de la viabilité du local."
SHARED = "Relancer la banque pour le prêt d'honneur."
OTHER_PROJECT_NOTE = "Note d'un autre projet qui ne la concerne pas."


@pytest.fixture
def person(project, officer):
    """The lead of `project`, with a meeting (internal and shared notes), an action, an
    application with scores, a workshop attended and a consent; and a co-founder whose own
    records must not leak into the export."""
    lead = ProjectMember.objects.get(project=project, is_lead=True).person
    lead.first_name, lead.last_name = "Awa", "Diallo"
    lead.save()
    co_founder = PersonFactory(first_name="Bruno", last_name="Cofondateur")
    ProjectMember.objects.create(project=project, person=co_founder)
    meeting = MeetingFactory(project=project, summary="Budget revu ensemble.")
    meeting.participants.add(lead)
    MeetingNote.objects.create(meeting=meeting, text=INTERNAL, visibility=NoteVisibility.INTERNAL)
    MeetingNote.objects.create(meeting=meeting, text=SHARED, visibility=NoteVisibility.PROVIDER)
    ActionFactory(project=project, title="Envoyer le budget prévisionnel")
    CallApplicationFactory(project=project, score_jobs=4)
    event = EventFactory(title="Atelier marchés publics réservés")
    Attendance.objects.create(event=event, person=lead, project=project)
    Attendance.objects.create(event=event, person=co_founder, project=project)
    consent_give(person=lead, purpose=ConsentPurpose.NEWSLETTER, origin=ConsentOrigin.PUBLIC_FORM)
    elsewhere = MeetingFactory(project=ProjectFactory(name="Autre projet"))
    MeetingNote.objects.create(meeting=elsewhere, text=OTHER_PROJECT_NOTE)
    return lead


def _open(content: bytes, person) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    folder = f"donnees-personnelles-{person.pk}/"
    return {name.removeprefix(folder): archive.read(name) for name in archive.namelist()}


def _assert_complete(files: dict[str, bytes], person):
    summary = html.unescape(files["resume.html"].decode())
    for expected in (
        "Awa",
        "Diallo",
        person.email,
        "Atelier vélo des Bords de Marne",
        "Budget revu ensemble.",
        INTERNAL,
        SHARED,
        "Envoyer le budget prévisionnel",
        "Atelier marchés publics réservés",
        "Formulaire d'inscription en ligne",
        "Historique",
    ):
        assert expected in summary, expected
    # The internal note is there, and marked as such.
    assert "Note interne" in summary
    for leak in ("Cofondateur", OTHER_PROJECT_NOTE):
        assert leak not in summary
    assert files["resume.pdf"].startswith(b"%PDF")
    data = json.loads(files["donnees.json"])
    assert data["person_id"] == person.pk
    sections = {s["key"]: s for s in data["sections"]}
    notes = sections["followups.meetingnote"]["rows"]
    assert {n["text"]: n.get("internal", False) for n in notes} == {INTERNAL: True, SHARED: False}
    assert sections["crm.application"]["rows"][0]["score_jobs"] == 4
    assert [a["person_id"] for a in sections["followups.attendance"]["rows"]] == [person.pk]
    assert sections["contacts.consent"]["rows"][0]["origin"] == ConsentOrigin.PUBLIC_FORM
    assert "history.contacts.person" in sections
    notes_csv = files["csv/followups.meetingnote.csv"].decode("utf-8-sig")
    assert INTERNAL in notes_csv and "Note interne" in notes_csv.splitlines()[0]


@pytest.mark.slow
def test_officer_downloads_everything_held_on_a_person(client, officer, person):
    client.force_login(officer)
    client.get(reverse("contacts:person-detail", args=[person.pk]))
    response = client.get(reverse("contacts:person-data-export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"donnees-personnelles-{person.pk}.zip" in response["Content-Disposition"]
    files = _open(response.content, person)
    _assert_complete(files, person)
    # The officer's visit of the page is part of what the person learns.
    access = json.loads(files["donnees.json"])["sections"][-1]
    assert access["key"] == "access_log"
    assert [(r["kind"], r["username"]) for r in access["rows"]] == [
        (AccessEventKind.PERSON_VIEW, officer.username)
    ]
    # And the export itself is logged, by number, never by name.
    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert (event.user, event.person_pk) == (officer, person.pk)
    assert "Diallo" not in event.detail


def test_the_export_button_is_for_officers_only(client, officer, manager, coach, person):
    url = reverse("contacts:person-data-export", args=[person.pk])
    page = reverse("contacts:person-detail", args=[person.pk])
    client.force_login(officer)
    assert url in client.get(page).content.decode()
    for user in (manager, coach):
        client.force_login(user)
        assert url not in client.get(page).content.decode()
        assert client.get(url).status_code == 403
    assert not AccessEvent.objects.filter(kind=AccessEventKind.EXPORT).exists()


@pytest.mark.slow
def test_command_writes_the_same_zip_and_logs_it(tmp_path, person):
    output = tmp_path / "export.zip"
    call_command("gdpr_export", str(person.pk), "--output", str(output), stdout=io.StringIO())
    _assert_complete(_open(output.read_bytes(), person), person)
    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert (event.person_pk, event.username) == (person.pk, "manage.py gdpr_export")


def test_command_refuses_an_unknown_person_or_an_existing_file(tmp_path, person):
    with pytest.raises(CommandError, match="Aucune personne n° 999999"):
        call_command("gdpr_export", "999999", "--output", str(tmp_path / "x.zip"))
    existing = tmp_path / "deja.zip"
    existing.write_bytes(b"")
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("gdpr_export", str(person.pk), "--output", str(existing))
    assert existing.read_bytes() == b""


def test_every_relation_to_people_is_walked_unless_excluded_with_a_reason(person):
    """The walk reads the model graph: a model linked to people later is exported without
    a change. What is left out is named, with a reason, and names a real relation."""
    relations = {
        access_export.relation_key(rel)
        for rel in Person._meta.related_objects
        if not access_export.is_historical(rel.related_model)
    }
    walked = {access_export.relation_key(rel) for rel in access_export.walked_relations(Person, 0)}
    assert relations - walked == set(EXCLUDED_RELATIONS)
    assert all(EXCLUDED_RELATIONS.values())
    exported = {section.key for section in person_export_data(person).sections}
    assert {
        "contacts.person",
        "contacts.consent",
        "crm.projectmember",
        "crm.project",
        "crm.stagechange",
        "crm.application",
        "followups.meeting",
        "followups.meetingnote",
        "followups.action",
        "followups.attendance",
    } <= exported


def test_query_count_does_not_grow_with_the_records(person, project):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            person_export_data(Person.objects.get(pk=person.pk))
        return len(queries)

    before = count()
    for _ in range(5):
        meeting = MeetingFactory(project=project)
        meeting.participants.add(person)
        MeetingNote.objects.create(meeting=meeting, text="Suite.", visibility="provider")
        ActionFactory(project=project)
    # One query per model reached (and per history), whatever the number of rows.
    assert count() == before


def test_opening_a_persons_page_is_logged_by_number_and_filterable(client, officer, person):
    client.force_login(officer)
    client.get(reverse("contacts:person-detail", args=[person.pk]))
    event = AccessEvent.objects.get(kind=AccessEventKind.PERSON_VIEW)
    assert (event.user, event.person_pk) == (officer, person.pk)
    assert "Diallo" not in str(event.detail)
    log = client.get(reverse("security:access-log"), {"person_pk": person.pk}).content.decode()
    cell = re.compile(r"<td[^>]*>\s*Consultation d&#x27;une fiche\s*</td>")
    assert cell.search(log)
    other = client.get(reverse("security:access-log"), {"person_pk": person.pk + 1000})
    assert not cell.search(other.content.decode())
