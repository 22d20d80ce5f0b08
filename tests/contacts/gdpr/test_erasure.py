"""Erasure: the person's name, e-mail and phone leave the whole database; what statistics
count stays; one transaction, idempotent, refused under a legal hold or an open project."""

import os
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection

from contacts.gdpr.consents import consent_give
from contacts.gdpr.erasure import erasure_preview, person_erase
from contacts.models import Consent, ConsentOrigin, ConsentPurpose, Erasure, LegalHold, Person
from crm.models import AccessEvent, AccessEventKind, ImportBatch, Project
from followups.models import Meeting
from tests.contacts.gdpr.conftest import EMAIL, NAME, PHONE, PHONE_TYPED
from tests.factories import PersonFactory, ProjectFactory

NEEDLES = (NAME[0], NAME[1], EMAIL, PHONE, PHONE_TYPED, "ancienne@exemple-unique.fr")


def dump_database() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    conf = connection.settings_dict
    command = ["pg_dump", "--data-only", "--dbname", conf["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if conf.get(key):
            command += [option, str(conf[key])]
    env = os.environ | ({"PGPASSWORD": conf["PASSWORD"]} if conf.get("PASSWORD") else {})
    return subprocess.run(command, capture_output=True, check=True, text=True, env=env).stdout


def present(dump: str) -> list[str]:
    lowered = dump.casefold()
    return [needle for needle in NEEDLES if needle.casefold() in lowered]


@pytest.mark.django_db(transaction=True)
def test_after_erasure_no_dump_of_the_database_holds_their_name_email_or_phone(distinctive):
    # The dump sees only committed rows: the world is committed (transaction=True).
    assert set(present(dump_database())) == set(NEEDLES)

    call_command("gdpr_erase", str(distinctive["person"].pk), "--no-input")

    assert present(dump_database()) == []
    person = Person.objects.get(pk=distinctive["person"].pk)
    assert (person.first_name, person.last_name, person.email, person.phone) == (
        "Anonyme",
        f"n° {person.pk}",
        "",
        "",
    )
    assert Person.objects.get(pk=distinctive["duplicate"].pk).first_name == "Anonyme"
    meeting = Meeting.objects.get(project=distinctive["project"])
    assert meeting.summary == "Rencontre avec Mme [effacé], joignable au [effacé]."
    # The stored spreadsheet named them: it is gone, the batch says so.
    batch = ImportBatch.objects.get(pk=distinctive["batch"].pk)
    assert not batch.file
    assert batch.preview["rows"][1] == {"nom": "Autre"}


def test_erasure_keeps_projects_meetings_and_what_statistics_count(distinctive):
    person = distinctive["person"]
    before = Person.objects.values("gender", "birth_year", "commune", "lives_in_qpv").get(
        pk=person.pk
    )
    person_erase(person=person)
    assert (
        Person.objects.values("gender", "birth_year", "commune", "lives_in_qpv").get(pk=person.pk)
        == before
    )
    assert Project.objects.filter(pk=distinctive["project"].pk, people=person).exists()
    assert Meeting.objects.filter(project=distinctive["project"], participants=person).exists()


def test_an_erasure_withdraws_the_persons_consents_in_their_dated_record(distinctive):
    person = distinctive["person"]
    consent_give(person=person, purpose=ConsentPurpose.NEWSLETTER, origin=ConsentOrigin.OFFICER)
    person_erase(person=person)
    person.refresh_from_db()
    assert not person.consent_newsletter
    consent = Consent.objects.get(person=person)
    assert consent.withdrawn_at is not None and not consent.is_active


def test_the_access_log_says_who_erased_whom_without_the_name(distinctive, officer):
    person_erase(person=distinctive["person"], by=officer)
    line = AccessEvent.objects.get(kind=AccessEventKind.ERASURE)
    assert line.user == officer
    assert line.detail == f"Effacement des données de la personne n° {distinctive['person'].pk}"


def test_a_second_erasure_says_it_is_already_done(distinctive, capsys):
    pk = str(distinctive["person"].pk)
    call_command("gdpr_erase", pk, "--no-input")
    call_command("gdpr_erase", pk, "--no-input")
    assert "Déjà fait" in capsys.readouterr().out
    assert Erasure.objects.count() == 1
    assert AccessEvent.objects.filter(kind=AccessEventKind.ERASURE).count() == 1


def test_a_legal_hold_refuses_the_erasure_and_changes_nothing(distinctive, officer):
    LegalHold.objects.create(project=distinctive["project"], reason="Contentieux en cours")
    with pytest.raises(CommandError, match="gel juridique"):
        call_command(
            "gdpr_erase", str(distinctive["person"].pk), "--no-input", "--force", "--reason", "x"
        )
    assert Person.objects.get(pk=distinctive["person"].pk).last_name == NAME[1]
    assert not Erasure.objects.exists()


def test_the_lead_of_an_open_project_is_refused_unless_forced_with_a_reason(db, officer):
    lead = PersonFactory(last_name="Ouvert")
    ProjectFactory(name="Recyclerie du port", lead=lead, status="active")
    with pytest.raises(CommandError, match="Recyclerie du port"):
        call_command("gdpr_erase", str(lead.pk), "--no-input")
    with pytest.raises(CommandError, match="motif"):
        call_command("gdpr_erase", str(lead.pk), "--no-input", "--force")
    assert not Erasure.objects.exists()

    call_command(
        "gdpr_erase",
        str(lead.pk),
        "--no-input",
        "--force",
        "--reason",
        "Demande de M. Ouvert, art. 17",
    )
    erasure = Erasure.objects.get(person=lead)
    assert erasure.forced
    assert erasure.reason == "Demande de M. [effacé], art. 17"
    assert "forcé" in AccessEvent.objects.get(kind=AccessEventKind.ERASURE).detail


def test_an_erasure_failing_half_way_writes_nothing(distinctive, monkeypatch):
    from contacts.gdpr import erasure as module

    real = module._erase_place

    def fail_on_meetings(model, *args):
        if model._meta.label == "followups.Meeting":
            raise RuntimeError("disk full")
        return real(model, *args)

    monkeypatch.setattr(module, "_erase_place", fail_on_meetings)
    with pytest.raises(RuntimeError):
        person_erase(person=distinctive["person"])
    assert Person.objects.get(pk=distinctive["person"].pk).last_name == NAME[1]
    assert ImportBatch.objects.get(pk=distinctive["batch"].pk).file
    assert not AccessEvent.objects.filter(kind=AccessEventKind.ERASURE).exists()


def test_the_preview_counts_what_will_go_and_writes_nothing(distinctive):
    preview = erasure_preview(distinctive["person"])
    assert preview["contacts.Person"] == 2
    assert preview["followups.Meeting.summary"] == 1
    assert preview["crm.ImportBatch.file"] == 1
    assert Person.objects.get(pk=distinctive["person"].pk).last_name == NAME[1]


def test_coaches_and_managers_may_not_erase(distinctive, coach, manager):
    for user in (coach, manager):
        with pytest.raises(PermissionDenied):
            person_erase(person=distinctive["person"], by=user)


def test_an_unknown_person_gets_a_clear_message(db):
    with pytest.raises(CommandError, match="Aucune personne n° 999999"):
        call_command("gdpr_erase", "999999", "--no-input")


def test_namesakes_keep_their_name_outside_the_persons_own_records(distinctive):
    other = PersonFactory(first_name="Paul", last_name=NAME[1], email="paul@exemple.fr")
    person_erase(person=distinctive["person"])
    assert Person.objects.get(pk=other.pk).last_name == NAME[1]


def test_without_no_input_the_command_lists_what_goes_and_asks(distinctive, monkeypatch, capsys):
    monkeypatch.setattr("builtins.input", lambda prompt: "non")
    with pytest.raises(CommandError, match="rien n'a été effacé"):
        call_command("gdpr_erase", str(distinctive["person"].pk))
    assert "followups.Meeting.summary : 1 ligne(s)" in capsys.readouterr().out
    assert Person.objects.get(pk=distinctive["person"].pk).last_name == NAME[1]
    monkeypatch.setattr("builtins.input", lambda prompt: "oui")
    call_command("gdpr_erase", str(distinctive["person"].pk))
    assert Erasure.objects.filter(person=distinctive["person"]).exists()
