"""Merge completeness, derived from the model graph: every relation that points at a person
or an organisation moves to the record kept, and a relation added later cannot be forgotten."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts import merging, services
from contacts.models import (
    Consent,
    ConsentOrigin,
    ConsentPurpose,
    LegalHold,
    MergeRecord,
    Organisation,
    OrganisationLabel,
    Person,
    PersonOrganisation,
    RetentionExtension,
)
from crm.models import ProjectMember, Registration, TriageDecision
from followups.models import Attendance, Meeting, SentMessage
from tests.factories import (
    ContractFactory,
    EventFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
)


def _registration(person=None, **extra):
    project = ProjectFactory(status="applicant", lead=PersonFactory())
    return Registration.objects.create(
        project=project,
        person=person or PersonFactory(),
        submitted_at=timezone.now(),
        help_sought="Trouver un local.",
        **extra,
    )


def _through(model, field, **lookup):
    return getattr(model, field).through.objects.get(**lookup)


def _attendance(person):
    return Attendance.objects.create(event=EventFactory(), person=person)


def _meeting_participant(person):
    meeting = MeetingFactory()
    meeting.participants.add(person)
    return _through(Meeting, "participants", meeting=meeting, person=person)


def _duplicate_flag(person):
    registration = _registration()
    registration.possible_duplicate_people.add(person)
    return _through(Registration, "possible_duplicate_people", person=person)


def _organisation_flag(organisation):
    registration = _registration()
    registration.possible_duplicate_organisations.add(organisation)
    return _through(Registration, "possible_duplicate_organisations", organisation=organisation)


def _event_partner(organisation):
    event = EventFactory()
    event.partners.add(organisation)
    return _through(type(event), "partners", event=event, organisation=organisation)


def _earlier_merge_of_person(person):
    return MergeRecord.objects.create(
        kind="person", kept_person=person, dropped_id=0, dropped_name="Ancienne fiche"
    )


def _earlier_merge_of_organisation(organisation):
    return MergeRecord.objects.create(
        kind="organisation", kept_organisation=organisation, dropped_id=0, dropped_name="Ancienne"
    )


def _decision(organisation):
    project = ProjectFactory(status="exited", exit_reason="redirected")
    return TriageDecision.objects.create(
        project=project,
        outcome="redirected",
        at=timezone.now(),
        reason="Vers un partenaire",
        partner=organisation,
    )


def _document(**record):
    from crm.documents.models import Document, DocumentCategory

    return Document.objects.create(
        title="Pièce",
        category=DocumentCategory.objects.get_or_create(name="Autre")[0],
        date=datetime.date(2026, 1, 5),
        **record,
    )


# One builder per relation: it creates a row pointing at the record given. A relation added
# to the models without a builder here fails `test_every_relation_has_a_builder`.
def _portal_account(person):
    from crm.portal.models import PortalAccount

    return PortalAccount.objects.create(person=person, user=UserFactory())


def _portal_invitation(person):
    from crm.portal.models import PortalInvitation

    now = timezone.now()
    return PortalInvitation.objects.create(
        person=person, token_hash=f"{person.pk:064d}", expires_at=now + datetime.timedelta(days=7)
    )


def _waitlist(person):
    from crm.portal.models import WaitlistEntry

    return WaitlistEntry.objects.create(event=EventFactory(), person=person)


def _erasure_request(person):
    from crm.portal.models import ErasureRequest

    return ErasureRequest.objects.create(person=person, message="Effacez mes données")


PERSON_BUILDERS = {
    "contacts.LegalHold.person": lambda p: LegalHold.objects.create(person=p, reason="Contentieux"),
    "contacts.RetentionExtension.person": lambda p: RetentionExtension.objects.create(
        person=p, until=datetime.date(2030, 1, 1), reason="Audit FSE+"
    ),
    "contacts.Consent.person": lambda p: Consent.objects.create(
        person=p,
        purpose=ConsentPurpose.PHOTOS,
        origin=ConsentOrigin.OFFICER,
        given_at=timezone.now(),
    ),
    "contacts.MergeRecord.kept_person": _earlier_merge_of_person,
    "contacts.Person.merged_into": lambda p: PersonFactory(
        merged_into=p, archived_at=timezone.now()
    ),
    "contacts.PersonOrganisation.person": lambda p: PersonOrganisation.objects.create(
        person=p, organisation=OrganisationFactory(), role="founder"
    ),
    "crm.ProjectMember.person": lambda p: ProjectMember.objects.get(project=ProjectFactory(lead=p)),
    "crm.Registration.person": _registration,
    "crm.Registration_possible_duplicate_people.person": _duplicate_flag,
    "followups.Attendance.person": _attendance,
    "followups.Meeting_participants.person": _meeting_participant,
    "followups.SentMessage.person": lambda p: SentMessage.objects.create(
        person=p, to_address="nadia@exemple.fr", subject="Votre dossier", body="Bonjour"
    ),
    "documents.Document.person": lambda p: _document(person=p),
    "portal.PortalAccount.person": lambda p: _portal_account(p),
    "portal.PortalInvitation.person": lambda p: _portal_invitation(p),
    "portal.WaitlistEntry.person": lambda p: _waitlist(p),
    "portal.ErasureRequest.person": lambda p: _erasure_request(p),
}
ORGANISATION_BUILDERS = {
    "contacts.MergeRecord.kept_organisation": _earlier_merge_of_organisation,
    "contacts.Organisation.merged_into": lambda o: OrganisationFactory(
        merged_into=o, archived_at=timezone.now()
    ),
    "contacts.OrganisationLabel.organisation": lambda o: OrganisationLabel.objects.create(
        organisation=o, kind="esus", obtained_on=datetime.date(2024, 3, 1)
    ),
    "contacts.PersonOrganisation.organisation": lambda o: PersonOrganisation.objects.create(
        person=PersonFactory(), organisation=o, role="founder"
    ),
    "crm.Project.organisation": lambda o: ProjectFactory(organisation=o),
    "documents.Document.organisation": lambda o: _document(organisation=o),
    "crm.Registration_possible_duplicate_organisations.organisation": _organisation_flag,
    "crm.TriageDecision.partner": _decision,
    "crm.User.organisation": lambda o: UserFactory(organisation=o),
    "followups.Contract.provider": lambda o: ContractFactory(provider=o),
    "followups.Event_partners.organisation": _event_partner,
}
BUILDERS = {Person: PERSON_BUILDERS, Organisation: ORGANISATION_BUILDERS}


def _related_object_keys(model) -> set[str]:
    """Every relation `_meta.related_objects` lists, as the foreign keys that carry it (a
    many-to-many by its through table's key onto `model`), historical tables excluded."""
    keys = set()
    for rel in model._meta.related_objects:
        if rel.related_model._meta.label.split(".")[1].startswith("Historical"):
            continue
        if rel.many_to_many:
            through = (rel.through or rel.field.remote_field.through)._meta
            for field in through.local_fields:
                if field.is_relation and field.remote_field.model is model:
                    keys.add(f"{through.label}.{field.name}")
        else:
            keys.add(f"{rel.related_model._meta.label}.{rel.field.name}")
    return keys


@pytest.mark.parametrize("model", [Person, Organisation], ids=["person", "organisation"])
def test_every_relation_is_moved_or_declared_left(model):
    moved = {r.key for r in merging.relations_to_move(model)}
    forgotten = _related_object_keys(model) - moved - set(merging.LEFT_ON_DROPPED)
    assert not forgotten, (
        f"The merge of {model.__name__} does not handle {sorted(forgotten)}: move it "
        "(contacts.merging) or add it to merging.LEFT_ON_DROPPED with the reason."
    )
    assert all(reason.strip() for reason in merging.LEFT_ON_DROPPED.values())


@pytest.mark.parametrize("model", [Person, Organisation], ids=["person", "organisation"])
def test_every_relation_has_a_builder(model):
    missing = {r.key for r in merging.relations_to_move(model)} - set(BUILDERS[model])
    assert not missing, f"Add a builder to tests/contacts/test_merge_relations.py for {missing}"


def _cases(model):
    return [pytest.param(model, key, id=key) for key in BUILDERS[model]]


def _merge(model, keep, drop, by):
    merge = services.person_merge if model is Person else services.organisation_merge
    return merge(keep=keep, drop=drop, by=by)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "key"), _cases(Person) + _cases(Organisation))
def test_merge_moves_the_relation_to_the_record_kept(model, key, officer):
    factory = PersonFactory if model is Person else OrganisationFactory
    keep, drop = factory(), factory()
    row = BUILDERS[model][key](drop)
    relation = next(r for r in merging.relations(model) if r.key == key)

    record = _merge(model, keep, drop, officer)

    row.refresh_from_db()
    assert getattr(row, relation.field.attname) == keep.pk
    assert not relation.rows(drop).exists()
    moved = {r["key"]: r["count"] for r in record.moved["relations"]}
    # The earlier merge record moved too; the new one was written after the move.
    assert moved[key] == 1


@pytest.mark.django_db
def test_a_registration_at_the_same_workshop_is_kept_once_with_the_stronger_presence(officer):
    keep, drop = PersonFactory(), PersonFactory()
    event = EventFactory()
    project = ProjectFactory(lead=drop)
    Attendance.objects.create(event=event, person=keep, status="registered")
    Attendance.objects.create(event=event, person=drop, status="attended", project=project)

    services.person_merge(keep=keep, drop=drop, by=officer)

    attendance = Attendance.objects.get(event=event)
    assert attendance.person == keep
    assert attendance.status == "attended" and attendance.project == project


@pytest.mark.django_db
def test_both_duplicates_in_one_meeting_leave_one_participant(officer):
    keep, drop = PersonFactory(), PersonFactory()
    meeting = MeetingFactory()
    meeting.participants.add(keep, drop)

    services.person_merge(keep=keep, drop=drop, by=officer)

    assert list(meeting.participants.all()) == [keep]


@pytest.mark.django_db
def test_an_organisation_partner_twice_of_a_workshop_stays_once(officer):
    keep, drop = OrganisationFactory(), OrganisationFactory()
    event = EventFactory()
    event.partners.add(keep, drop)
    services.organisation_merge(keep=keep, drop=drop, by=officer)
    assert list(event.partners.all()) == [keep]


@pytest.mark.django_db
def test_the_survivors_meeting_edit_keeps_the_participant(client, coach, officer):
    keep = PersonFactory()
    drop = PersonFactory(first_name=keep.first_name, last_name=keep.last_name)
    project = ProjectFactory(lead=drop, coach=coach)
    meeting = MeetingFactory(project=project)
    meeting.participants.add(drop)

    services.person_merge(keep=keep, drop=drop, by=officer)

    client.force_login(coach)
    page = client.get(reverse("followups:meeting-edit", args=[meeting.pk])).content.decode()
    checked = re.findall(r'<input[^>]*name="participants"[^>]*>', page)
    assert any(f'value="{keep.pk}"' in tag and "checked" in tag for tag in checked)
    assert not any(f'value="{drop.pk}"' in tag for tag in checked)


@pytest.mark.django_db
def test_an_organisation_merge_keeps_the_coaches_on_their_contract(officer):
    keep, drop = OrganisationFactory(kind="provider"), OrganisationFactory(kind="provider")
    contract = ContractFactory(provider=drop)
    coach_account = UserFactory(organisation=drop)

    services.organisation_merge(keep=keep, drop=drop, by=officer)

    contract.refresh_from_db()
    coach_account.refresh_from_db()
    assert contract.provider == keep and coach_account.organisation == keep
