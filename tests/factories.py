"""factory_boy factories that keep related objects consistent."""

import datetime

import factory
from django.contrib.auth.models import Group

from contacts.models import Organisation, Person
from crm.core.roles import Role
from crm.models import Commune, Project, ProjectMember, StageChange, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@exemple.fr")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            _add_role(self, extracted)


def _add_role(user, role):
    group, _ = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)


def _with_role(role):
    return factory.PostGeneration(lambda user, create, extracted, **kw: _add_role(user, role))


class OfficerFactory(UserFactory):
    role = _with_role(Role.OFFICER)


class CoachFactory(UserFactory):
    role = _with_role(Role.COACH)


class ManagerFactory(UserFactory):
    role = _with_role(Role.MANAGER)


def commune(name="Créteil") -> Commune:
    return Commune.objects.get(name=name)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association des jardins {n}")
    legal_form = "association"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"porteur{n}@exemple.fr")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Épicerie solidaire {n}")
    status = "active"
    stage = "feasibility"
    entry_date = datetime.date(2025, 3, 1)
    commune = factory.LazyFunction(commune)

    @factory.post_generation
    def lead(self, create, extracted, **kwargs):
        if create:
            ProjectMember.objects.create(
                project=self, person=extracted or PersonFactory(), is_lead=True
            )

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            StageChange.objects.create(
                project=self,
                at=datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC),
                to_stage=self.stage,
                to_status=self.status,
                exit_reason=self.exit_reason,
            )


# --- Intake: calls for projects (issue 8) ---------------------------------------------------


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Call"
        django_get_or_create = ["year"]

    year = 2026
    title = "Initiatives d'ESS"
    envelope = 25000
    opens_on = datetime.date(2026, 3, 1)
    closes_on = datetime.date(2026, 5, 31)
    criteria = "Création d'emplois, ancrage territorial, utilité sociale, viabilité économique."


class CallApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Application"

    call = factory.SubFactory(CallFactory)
    project = factory.SubFactory(ProjectFactory)
    amount_requested = 5000


# Follow-ups ---------------------------------------------------------------------------


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followups.Meeting"
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    start = factory.Sequence(
        lambda n: (
            datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC) + datetime.timedelta(days=n % 50)
        )
    )
    duration_minutes = 90
    led_by = factory.LazyAttribute(lambda m: m.project.coach or OfficerFactory())
    summary = "Point sur le plan de financement."

    @factory.post_generation
    def stored_on_project(meeting, create, extracted, **kwargs):
        # As every path that writes meetings does (followups.services).
        if create:
            from followups.services import refresh_last_meeting

            refresh_last_meeting([meeting.project_id])


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followups.Action"

    title = factory.Sequence(lambda n: f"Envoyer le budget prévisionnel {n}")
    project = factory.SubFactory(ProjectFactory)
    owner = factory.LazyAttribute(lambda a: a.project.coach or OfficerFactory())
    due_on = datetime.date(2026, 12, 1)
    created_on = datetime.date(2026, 1, 1)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followups.Event"

    title = factory.Sequence(lambda n: f"Atelier marchés publics {n}")
    start = datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)
    end = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)
    place = "Maison de l'ESS, Créteil"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followups.Contract"

    reference = factory.Sequence(lambda n: f"2026-ESS-{n:03d}")
    provider = factory.SubFactory(OrganisationFactory, name="Coopérative Conseil ESS")
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2028, 12, 31)
    max_amount = 90000
