import pytest

from tests.security.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def axes_enabled(settings):
    """django-axes as in production (tests/settings.py turns it off for client.login)."""
    from crm import settings as production

    settings.AXES_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = production.AUTHENTICATION_BACKENDS
    return settings
