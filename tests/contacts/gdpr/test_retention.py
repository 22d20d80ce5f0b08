"""Retention rules, the daily run, and the archives' approval before anything goes."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from contacts.gdpr.archives import (
    bordereau_csv,
    bordereau_pdf,
    elimination_approve,
    elimination_execute,
    elimination_propose,
    transfer_zip,
)
from contacts.gdpr.retention import due_by, due_on, retention_extend
from contacts.models import (
    EliminationList,
    EliminationStatus,
    Erasure,
    LegalHold,
    Person,
    RetentionRule,
)
from crm.models import AccessEvent, AccessEventKind, Registration, StageChange
from tests.factories import CallApplicationFactory, PersonFactory, ProjectFactory

TODAY = timezone.localdate()
UTC = datetime.UTC


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def prospect(last_contact_days_ago: int, **names) -> Person:
    """Registered online, never accompanied (project still an application)."""
    person = PersonFactory(**names)
    Person.objects.filter(pk=person.pk).update(created_at=days_ago(last_contact_days_ago))
    project = ProjectFactory(lead=person, status="applicant", stage="idea")
    StageChange.objects.filter(project=project).update(to_status="applicant")
    Registration.objects.create(
        project=project,
        person=person,
        submitted_at=days_ago(last_contact_days_ago),
        help_sought="Un local.",
    )
    return person


def beneficiary(exit_days_ago: int) -> Person:
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).update(created_at=days_ago(exit_days_ago + 400))
    ProjectFactory(
        lead=person,
        status="completed",
        exit_reason="completed",
        entry_date=TODAY - datetime.timedelta(days=exit_days_ago + 300),
        exit_date=TODAY - datetime.timedelta(days=exit_days_ago),
    )
    return person


def due_today():
    return {person.pk: person.rule for person in due_by(TODAY)}


def test_a_prospect_falls_due_three_years_after_the_last_contact(db):
    old = prospect(3 * 365 + 1)
    recent = prospect(3 * 365 - 10)
    assert due_today() == {old.pk: RetentionRule.PROSPECT}
    soon = {p.pk: due_on(p) for p in due_by(TODAY + datetime.timedelta(days=90))}
    assert soon[recent.pk] == (days_ago(3 * 365 - 10) + datetime.timedelta(days=3 * 365)).date()


def test_a_beneficiary_falls_due_three_years_after_the_exit_never_while_accompanied(db):
    done = beneficiary(3 * 365 + 5)
    beneficiary(100)
    ongoing = PersonFactory()
    Person.objects.filter(pk=ongoing.pk).update(created_at=days_ago(4000))
    ProjectFactory(lead=ongoing, status="active")
    assert due_today() == {done.pk: RetentionRule.BENEFICIARY}


def test_a_rejected_applicant_falls_due_after_the_appeal_period(db, settings):
    person = prospect(200)
    application = CallApplicationFactory(project=person.projects.get())
    application.decision = "rejected"
    application.decided_at = days_ago(100)
    application.save()
    assert due_today() == {person.pk: RetentionRule.REJECTED}
    settings.RETENTION_REJECTED_APPLICATION_DAYS = 120
    assert due_today() == {}


def test_a_pending_application_a_legal_hold_or_an_extension_keep_the_person(db, officer):
    pending = prospect(4 * 365)
    CallApplicationFactory(project=pending.projects.get())
    held = prospect(4 * 365)
    LegalHold.objects.create(project=held.projects.get(), reason="Contrôle de la chambre")
    extended = prospect(4 * 365)
    retention_extend(
        person=extended, until=TODAY + datetime.timedelta(days=30), reason="Litige", by=officer
    )
    assert due_today() == {}
    assert extended.pk in {p.pk for p in due_by(TODAY + datetime.timedelta(days=30))}


def test_an_extension_needs_a_reason_and_an_officer(db, officer, coach):
    person = prospect(10)
    with pytest.raises(ValidationError):
        retention_extend(person=person, until=TODAY, reason="", by=officer)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        retention_extend(person=person, until=TODAY, reason="x", by=coach)


def test_the_run_lists_then_waits_for_the_archives_visa_before_anonymising(db, officer, capsys):
    old = prospect(4 * 365, first_name="Gaspard", last_name="Oublié")
    call_command("retention_run", "--dry-run")
    out = capsys.readouterr().out
    assert "Inscription sans suite : 1 dossier(s) à échéance" in out
    assert "rien n'a été écrit" in out
    assert not EliminationList.objects.exists()

    call_command("retention_run")
    elimination = EliminationList.objects.get()
    assert (elimination.rule, elimination.count, elimination.status) == (
        RetentionRule.PROSPECT,
        1,
        EliminationStatus.PROPOSED,
    )
    assert "en attente du visa" in capsys.readouterr().out
    # Not approved: a second run anonymises nothing and lists nothing twice.
    call_command("retention_run")
    assert Person.objects.get(pk=old.pk).last_name == "Oublié"
    assert EliminationList.objects.count() == 1

    elimination_approve(
        elimination=elimination, approved_on=TODAY, reference="AD94-2026-17", by=officer
    )
    call_command("retention_run")
    assert "1 dossier(s) anonymisé(s)" in capsys.readouterr().out
    assert Person.objects.get(pk=old.pk).first_name == "Anonyme"
    elimination.refresh_from_db()
    assert elimination.status == EliminationStatus.EXECUTED
    assert "AD94-2026-17" in Erasure.objects.get(person=old).reason


def test_the_run_purges_the_access_log_past_its_period(db, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    AccessEvent.objects.create(kind=AccessEventKind.LOGIN, at=days_ago(31))
    AccessEvent.objects.create(kind=AccessEventKind.LOGIN, at=days_ago(1))
    call_command("retention_run")
    assert AccessEvent.objects.filter(kind=AccessEventKind.LOGIN).count() == 1


def test_an_extension_after_the_visa_keeps_the_person(db, officer):
    person = prospect(4 * 365)
    [elimination] = elimination_propose(today=TODAY)
    elimination_approve(elimination=elimination, approved_on=TODAY, reference="V1", by=officer)
    retention_extend(
        person=person, until=TODAY + datetime.timedelta(days=60), reason="Recours", by=officer
    )
    assert elimination_execute(elimination=elimination, today=TODAY) == (0, 1)
    assert not Person.objects.get(pk=person.pk).first_name == "Anonyme"


def test_an_unapproved_list_cannot_run_and_a_visa_cannot_be_from_the_future(db, officer):
    prospect(4 * 365)
    [elimination] = elimination_propose(today=TODAY)
    with pytest.raises(ValidationError, match="visa"):
        elimination_execute(elimination=elimination, today=TODAY)
    with pytest.raises(ValidationError, match="futur"):
        elimination_approve(
            elimination=elimination,
            # The service's own today: TODAY was taken at import, maybe before midnight.
            approved_on=timezone.localdate() + datetime.timedelta(days=1),
            reference="X",
            by=officer,
        )


def test_the_bordereau_says_what_how_many_which_years_and_which_rule(db):
    for _ in range(3):
        beneficiary(3 * 365 + 40)
    [elimination] = elimination_propose(today=TODAY)
    text = bordereau_csv(elimination).decode("utf-8-sig")
    year = str((TODAY - datetime.timedelta(days=3 * 365 + 40)).year)
    assert "Dossiers d'accompagnement de projets sortis" in text
    assert f";{year};3" in text
    assert "3 ans après la sortie" in text
    assert bordereau_pdf(elimination).startswith(b"%PDF")
    with zipfile.ZipFile(io.BytesIO(transfer_zip(elimination))) as archive:
        names = sorted(archive.namelist())
        records = archive.read(f"dossiers-{elimination.pk}.csv").decode("utf-8-sig")
    assert names == sorted(
        f"{kind}-{elimination.pk}.{ext}"
        for kind in ("bordereau", "dossiers")
        for ext in ("csv", "pdf")
    )
    assert len(records.strip().splitlines()) == 4
