import os

import factory
import factory.random
import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from crm.config.env import cache_config
from crm.models import Commune
from crm.projects.reference import load_reference_data
from tests.factories import (
    CoachFactory,
    ManagerFactory,
    OfficerFactory,
    ProjectFactory,
    UserFactory,
)
from tests.network import NETWORKS
from tests.network import configure as configure_network

DB_FIXTURES = {"db", "transactional_db", "live_server"}
# Every test draws the same Faker names and factory sequence numbers, whatever ran before it
# in the same process (xdist spreads tests over workers in an order that changes each run).
FAKER_SEED = 20160301


def _all_factories(base=factory.base.BaseFactory):
    for subclass in base.__subclasses__():
        yield subclass
        yield from _all_factories(subclass)


@pytest.fixture(autouse=True)
def deterministic_factories():
    """Reseed factory_boy's random and Faker, and restart every factory's sequence."""
    factory.random.reseed_random(FAKER_SEED)
    for factory_class in _all_factories():
        options = factory_class._meta
        # Subclasses share their parent's counter: reset it once, on its owner.
        if options.counter_reference is options and not options.abstract:
            factory_class.reset_sequence()


def _run_order(item):
    if item.get_closest_marker("slow"):
        # Slow tests outside the test database (the bench: subprocesses and a server) first.
        return 0 if item.get_closest_marker("django_db") else -1
    return 1 if item.get_closest_marker("browser") else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Longest first: the slow tests, then the browser journeys, then the rest (a stable
    sort after pytest-django's, so the order within each group is unchanged). xdist hands
    tests out in this order, so a minute-long test starts at once instead of finishing
    last on one worker while the other waits."""
    items.sort(key=_run_order)


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploads and import files go to a folder of this test process (each xdist worker has
    its own), not to var/media where parallel runs and `make run` would share them."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def fresh_branding():
    """The letterhead a running worker holds in its cache (read once per
    BRANDING_CACHE_SECONDS, not per page): the default one, so that no test sees another
    test's and the pages' query counts are those of every request but the first. A test
    that writes a Branding row without the branding page calls `forget_brand()`."""
    from crm.branding.services import forget_brand, prime_default_brand

    prime_default_brand()
    yield
    forget_brand()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's language: a request in English (the language
    switcher) leaves English active in the thread, and the next test would read it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def reference_data(request, django_db_blocker):
    """Communes, themes and role groups, as the migrations leave them.

    Transactional tests (live server, browser) flush every table after they run, so the
    next test that needs the database finds the reference rows missing: load them again."""
    if not (
        request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames)
    ):
        return
    with django_db_blocker.unblock():
        if not Commune.objects.exists():
            load_reference_data()


@pytest.fixture
def officer(db):
    return OfficerFactory(username="officer_a", first_name="Camille")


@pytest.fixture
def coach(db):
    """The coach who owns `project`."""
    return CoachFactory(username="coach_a", first_name="Julien")


@pytest.fixture
def other_coach(db):
    """A coach who must never see `project`."""
    return CoachFactory(username="coach_b", first_name="Aïssata")


@pytest.fixture
def manager(db):
    return ManagerFactory(username="manager_a", first_name="Hélène")


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="no_role")


@pytest.fixture
def project(db, coach, officer):
    return ProjectFactory(name="Atelier vélo des Bords de Marne", coach=coach, officer=officer)


@pytest.fixture(params=NETWORKS, ids=lambda network: network.name)
def network(request, settings):
    """Run the test directly exposed, behind nginx, and behind a load balancer and nginx
    (tests/network.py builds each request's X-Forwarded-For as those proxies do)."""
    configure_network(settings, request.param)
    return request.param


REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_cache():
    """Django's cache on Redis (CACHE_URL=redis://…) under a key prefix of this test only,
    whose keys are deleted afterwards (never FLUSHDB: the server is shared). Skipped when
    no Redis answers, unless REQUIRE_REDIS=1 (CI), where that fails."""
    import uuid

    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        reason = f"Redis not reachable at {REDIS_URL} ({error})"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but {reason}")
        pytest.skip(reason)
    prefix = f"crm-test-{uuid.uuid4().hex}"
    config = {**cache_config(REDIS_URL), "KEY_PREFIX": prefix}
    with override_settings(CACHES={"default": config}):
        yield config
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()
