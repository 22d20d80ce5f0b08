"""A public submission never rewrites existing people or structures; an officer reconciles it
field by field (consent included) on the triage side."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse

from contacts.models import ConsentOrigin, Organisation, Person, PersonOrganisation
from contacts.services import person_merge
from crm.intake.services import reconciliation
from crm.intake.services.reconciliation import Choice
from crm.intake.services.registration import registration_submit
from crm.intake.services.triage import application_accept
from crm.models import Registration
from tests.factories import OrganisationFactory, PersonFactory, ProjectFactory, commune

VALID_SIRET = "73282932000074"
AT = datetime.datetime(2026, 11, 3, 10, tzinfo=datetime.UTC)


def _submit(**overrides):
    data = {
        "first_name": "Hélène",
        "last_name": "Dupré",
        "email": "helene.dupre@exemple.fr",
        "phone": "06 12 34 56 78",
        "commune": commune("Créteil"),
        "birth_year": 1990,
        "project_name": "Recyclerie du Mont-Mesly",
        "description": "Une recyclerie de quartier.",
        "stage": "idea",
        "help_sought": "Trouver un local.",
        "consent_newsletter": True,
        "at": AT,
    }
    data.update(overrides)
    return registration_submit(**data)


def _snapshot(record) -> dict:
    return {**model_to_dict(record), "version": record.version, "history": record.history.count()}


@pytest.fixture
def victim(coach):
    """A person an attacker knows the email of, lead of a coached project."""
    person = PersonFactory(
        first_name="Hélène", last_name="Dupré", email="helene.dupre@exemple.fr", phone=""
    )
    ProjectFactory(name="Épicerie solidaire", lead=person, coach=coach)
    return person


@pytest.mark.django_db
def test_a_submission_with_a_victims_email_and_siret_changes_nothing(victim, coach):
    target = OrganisationFactory(name="Coopérative des quais", siret=VALID_SIRET)
    person_before, organisation_before = _snapshot(victim), _snapshot(target)
    coach_sees = set(Organisation.objects.visible_to(coach).values_list("pk", flat=True))
    coach_people = set(Person.objects.visible_to(coach).values_list("pk", flat=True))

    registration = _submit(
        first_name="H.",
        last_name="Pirate",
        organisation_name="Autre nom",
        siret=VALID_SIRET,
        legal_form="scop",
    )

    victim.refresh_from_db()
    target.refresh_from_db()
    assert _snapshot(victim) == person_before
    assert not victim.consent_newsletter
    assert _snapshot(target) == organisation_before
    assert not PersonOrganisation.objects.filter(organisation=target).exists()
    assert set(Organisation.objects.visible_to(coach).values_list("pk", flat=True)) == coach_sees
    assert set(Person.objects.visible_to(coach).values_list("pk", flat=True)) == coach_people
    # The project waits, linked to neither; the registration holds what was typed.
    assert registration.person is None and registration.project.organisation is None
    assert not registration.project.members.exists()
    assert registration.person_to_reconcile and registration.organisation_to_reconcile
    assert registration.submitted_person["consent_newsletter"] is True


@pytest.mark.django_db
def test_the_officers_reconciliation_takes_exactly_the_chosen_fields(victim, officer):
    registration = _submit()
    version = victim.version

    reconciliation.registration_reconcile(
        registration=registration,
        by=officer,
        person=Choice("link", victim, ("phone", "consent_newsletter")),
    )

    victim.refresh_from_db()
    registration.refresh_from_db()
    assert victim.phone == "+33612345678"
    assert victim.consent_newsletter and victim.consent_newsletter_at == AT
    # The dated consent says where it came from and which officer took it.
    consent = victim.consents.get()
    assert consent.origin == ConsentOrigin.PUBLIC_FORM and consent.recorded_by == officer
    assert consent.given_at == AT
    # Not chosen: left as the officers recorded them.
    assert victim.commune is None and victim.birth_year is None
    assert victim.version == version + 1
    last = victim.history.first()
    assert last.history_user == officer and "inscription en ligne" in last.history_change_reason
    assert registration.project.members.get().person == victim
    assert registration.person == victim and not registration.to_reconcile
    assert registration.reconciled_by == officer
    assert registration.reconciliation["person"]["fields"] == ["phone", "consent_newsletter"]


@pytest.mark.django_db
def test_linking_without_changes_leaves_the_person_as_it_was(victim, officer):
    registration = _submit()
    before = _snapshot(victim)
    reconciliation.registration_reconcile(
        registration=registration, by=officer, person=Choice("link", victim)
    )
    victim.refresh_from_db()
    assert _snapshot(victim) == before
    assert registration.project.members.get().person == victim


@pytest.mark.django_db
def test_a_namesake_can_be_told_apart_with_a_new_record(officer):
    namesake = PersonFactory(first_name="Hélène", last_name="Dupré", email="autre@exemple.fr")
    registration = _submit()
    assert registration.person_to_reconcile

    reconciliation.registration_reconcile(
        registration=registration, by=officer, person=Choice("new")
    )

    registration.refresh_from_db()
    created = registration.person
    assert created != namesake and created.email == "helene.dupre@exemple.fr"
    assert created.consent_newsletter and created.consent_newsletter_at == AT
    assert created.consents.get().origin == ConsentOrigin.PUBLIC_FORM
    assert registration.project.members.get().person == created


@pytest.mark.django_db
def test_a_new_record_cannot_take_an_email_already_used(victim, officer):
    registration = _submit()
    with pytest.raises(ValidationError, match="rattachez"):
        reconciliation.registration_reconcile(
            registration=registration, by=officer, person=Choice("new")
        )
    registration.refresh_from_db()
    assert registration.person_to_reconcile and Person.objects.count() == 1


@pytest.mark.django_db
def test_an_organisation_is_linked_with_its_founder_only_once_reconciled(officer):
    known = OrganisationFactory(name="Coopérative des quais", siret=VALID_SIRET, legal_form="")
    registration = _submit(organisation_name="Coop des quais", siret=VALID_SIRET, legal_form="scop")
    person = registration.person

    reconciliation.registration_reconcile(
        registration=registration,
        by=officer,
        organisation=Choice("link", known, ("legal_form",)),
    )

    known.refresh_from_db()
    registration.project.refresh_from_db()
    assert known.legal_form == "scop" and known.name == "Coopérative des quais"
    assert registration.project.organisation == known
    assert known.memberships.get().person == person


@pytest.mark.django_db
def test_reconciling_is_for_officers_and_happens_once(victim, officer, coach):
    registration = _submit()
    with pytest.raises(PermissionDenied):
        reconciliation.registration_reconcile(
            registration=registration, by=coach, person=Choice("link", victim)
        )
    reconciliation.registration_reconcile(
        registration=registration, by=officer, person=Choice("link", victim)
    )
    with pytest.raises(ValidationError, match="déjà été rapprochée"):
        reconciliation.registration_reconcile(
            registration=registration, by=officer, person=Choice("link", victim)
        )


@pytest.mark.django_db
def test_an_application_waiting_for_reconciliation_cannot_be_accepted(victim, officer, coach):
    registration = _submit()
    with pytest.raises(ValidationError, match="Rapprochez"):
        application_accept(
            project=registration.project,
            by=officer,
            officer=officer,
            coach=coach,
            hours_allocated=Decimal(10),
        )


@pytest.mark.django_db
def test_the_page_shows_the_differences_and_applies_the_ticked_fields(client, victim, officer):
    registration = _submit()
    url = reverse("crm:triage-reconcile", args=[registration.project.pk])
    client.force_login(officer)

    page = client.get(url).content.decode()
    # Field by field: the stored value beside the submitted one, consent included.
    assert "Fiche existante" in page and "+33612345678" in page
    assert 'value="consent_newsletter"' in page and 'value="phone"' in page
    assert "accepte la lettre d" in page
    detail = client.get(reverse("crm:triage-detail", args=[registration.project.pk]))
    assert url in detail.content.decode()

    response = client.post(url, {"person": victim.pk, "person_fields": ["phone"], "apply": "take"})
    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.phone == "+33612345678" and not victim.consent_newsletter
    assert Registration.objects.get().person == victim


@pytest.mark.django_db
def test_the_page_keeps_the_choice_and_says_why_when_refused(client, victim, officer):
    registration = _submit()
    url = reverse("crm:triage-reconcile", args=[registration.project.pk])
    client.force_login(officer)
    response = client.post(url, {"person": "new", "apply": "take"})
    assert response.status_code == 400
    assert "rattachez" in response.content.decode()
    assert Registration.objects.get().person_to_reconcile


@pytest.mark.django_db
def test_an_email_left_on_a_merged_record_points_to_the_record_kept(officer):
    kept = PersonFactory(first_name="Hélène", last_name="Dupré", email="helene@exemple.fr")
    merged = PersonFactory(first_name="Helene", last_name="Dupre", email="helene.dupre@exemple.fr")
    person_merge(keep=kept, drop=merged, by=officer)
    registration = _submit()

    assert registration.person_to_reconcile and registration.person_matched
    assert [c.record for c in reconciliation.person_candidates(registration)] == [kept]


@pytest.mark.django_db
def test_the_page_reconciles_the_person_and_the_structure_together(client, victim, officer):
    known = OrganisationFactory(name="Coopérative des quais", siret=VALID_SIRET)
    registration = _submit(organisation_name="Coop des quais", siret=VALID_SIRET, legal_form="scop")
    url = reverse("crm:triage-reconcile", args=[registration.project.pk])
    client.force_login(officer)

    page = client.get(url).content.decode()
    assert "Structure : la fiche qui correspond" in page and "SIRET 73282932000074" in page
    assert 'value="legal_form"' in page

    response = client.post(
        url,
        {"person": victim.pk, "organisation": "none", "apply": "unchanged"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.person == victim and registration.project.organisation is None
    assert registration.reconciliation["organisation"] == {"action": "none"}
    assert not known.memberships.exists()
