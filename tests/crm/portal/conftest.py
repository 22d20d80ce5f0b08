import pytest

from tests.crm.portal.helpers import make_entrepreneur
from tests.factories import PersonFactory, ProjectFactory


@pytest.fixture
def person(db):
    return PersonFactory(first_name="Chloé", last_name="Lefèvre", email="chloe@exemple.fr")


@pytest.fixture
def their_project(db, person, coach, officer):
    return ProjectFactory(
        name="Ateliers d'artistes", coach=coach, officer=officer, lead=person, stage="launch"
    )


@pytest.fixture
def entrepreneur(their_project, person):
    return make_entrepreneur(person)


@pytest.fixture
def space(client, entrepreneur):
    """A client signed in as the entrepreneur."""
    client.force_login(entrepreneur)
    return client


@pytest.fixture
def axes_enabled(settings):
    """django-axes as in production (tests/settings.py turns it off for client.login)."""
    from crm.config import settings as production

    settings.AXES_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = production.AUTHENTICATION_BACKENDS
    return settings
