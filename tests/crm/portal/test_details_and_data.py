"""Their details (corrected, recorded in the history, staff told) and their rights: the
register, their access export without internal notes, a request for erasure."""

import io
import zipfile

import pytest
from django.core import mail

from crm.portal.models import ErasureRequest
from followups.models import MeetingNote
from tests.crm.portal.helpers import text
from tests.factories import MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _details(person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "commune": person.commune_id or "",
        "version": person.version,
    }
    return {**data, **changes}


def test_a_correction_is_recorded_in_the_history_and_the_staff_are_told(
    space, person, entrepreneur, officer, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = space.post("/espace/coordonnees/", _details(person, phone="06 12 34 56 78"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+33612345678"
    latest = person.history.latest()
    assert latest.history_user == entrepreneur
    (message,) = mail.outbox
    assert set(message.to) == {officer.email, coach.email}
    assert "+33612345678" in message.body and "/history/contacts/person/" in message.body


def test_an_address_held_by_someone_else_is_refused_without_saying_whose(space, person):
    PersonFactory(first_name="Autre", last_name="Personne", email="pris@exemple.fr")
    response = space.post("/espace/coordonnees/", _details(person, email="pris@exemple.fr"))
    assert response.status_code == 400
    page = text(response)
    assert "Cette adresse ne peut pas être enregistrée ici" in page
    assert "Autre Personne" not in page
    person.refresh_from_db()
    assert person.email == "chloe@exemple.fr"


def test_a_stale_form_saves_nothing_and_says_so(space, person):
    data = _details(person, phone="06 00 00 00 00", version=person.version - 1 or 99)
    response = space.post("/espace/coordonnees/", data, follow=True)
    assert "modifiée entre-temps" in text(response)


def test_their_export_holds_their_data_but_no_internal_note(space, person, their_project, coach):
    meeting = MeetingFactory(project=their_project, led_by=coach)
    MeetingNote.objects.create(meeting=meeting, text="Note interne secrète", visibility="internal")
    MeetingNote.objects.create(meeting=meeting, text="Note partagée", visibility="entrepreneur")
    page = text(space.get("/espace/mes-donnees/"))
    assert "Accompagnement des porteur·ses de projet" in page  # the register
    response = space.get("/espace/mes-donnees/export/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    everything = "".join(
        archive.read(name).decode("utf-8", "ignore")
        for name in archive.namelist()
        if not name.endswith(".pdf")
    )
    assert "Chloé" in everything and "Note partagée" in everything
    assert "Note interne secrète" not in everything


def test_an_erasure_request_reaches_the_officers(
    space, client, person, officer, django_capture_on_commit_callbacks
):
    refused = space.post("/espace/mes-donnees/effacement/", {"message": "Merci"})
    assert refused.status_code == 400
    assert "Cochez la case" in text(refused)
    with django_capture_on_commit_callbacks(execute=True):
        space.post("/espace/mes-donnees/effacement/", {"message": "Merci", "confirm": "on"})
    assert ErasureRequest.objects.get(person=person).message == "Merci"
    (message,) = mail.outbox
    assert message.to == [officer.email]
    assert f"/contacts/people/{person.pk}/erase/" in message.body
    client.force_login(officer)
    assert "Demande d'effacement reçue" in text(client.get(f"/contacts/people/{person.pk}/"))


def test_an_erasure_closes_the_account_and_forgets_its_login(officer, entrepreneur, person):
    from contacts.gdpr.erasure import person_erase

    person_erase(person=person, by=officer, reason="Demande de la personne", force=True)
    entrepreneur.refresh_from_db()
    assert not entrepreneur.is_active
    assert "chloe" not in entrepreneur.username and not entrepreneur.email
