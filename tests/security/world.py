"""The fixture world of the URL walk: one project owned by coach A with every kind of object
hanging off it, the persona users, and how a route's URL arguments are built from it.

A branch that adds a model whose pages take its id adds one instance to `build_world`
(`world.add(obj, project_scoped=True)` when it belongs to the owner's project); routes named
`<app>:<model>-<action>` with a `pk` (or `<model>_pk`) argument then find it by themselves.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts import services as contacts_services
from contacts.models import (
    DuplicatePair,
    EliminationList,
    Erasure,
    LegalHold,
    OrganisationLabel,
    PersonOrganisation,
    RetentionExtension,
)
from crm.api.tokens import token_create
from crm.core.roles import Role
from crm.importing.views import _start_preview
from crm.intake.services.registration import registration_submit
from crm.intake.services.triage import application_decline
from crm.models import (
    BRANDING_PK,
    AccessEventKind,
    Branding,
    GrantInstalment,
    ImportBatch,
    LetterKind,
    LetterTemplate,
    ProjectMeasure,
    Registration,
    StageChange,
)
from crm.security.audit import log_access_event
from followups import services as followups_services
from followups.models import (
    Attendance,
    CalendarToken,
    Cohort,
    MeetingNote,
    MessageTemplate,
    NoteVisibility,
    OrderLine,
    PurchaseOrder,
    UnitKind,
    UnitPrice,
)
from tests.factories import (
    ActionFactory,
    CallApplicationFactory,
    CallFactory,
    CoachFactory,
    ContractFactory,
    EventFactory,
    ManagerFactory,
    MeetingFactory,
    OfficerFactory,
    OrganisationFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
)

PERSONAS = (
    "anonymous",
    "officer",
    "owner",
    "outsider",
    "manager",
    "no_role",
    "admin",
    "entrepreneur",
)


@dataclass
class World:
    users: dict[str, object]
    objects: dict[str, models.Model] = field(default_factory=dict)
    # Labels ("app_label.model_name") of objects that belong to the owner's project.
    project_scoped: set[str] = field(default_factory=set)
    # Further objects some routes need besides the one instance per model (a second
    # applicant, a merge candidate…), by name; routes reach them through `kwargs=`.
    named: dict[str, models.Model] = field(default_factory=dict)

    def add(self, obj: models.Model, *, project_scoped: bool = False) -> models.Model:
        self.objects[obj._meta.label_lower] = obj
        if project_scoped:
            self.project_scoped.add(obj._meta.label_lower)
        return obj

    def keep(self, name: str, obj: models.Model) -> models.Model:
        self.named[name] = obj
        return obj

    def get(self, label: str) -> models.Model:
        """The world's instance of a model ("crm.project"), or a failure saying what to add."""
        if label not in self.objects:
            raise LookupError(
                f"The URL-walk world has no {label}: add one in build_world() "
                "(tests/security/world.py), or give the route explicit kwargs in "
                "tests/security/access_table.py."
            )
        return self.objects[label]

    def find(self, model_name: str) -> tuple[str, models.Model] | None:
        """The instance whose model is named `model_name` (any app), for `pk` arguments."""
        wanted = model_name.replace("-", "").replace("_", "").lower()
        for label, obj in self.objects.items():
            if label.split(".")[1] == wanted:
                return label, obj
        return None

    @property
    def project(self):
        return self.objects["crm.project"]


def build_world() -> World:
    """Users for each persona and one object of every model the pages take as argument."""
    owner = CoachFactory(username="walk_owner")
    users = {
        "anonymous": None,
        "officer": OfficerFactory(username="walk_officer"),
        "owner": owner,
        "outsider": CoachFactory(username="walk_outsider"),
        "manager": ManagerFactory(username="walk_manager"),
        "no_role": UserFactory(username="walk_no_role"),
        "admin": UserFactory(username="walk_admin", is_staff=True, is_superuser=True),
    }
    world = World(users=users)
    organisation = OrganisationFactory(name="Vélo solidaire")
    person = PersonFactory(first_name="Nadia", last_name="Benali")
    project = ProjectFactory(
        name="Atelier vélo du walk", coach=owner, organisation=organisation, lead=person
    )
    world.add(project, project_scoped=True)
    world.add(person, project_scoped=True)
    world.add(organisation, project_scoped=True)
    world.add(project.members.get(), project_scoped=True)
    world.add(StageChange.objects.filter(project=project).get(), project_scoped=True)
    world.add(
        ProjectMeasure.objects.create(
            project=project, measured_on=datetime.date(2025, 12, 31), kind="exit"
        ),
        project_scoped=True,
    )
    world.add(
        OrganisationLabel.objects.create(
            organisation=organisation, kind="esus", obtained_on=datetime.date(2024, 1, 1)
        ),
        project_scoped=True,
    )
    world.add(
        PersonOrganisation.objects.create(person=person, organisation=organisation),
        project_scoped=True,
    )
    world.add(project.commune)
    world.add(project.themes.model.objects.order_by("pk").first())
    world.add(owner)
    world.add(Group.objects.get(name=Role.COACH))
    world.add(log_access_event(kind=AccessEventKind.LOGIN, user=owner))
    world.add(
        TOTPDevice.objects.create(
            user=UserFactory(username="walk_device_owner"), name="phone", confirmed=True
        )
    )
    world.add(
        AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    )
    world.add(AccessLog.objects.create(username="x", ip_address="10.0.0.1"))
    world.add(AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1"))
    _add_followups(world)
    _add_intake(world)
    _add_contacts_extras(world)
    # The owner's API token (its revocation route; the API routes take its user's session).
    world.keep("api_token", token_create(user=owner, name="Walk BI")[0])
    _add_documents(world)
    _add_portal(world)
    # The public registration form limits submissions per address in the cache.
    cache.clear()
    return world


def _add_followups(world: World) -> None:
    """Meetings, next steps, events, cohorts and the provider's contract ledger."""
    owner, officer, project = world.users["owner"], world.users["officer"], world.project
    # The owner works for the provider; the outsider coach works for nobody (so reads none
    # of its contracts).
    provider = OrganisationFactory(name="Coopérative Conseil du walk")
    owner.organisation = provider
    owner.save(update_fields=["organisation"])
    contract = world.add(ContractFactory(reference="2026-WALK-001", provider=provider))
    for unit, price in ((UnitKind.COACHING_HOUR, 80), (UnitKind.DIAGNOSTIC, 450)):
        UnitPrice.objects.create(contract=contract, unit=unit, price=Decimal(price))
    order = world.add(
        PurchaseOrder.objects.create(
            contract=contract, number="BC-WALK-1", issued_on=datetime.date(2026, 9, 1)
        )
    )
    OrderLine.objects.create(order=order, unit=UnitKind.COACHING_HOUR, quantity=100)
    OrderLine.objects.create(order=order, unit=UnitKind.DIAGNOSTIC, quantity=10)
    world.add(
        followups_services.service_certify(order=order, month=datetime.date(2026, 9, 1), by=officer)
    )
    cohort = Cohort.objects.create(
        name="Promotion du walk",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    cohort.projects.add(project)
    world.add(cohort, project_scoped=True)
    meeting = world.add(
        MeetingFactory(project=project, led_by=owner, summary="Point budget du walk."),
        project_scoped=True,
    )
    for visibility in NoteVisibility:
        note = MeetingNote.objects.create(
            meeting=meeting, text=f"Note {visibility.value} du walk", visibility=visibility
        )
        world.keep(f"note_{visibility.value}", note)
    world.add(note, project_scoped=True)
    world.add(ActionFactory(project=project, owner=owner, meeting=meeting), project_scoped=True)
    # Logged by the owner coach just now: the one they (and officers) may delete.
    world.keep("meeting_to_delete", MeetingFactory(project=project, led_by=owner))
    event = world.add(EventFactory(title="Atelier du walk", cohort=cohort), project_scoped=True)
    world.add(
        Attendance.objects.create(event=event, person=project.people.get(), project=project),
        project_scoped=True,
    )
    world.add(CalendarToken.objects.create(user=owner))
    world.add(
        MessageTemplate.objects.create(
            name="Relance du walk",
            subject="Votre projet {{ projet.nom }}",
            body="Bonjour {{ personne.prenom }},",
        )
    )


def _add_intake(world: World) -> None:
    """A call with an application, applications to triage, a decision, an import batch."""
    officer, project = world.users["officer"], world.project
    call = world.add(CallFactory(year=2026))
    world.add(Branding.objects.create(pk=BRANDING_PK, name="Territoire du walk"))
    default = LetterTemplate.default(LetterKind.ACCEPTANCE)
    world.add(
        LetterTemplate.objects.get_or_create(
            kind=default.kind, defaults={"subject": default.subject, "body": default.body}
        )[0]
    )
    application = world.add(CallApplicationFactory(call=call, project=project))
    world.add(
        GrantInstalment.objects.create(
            application=application, amount=1000, due_on=datetime.date(2026, 9, 1)
        )
    )
    # Names far apart: each applicant is new, so nothing waits for reconciliation.
    registrations = [
        registration_submit(
            first_name="Inès",
            last_name=last_name,
            email=f"candidate{n}@exemple.fr",
            commune=project.commune,
            project_name=f"Candidature du walk {n}",
            description="Une ressourcerie de quartier.",
            stage="idea",
            project_commune=project.commune,
            help_sought="Étude de marché.",
        )
        for n, last_name in enumerate(["Arnaud", "Bertrand", "Chevalier", "Dumoulin", "Etienne"])
    ]
    # One typed with the world's person's email: it waits for an officer to reconcile it.
    lead = project.members.get(is_lead=True).person
    to_reconcile = registration_submit(
        first_name=lead.first_name,
        last_name=lead.last_name,
        email=lead.email,
        project_name="Candidature du walk à rapprocher",
        description="Une ressourcerie de quartier.",
        stage="idea",
        help_sought="Étude de marché.",
    )
    assert to_reconcile.person_to_reconcile
    world.keep("applicant_reconcile", to_reconcile.project)
    world.add(registrations[0])
    assert isinstance(registrations[0], Registration)
    for name, registration in zip(
        ("applicant", "applicant_accept", "applicant_redirect", "applicant_decline", "declined"),
        registrations,
        strict=True,
    ):
        world.keep(name, registration.project)
    world.add(
        application_decline(project=world.named["declined"], by=officer, reason="Hors territoire")
    )
    world.keep(
        "partner", OrganisationFactory(name="Chambre régionale de l'ESS du walk", kind="partner")
    )
    sample = Path(__file__).parent.parent / "crm" / "data" / "suivi-porteurs-2024.csv"
    for name in ("import", "import_to_cancel"):
        batch = ImportBatch(
            kind="projects", mode="update", original_name=sample.name, created_by=officer
        )
        batch.file.save(f"walk-{name}.csv", ContentFile(sample.read_bytes()))
        _start_preview(batch, officer)
        world.keep(name, batch)
    world.add(world.named["import"])


def _add_contacts_extras(world: World) -> None:
    """Records to merge with the world's person and organisation, and a past merge."""
    officer = world.users["officer"]
    world.keep("person_twin", PersonFactory(first_name="Nadia", last_name="Benali-Twin"))
    world.keep("organisation_twin", OrganisationFactory(name="Vélo solidaire bis"))
    # A pair the duplicates scan finds (a typo apart), for the duplicates page's actions.
    first = PersonFactory(first_name="Yanis", last_name="Ferrand", email="")
    second = PersonFactory(first_name="Yanis", last_name="Ferand", email="")
    world.keep(
        "duplicate_pair",
        DuplicatePair.objects.create(
            kind="person", first_person=first, second_person=second, score=0.7, reasons=["sound"]
        ),
    )
    world.keep("event_guest", PersonFactory(first_name="Karim", last_name="Haddad"))
    # The erasure page's own person: erasing the world's person would change other routes.
    world.keep("erasable", PersonFactory(first_name="Inès", last_name="Effaçable"))
    world.keep("retained", PersonFactory(first_name="Hugo", last_name="Conservé"))
    elimination = EliminationList.objects.create(rule="prospect", count=1, years={"2022": 1})
    elimination.people.add(world.named["retained"])
    world.keep("elimination", elimination)
    world.add(elimination)
    world.add(LegalHold.objects.create(person=world.named["retained"], reason="Contrôle"))
    world.add(
        RetentionExtension.objects.create(
            person=world.named["retained"], until=datetime.date(2099, 1, 1), reason="Recours"
        )
    )
    erased = PersonFactory(first_name="Anonyme", last_name="n° 0")
    world.add(Erasure.objects.create(person=erased, at=timezone.now()))
    world.add(
        contacts_services.person_merge(
            keep=PersonFactory(first_name="Paul", last_name="Gardé"),
            drop=PersonFactory(first_name="Paul", last_name="Fusionné"),
            by=officer,
        )
    )


def _add_documents(world: World) -> None:
    """A document shared with the provider, an internal one (the internal-notes walk looks
    for its title and content), and one the delete route may delete."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from crm.documents import services as documents_services
    from crm.documents.models import DocumentCategory

    officer, project = world.users["officer"], world.project
    category = world.add(DocumentCategory.objects.get_or_create(name="Business plan")[0])

    def attach(title, visibility, content):
        return documents_services.document_upload(
            record_kind="project",
            record=project,
            file=SimpleUploadedFile(f"{title}.txt", content.encode()),
            by=officer,
            category=category,
            title=title,
            date=datetime.date(2026, 11, 27),
            visibility=visibility,
        )

    shared = world.add(
        attach("Business plan partagé du walk", "provider", "Plan partagé"), project_scoped=True
    )
    world.add(shared.versions.get(), project_scoped=True)
    world.keep(
        "document_internal", attach("Statuts internes du walk", "internal", "Contenu interne")
    )
    world.keep("document_to_delete", attach("Brouillon du walk", "provider", "Brouillon"))


def content_type_id(obj) -> int:
    return ContentType.objects.get_for_model(obj).pk


def _add_portal(world: World) -> None:
    """The entrepreneur persona: the world's person (lead of the owner's project) with an
    account of their space, a step of their own, a document shared with them, a decided
    application (its letter), an upcoming workshop, and two invitations of someone else
    (one pending: its link; one expired: asking for a new one)."""
    from crm.documents import services as documents_services
    from crm.models import CommitteeDecision
    from tests.crm.portal.helpers import expire, invite, make_entrepreneur

    project, person = world.project, world.get("contacts.person")
    officer = world.users["officer"]
    entrepreneur = make_entrepreneur(person)
    world.users["entrepreneur"] = entrepreneur
    world.keep(
        "entrepreneur_action",
        followups_services.action_create(
            project=project,
            title="Envoyer le prévisionnel",
            owner=entrepreneur,
            due_on=datetime.date(2026, 12, 20),
            by=world.users["owner"],
        ),
    )
    document = documents_services.document_upload(
        record_kind="project",
        record=project,
        file=SimpleUploadedFile("plan-porteuse.txt", b"Plan pour la porteuse"),
        by=officer,
        category=world.get("documents.documentcategory"),
        title="Document pour la porteuse du walk",
        date=datetime.date(2026, 11, 27),
        visibility=NoteVisibility.ENTREPRENEUR,
    )
    world.keep("entrepreneur_version", document.versions.get())
    world.keep(
        "decided_application",
        CallApplicationFactory(
            call=CallFactory(year=2025),
            project=project,
            decision=CommitteeDecision.REJECTED,
            decided_at=timezone.now(),
        ),
    )
    start = timezone.now() + datetime.timedelta(days=20)
    world.keep(
        "open_event",
        EventFactory(
            title="Temps d'information du walk",
            start=start,
            end=start + datetime.timedelta(hours=2),
            capacity=10,
        ),
    )
    invitee = world.keep("invitee", PersonFactory(first_name="Lina", last_name="Invitée"))
    pending, token = invite(invitee, by=officer)
    pending.raw_token = token
    world.keep("invitation", pending)
    other = PersonFactory(first_name="Marc", last_name="Expiré")
    expired, token = invite(other, by=officer)
    expire(expired)
    expired.raw_token = token
    world.keep("invitation_expired", expired)
