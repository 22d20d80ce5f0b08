import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contacts import services
from contacts.duplicate_scan import scan_duplicates
from contacts.gdpr.consents import consent_give, consent_withdraw
from contacts.models import (
    Consent,
    DuplicatePair,
    Erasure,
    LegalHold,
    MergeRecord,
    OrganisationLabel,
    Person,
    PersonOrganisation,
)
from crm.models import ProjectMember
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
    commune,
)


@pytest.mark.django_db
def test_person_merge_moves_every_link_and_is_recorded(officer):
    keep = PersonFactory(first_name="Hélène", last_name="Lefèvre", email="helene@exemple.fr")
    drop = PersonFactory(
        first_name="helene",
        last_name="lefevre",
        email="h.lefevre@exemple.fr",
        phone="06 12 34 56 78",
        commune=commune("Créteil"),
        consent_newsletter=True,
        consent_newsletter_at=timezone.now(),
    )
    own_project = ProjectFactory(name="Épicerie", lead=drop)
    shared = ProjectFactory(name="Recyclerie", lead=drop)
    ProjectMember.objects.create(project=shared, person=keep, is_lead=False)
    organisation = OrganisationFactory()
    PersonOrganisation.objects.create(person=drop, organisation=organisation, role="founder")

    record = services.person_merge(keep=keep, drop=drop, by=officer)

    keep.refresh_from_db()
    drop.refresh_from_db()
    assert set(keep.projects.values_list("name", flat=True)) == {"Épicerie", "Recyclerie"}
    # On the project both were on, one membership remains and it keeps the lead.
    assert shared.members.get().person == keep and shared.members.get().is_lead
    assert own_project.members.get().person == keep
    assert list(keep.organisations.all()) == [organisation]
    # Blank fields were filled; the kept email stays, the other one is on record.
    assert keep.email == "helene@exemple.fr"
    assert keep.phone == "+33612345678" and keep.commune == commune("Créteil")
    assert keep.consent_newsletter and keep.consent_newsletter_at
    assert record.dropped_details["email"] == "h.lefevre@exemple.fr"
    # The dropped record is archived, not deleted, and points to the kept one.
    assert drop.archived_at is not None and drop.merged_into == keep
    assert not drop.project_memberships.exists() and not drop.memberships.exists()
    assert record.kept_person == keep and record.by == officer
    assert record.dropped_name == "helene lefevre"
    moved = {r["key"]: r["count"] for r in record.moved["relations"]}
    assert moved["crm.ProjectMember.person"] == 2
    assert moved["contacts.PersonOrganisation.person"] == 1
    assert "Fusion" in keep.history.first().history_change_reason


@pytest.mark.django_db
def test_person_merge_hands_the_email_over_when_the_kept_record_has_none(officer):
    keep = PersonFactory(email="")
    drop = PersonFactory(email="lea@exemple.fr")
    services.person_merge(keep=keep, drop=drop, by=officer)
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert keep.email == "lea@exemple.fr" and drop.email == ""


@pytest.mark.django_db
def test_a_record_cannot_be_merged_twice_or_with_itself(officer):
    keep, drop = PersonFactory(), PersonFactory()
    with pytest.raises(ValidationError):
        services.person_merge(keep=keep, drop=keep, by=officer)
    services.person_merge(keep=keep, drop=drop, by=officer)
    with pytest.raises(ValidationError):
        services.person_merge(keep=PersonFactory(), drop=Person.objects.get(pk=drop.pk), by=officer)


@pytest.mark.django_db
def test_organisation_merge_moves_projects_users_people_and_labels(officer):
    keep = OrganisationFactory(name="Recyclerie du Mont")
    drop = OrganisationFactory(
        name="Recyclerie du mont", siret="73282932000074", email="contact@recyclerie.fr"
    )
    project = ProjectFactory(organisation=drop)
    staff = UserFactory(organisation=drop)
    person = PersonFactory()
    PersonOrganisation.objects.create(person=person, organisation=drop, role="founder")
    PersonOrganisation.objects.create(person=person, organisation=keep, role="founder")
    day = datetime.date(2024, 3, 1)
    OrganisationLabel.objects.create(organisation=drop, kind="esus", obtained_on=day)
    OrganisationLabel.objects.create(organisation=drop, kind="siae_aci", obtained_on=day)
    OrganisationLabel.objects.create(organisation=keep, kind="esus", obtained_on=day)

    record = services.organisation_merge(keep=keep, drop=drop, by=officer)

    keep.refresh_from_db()
    drop.refresh_from_db()
    project.refresh_from_db()
    staff.refresh_from_db()
    assert project.organisation == keep and staff.organisation == keep
    assert keep.memberships.get().person == person
    assert sorted(keep.labels.values_list("kind", flat=True)) == ["esus", "siae_aci"]
    assert keep.siret == "73282932000074" and keep.siren == "732829320"
    assert drop.siret == "" and drop.merged_into == keep and drop.archived_at
    assert record.dropped_details["siret"] == "73282932000074"
    moved = {r["key"]: r["count"] for r in record.moved["relations"]}
    assert moved["crm.Project.organisation"] == 1 and moved["crm.User.organisation"] == 1
    assert MergeRecord.objects.get(kept_organisation=keep) == record


@pytest.mark.django_db
def test_organisation_merge_records_the_move_in_each_projects_history(officer):
    keep = OrganisationFactory(name="Recyclerie du Mont")
    drop = OrganisationFactory(name="Recyclerie du mont")
    project = ProjectFactory(organisation=drop)
    version = project.version

    services.organisation_merge(keep=keep, drop=drop, by=officer)

    last = project.history.first()
    assert last.organisation_id == keep.pk and last.history_user == officer
    project.refresh_from_db()
    # Anybody editing the project meanwhile gets the conflict page, not a silent overwrite.
    assert project.version == version + 1


@pytest.mark.django_db
def test_archive_and_restore(officer):
    person = PersonFactory()
    services.person_archive(person=person, by=officer)
    assert Person.objects.current().filter(pk=person.pk).exists() is False
    with pytest.raises(ValidationError):
        services.person_archive(person=person, by=officer)
    services.person_restore(person=person, by=officer)
    assert Person.objects.current().filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_a_merged_record_cannot_be_restored(officer):
    keep, drop = PersonFactory(), PersonFactory()
    services.person_merge(keep=keep, drop=drop, by=officer)
    with pytest.raises(ValidationError):
        services.person_restore(person=Person.objects.get(pk=drop.pk), by=officer)


@pytest.mark.django_db
def test_an_archived_record_cannot_be_the_one_kept(officer):
    keep, drop = PersonFactory(), PersonFactory()
    services.person_archive(person=keep, by=officer)
    with pytest.raises(ValidationError):
        services.person_merge(keep=keep, drop=drop, by=officer)


@pytest.mark.django_db
def test_officer_picks_the_merged_records_value_field_by_field(client, officer):
    creteil, sucy = commune("Créteil"), commune("Sucy-en-Brie")
    keep = PersonFactory(
        first_name="Helene", last_name="Lefevre", email="helene@exemple.fr", commune=creteil
    )
    drop = PersonFactory(
        first_name="Hélène",
        last_name="Lefèvre",
        email="h.lefevre@exemple.fr",
        phone="0612345678",
        commune=sucy,
    )
    client.force_login(officer)
    url = reverse("contacts:person-merge", args=[keep.pk])
    page = client.get(url, {"other": drop.pk}).content.decode()
    # Each differing field offers both values; a blank one takes the other by default.
    assert 'name="field-first_name" value="drop"' in page
    assert 'id="field-phone-drop" name="field-phone" value="drop" checked' in page
    response = client.post(
        url,
        {
            "keep": keep.pk,
            "drop": drop.pk,
            "field-first_name": "drop",
            "field-last_name": "drop",
            "field-email": "drop",
            "field-commune": "keep",
        },
    )
    assert response.status_code == 302
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert (keep.first_name, keep.last_name) == ("Hélène", "Lefèvre")
    assert keep.email == "h.lefevre@exemple.fr" and drop.email == ""
    assert keep.commune == creteil and keep.phone == "+33612345678"
    record = MergeRecord.objects.get()
    assert ["prénom", "Helene", "Hélène"] in record.moved["values"]
    assert record.dropped_details["email"] == "h.lefevre@exemple.fr"
    assert "repris de la fiche fusionnée" in keep.history.first().history_change_reason
    page = client.get(keep.get_absolute_url()).content.decode()
    assert "« Helene » → « Hélène »" in page


@pytest.mark.django_db
def test_a_crafted_field_choice_is_refused(officer):
    keep, drop = PersonFactory(), PersonFactory()
    with pytest.raises(ValidationError):
        services.person_merge(keep=keep, drop=drop, by=officer, choices={"is_staff": "drop"})
    with pytest.raises(ValidationError):
        services.person_merge(keep=keep, drop=drop, by=officer, choices={"email": "both"})


@pytest.mark.django_db
def test_a_withdrawal_on_either_record_outweighs_an_older_consent(officer):
    keep, drop = PersonFactory(), PersonFactory()
    early = timezone.now() - datetime.timedelta(days=30)
    consent_give(person=keep, purpose="newsletter", origin="officer", by=officer, at=early)
    consent_give(person=drop, purpose="newsletter", origin="officer", by=officer, at=early)
    consent_withdraw(person=drop, purpose="newsletter", by=officer)
    consent_give(person=drop, purpose="photos", origin="officer", by=officer, at=early)
    services.person_merge(keep=keep, drop=drop, by=officer)
    keep.refresh_from_db()
    assert not keep.consent_newsletter and keep.consent_newsletter_at is None
    assert keep.consent_photos and keep.consent_photos_at == early
    assert not Consent.objects.filter(person=keep, purpose="newsletter", withdrawn_at=None)
    # Every consent row stays on record, now on the kept person.
    assert Consent.objects.filter(person=keep).count() == 3


@pytest.mark.django_db
def test_legal_holds_move_and_an_erased_record_is_never_merged(officer):
    keep, drop = PersonFactory(), PersonFactory()
    LegalHold.objects.create(person=drop, reason="Contentieux")
    services.person_merge(keep=keep, drop=drop, by=officer)
    assert keep.legal_holds.active().count() == 1
    erased = PersonFactory()
    Erasure.objects.create(person=erased, at=timezone.now())
    with pytest.raises(ValidationError, match="effacées"):
        services.person_merge(keep=keep, drop=erased, by=officer)


@pytest.mark.django_db
def test_a_merge_settles_the_dropped_records_open_duplicate_pairs(officer):
    keep = PersonFactory(first_name="Léa", last_name="Martin", email="")
    drop = PersonFactory(first_name="Léa", last_name="Martinn", email="")
    scan_duplicates()
    assert DuplicatePair.objects.open().count() == 1
    services.person_merge(keep=keep, drop=drop, by=officer)
    assert DuplicatePair.objects.open().count() == 0
