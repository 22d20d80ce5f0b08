import pytest

from tests.security.world import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    # The world's import batches and the walk's uploads are files: keep them out of var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


@pytest.fixture
def axes_enabled(settings):
    """django-axes as in production (tests/settings.py turns it off for client.login)."""
    from crm.config import settings as production

    settings.AXES_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = production.AUTHENTICATION_BACKENDS
    return settings
