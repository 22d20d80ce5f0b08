"""Hostile query strings on every page: far and ancient dates, huge and non-finite
numbers, NUL bytes, 100 KB strings and repeated parameters, in every parameter a page
declares and in unknown ones, for each role. No page answers with a server error.

The routes come from the URL configuration and tests/security/access_table.py (every route
a persona may GET); the parameters from each page itself (tests/security/hostile.py)."""

import datetime
from urllib.parse import urlsplit

import pytest

from followups.models import Action, Meeting
from tests.security.hostile import (
    declared_parameters,
    hostile_queries,
)
from tests.security.walk import all_routes, expectation, log_in_as, targets

pytestmark = pytest.mark.django_db

ROLES = ("officer", "owner", "manager")


def plant_extreme_rows(world) -> None:
    """Rows stored before dates were bounded (written past the models' validators): an
    action due on 31/12/9999 and a meeting on 30/12/9999."""
    action = world.get("followups.action")
    Action.objects.filter(pk=action.pk).update(due_on=datetime.date(9999, 12, 31), done_on=None)
    far = datetime.datetime(9999, 12, 30, 12, 0, tzinfo=datetime.UTC)
    meeting = world.get("followups.meeting")
    Meeting.objects.filter(pk=meeting.pk).update(start=far)


def _readable_routes(persona, world):
    for route in all_routes():
        expected = expectation(route)
        if route.is_admin or expected is None or expected.get[persona] != 200:
            continue
        yield from ((route, target) for target in targets(route, world))


# 1-2 min per role: every page a role may open, about twenty-five requests for each page
# that declares parameters, two for the others.
@pytest.mark.slow
@pytest.mark.parametrize("persona", ROLES)
def test_no_page_fails_on_hostile_query_values(client, world, persona):
    plant_extreme_rows(world)
    client.raise_request_exception = False
    log_in_as(client, world, persona)
    failures, walked = [], 0
    for route, target in _readable_routes(persona, world):
        path = urlsplit(target.url).path
        base = client.get(target.url)
        if base.status_code >= 500:
            failures.append(f"{route.name} {target.url}: {base.status_code}")
            continue
        walked += 1
        for query in hostile_queries(declared_parameters(path, base)):
            response = client.get(path, query)
            if response.status_code >= 500:
                shown = {k: (v if isinstance(v, str) else v[0])[:24] for k, v in query.items()}
                failures.append(f"{route.name} {path} {shown}: {response.status_code}")
    assert walked > 20, "the walk reached too few pages to mean anything"
    assert not failures, "\n".join(failures)
