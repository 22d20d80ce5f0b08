import datetime

import pytest
from django.core.files.base import ContentFile

from crm.models import AccessEvent, AccessEventKind, ImportBatch, Registration
from crm.security.audit import log_access_event
from followups.models import MeetingNote
from tests.factories import (
    CallApplicationFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
)
from tests.reports.conftest import world  # noqa: F401  (the dashboard's known world)

NAME = ("Zéphyrine", "Quarkowska")
EMAIL = "zephyrine.quarkowska@exemple-unique.fr"
PHONE = "+33687654321"
PHONE_TYPED = "06 87 65 43 21"


@pytest.fixture
def distinctive(db, officer, coach):
    """A person with a distinctive name, e-mail and phone, everywhere a person can be:
    history (a change of e-mail), notes and summaries naming them, access-log lines, a
    registration, a call application, a merged duplicate and an import trace."""
    person = PersonFactory(
        first_name=NAME[0], last_name=NAME[1], email="ancienne@exemple-unique.fr", phone=PHONE
    )
    person.email = EMAIL
    person.save()
    duplicate = PersonFactory(first_name=NAME[0], last_name=NAME[1], email="")
    duplicate.merged_into = person
    duplicate.archived_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    duplicate.save()
    project = ProjectFactory(
        name=f"Café de {NAME[0]} {NAME[1]}",
        lead=person,
        coach=coach,
        officer=officer,
        status="exited",
        exit_reason="completed",
        exit_date=datetime.date(2026, 6, 30),
    )
    meeting = MeetingFactory(
        project=project, summary=f"Rencontre avec Mme {NAME[1]}, joignable au {PHONE_TYPED}."
    )
    meeting.participants.add(person)
    note = MeetingNote.objects.create(
        meeting=meeting, text=f"{NAME[0]} préfère les courriels ({EMAIL}).", author=officer
    )
    note.text += " Relancée en mars."
    note.save()
    Registration.objects.create(
        project=project,
        person=person,
        submitted_at=datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC),
        help_sought=f"Je suis {NAME[0]} {NAME[1]}, rappelez-moi au {PHONE_TYPED}.",
    )
    CallApplicationFactory(
        project=project, commune_opinion_comment=f"Mme {NAME[1]} est connue de la commune."
    )
    log_access_event(
        kind=AccessEventKind.EXPORT, user=officer, detail=f"Fiche de {NAME[0]} {NAME[1]}"
    )
    AccessEvent.objects.create(kind=AccessEventKind.LOGIN_FAILED, username=EMAIL)
    batch = ImportBatch(
        kind="people",
        original_name="porteurs.csv",
        created_by=officer,
        status="done",
        preview={
            "rows": [{"prénom": NAME[0], "nom": NAME[1], "courriel": EMAIL}, {"nom": "Autre"}]
        },
    )
    batch.file.save(
        "porteurs.csv", ContentFile(f"prénom;nom;courriel\n{NAME[0]};{NAME[1]};{EMAIL}\n".encode())
    )
    return {"person": person, "duplicate": duplicate, "project": project, "batch": batch}
