"""The global search through the URL walk's world: the walks request /search/?q=walk (see
access_table.py); here, that they read something, and what the outsider must not."""

import pytest
from django.utils.html import strip_tags

from tests.security.helpers import response_text
from tests.security.walk import log_in_as

pytestmark = pytest.mark.django_db


def test_the_walks_search_finds_the_internal_note_for_an_officer(client, world):
    """The internal-notes walk would pass vacuously if the search showed no note."""
    log_in_as(client, world, "officer")
    body = strip_tags(response_text(client.get("/search/?q=walk")))
    assert world.named["note_internal"].text in body
    assert world.project.name in body


@pytest.mark.parametrize("persona", ["outsider", "no_role"])
def test_the_outsider_finds_nothing_of_the_owners_project(client, world, persona):
    log_in_as(client, world, persona)
    body = strip_tags(response_text(client.get("/search/?q=walk")))
    assert world.project.name not in body
    assert world.named["note_provider"].text not in body
