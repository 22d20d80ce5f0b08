import pytest

from contacts.models import PersonOrganisation
from tests.factories import OrganisationFactory, PersonFactory, ProjectFactory, commune


@pytest.fixture
def lead(db):
    """The entrepreneur of `project` (owned by `coach`)."""
    return PersonFactory(
        first_name="Léa", last_name="Martin", email="lea.martin@exemple.fr", commune=commune()
    )


@pytest.fixture
def structure(db):
    return OrganisationFactory(name="Vélo Solidaire", siret="73282932000074", commune=commune())


@pytest.fixture
def project(db, coach, officer, lead, structure):
    project = ProjectFactory(
        name="Atelier vélo des Bords de Marne",
        coach=coach,
        officer=officer,
        lead=lead,
        organisation=structure,
    )
    PersonOrganisation.objects.create(person=lead, organisation=structure, role="founder")
    return project


@pytest.fixture
def stranger(db, other_coach):
    """An entrepreneur of another coach's project, with their organisation."""
    person = PersonFactory(first_name="Omar", last_name="Diallo", email="omar@exemple.fr")
    ProjectFactory(
        name="Compost de Sucy",
        coach=other_coach,
        lead=person,
        organisation=OrganisationFactory(name="Compost Collectif"),
    )
    return person
