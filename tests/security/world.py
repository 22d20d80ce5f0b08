"""The fixture world of the URL walk: one project owned by coach A with every kind of object
hanging off it, the persona users, and how a route's URL arguments are built from it.

A branch that adds a model whose pages take its id adds one instance to `build_world`
(`world.add(obj, project_scoped=True)` when it belongs to the owner's project); routes named
`<app>:<model>-<action>` with a `pk` (or `<model>_pk`) argument then find it by themselves.
"""

import datetime
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts.models import OrganisationLabel, PersonOrganisation
from crm.audit import log_access_event
from crm.models import AccessEventKind, ProjectMeasure, StageChange
from crm.roles import Role
from tests.factories import (
    CoachFactory,
    ManagerFactory,
    OfficerFactory,
    OrganisationFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
)

PERSONAS = ("anonymous", "officer", "owner", "outsider", "manager", "no_role", "admin")


@dataclass
class World:
    users: dict[str, object]
    objects: dict[str, models.Model] = field(default_factory=dict)
    # Labels ("app_label.model_name") of objects that belong to the owner's project.
    project_scoped: set[str] = field(default_factory=set)

    def add(self, obj: models.Model, *, project_scoped: bool = False) -> models.Model:
        self.objects[obj._meta.label_lower] = obj
        if project_scoped:
            self.project_scoped.add(obj._meta.label_lower)
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
    return world


def content_type_id(obj) -> int:
    return ContentType.objects.get_for_model(obj).pk
