"""Every named route answers every persona as tests/security/access_table.py declares."""

import pytest
from django.utils.html import strip_tags

from tests.security.access_table import ROUTES
from tests.security.helpers import response_text
from tests.security.walk import (
    PERSONAS,
    REFUSED,
    all_routes,
    assert_outsider_gets_404,
    expectation,
    log_in_as,
    missing_line,
    outcome_of,
    refuses_get_unseen,
    snapshot,
    targets,
)

pytestmark = pytest.mark.django_db


def test_every_route_has_a_declared_outcome():
    missing = [missing_line(route) for route in all_routes() if expectation(route) is None]
    assert not missing, "\n".join(missing)


def test_the_table_names_only_routes_that_exist():
    names = {route.name for route in all_routes()}
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"ROUTES declares routes that no longer exist: {stale}"


# 2-6 s per persona: a GET on every route of the site.
@pytest.mark.slow
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_route_answers_a_get_as_declared(client, world, persona):
    log_in_as(client, world, persona)
    failures = []
    for route in all_routes():
        expected = expectation(route)
        if expected is None:
            failures.append(missing_line(route))
            continue
        for target in targets(route, world):
            got = outcome_of(client.get(target.url))
            if got != expected.get[persona]:
                failures.append(
                    f"GET {route.name} {target.url} as {persona}: got {got}, "
                    f"declared {expected.get[persona]}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_write_answers_as_declared_and_a_refused_write_changes_nothing(
    client, world, persona
):
    failures = []
    for route in all_routes():
        expected = expectation(route)
        if expected is None or expected.post is None or expected.post[persona] is None:
            continue
        declared = ROUTES.get(route.name)
        for target in targets(route, world):
            record = declared.target(world) if declared and declared.target else target.obj
            data = declared.post_data(world) if declared and declared.post_data else {}
            # A write may end the session (logout): start each one signed in afresh.
            log_in_as(client, world, persona)
            before = snapshot(record)
            got = outcome_of(client.post(target.url, data or {"name": "Modifié", "post": "yes"}))
            if got != expected.post[persona]:
                failures.append(
                    f"POST {route.name} {target.url} as {persona}: got {got}, "
                    f"declared {expected.post[persona]}"
                )
            if got in REFUSED and snapshot(record) != before:
                failures.append(
                    f"POST {route.name} as {persona} was refused but changed {record!r}"
                )
    assert not failures, "\n".join(failures)


def test_the_outsider_coach_gets_404_on_every_object_of_another_coachs_project(client, world):
    assert_outsider_gets_404(client, world)


def test_every_route_naming_a_project_object_declares_404_for_the_outsider(world):
    wrong = []
    for route in all_routes():
        if route.is_admin or not route.arg_names:
            continue
        if any(target.project_scoped for target in targets(route, world)):
            if expectation(route).get["outsider"] != 404 and not refuses_get_unseen(route):
                wrong.append(route.name)
    assert not wrong, f"declare outsider=404 (GET) for: {wrong}"


def test_a_post_only_route_still_gives_the_outsider_404_on_post(world):
    wrong = []
    for route in all_routes():
        if route.is_admin or not refuses_get_unseen(route):
            continue
        if any(target.project_scoped for target in targets(route, world)):
            if ROUTES[route.name].post["outsider"] != 404:
                wrong.append(route.name)
    assert not wrong, f"declare outsider=404 (POST) for: {wrong}"


def test_writes_are_protected_by_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["officer"])
    response = client.post("/accounts/password_change/", {})
    assert response.status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403


# 2-6 s per persona: a GET on every route of the site.
@pytest.mark.slow
@pytest.mark.parametrize("persona", ["owner", "outsider", "manager", "no_role", "entrepreneur"])
def test_internal_notes_reach_no_page_export_or_feed_of_a_coach_or_manager(client, world, persona):
    """Every route (pages, CSV/XLSX exports, PDF letters, the calendar feed, history pages,
    documents and their downloads), walked as each non-officer persona: the internal note
    of the world's meeting and the internal document's title and content never appear,
    while the note shared with the provider does reach the owner coach. The entrepreneur
    gets neither the internal note nor the provider's, and does get the shareable one."""
    internal = world.named["note_internal"].text
    # An internal document: neither its title nor its content (its download) may show.
    internal_document = world.named["document_internal"].title
    internal_content = "Contenu interne"
    log_in_as(client, world, persona)
    if persona == "entrepreneur":
        # What is shared with the provider only is internal for the entrepreneur.
        internal = world.named["note_provider"].text
        internal_document = "Business plan partagé du walk"
        internal_content = "Plan partagé"
    leaks, shared_seen, entrepreneur_seen = [], False, False
    for route in all_routes():
        if route.name.startswith("admin:"):
            continue
        for target in targets(route, world):
            body = response_text(client.get(target.url))
            # Their access export is the officers' minus internal notes (the issue's rule,
            # the right of access): provider notes are in it, internal ones never (below).
            if persona == "entrepreneur" and route.name == "portal:data-export":
                continue
            # As read on screen too: the search marks the words that matched (<mark>).
            if (
                internal in body
                or internal in strip_tags(body)
                or internal_document in body
                or internal_content in body
            ):
                leaks.append(f"{route.name} {target.url}")
            shared_seen = shared_seen or world.named["note_provider"].text in body
            entrepreneur_seen = entrepreneur_seen or world.named["note_entrepreneur"].text in body
    assert not leaks, f"internal note shown to {persona} on: {leaks}"
    if persona == "entrepreneur":
        assert entrepreneur_seen, "the note shared with the entrepreneur should reach them"
        # And the internal ones, which the loop above did not look for this time.
        for route in all_routes():
            if route.name.startswith("portal:"):
                for target in targets(route, world):
                    body = response_text(client.get(target.url))
                    assert world.named["note_internal"].text not in body, target.url
                    assert "Contenu interne" not in body, target.url
    if persona == "owner":
        assert shared_seen, "the note shared with the provider should reach the owner coach"


@pytest.mark.parametrize("persona", ["officer", "owner", "manager"])
@pytest.mark.parametrize("route", ["sheets:project-fiche-pdf", "sheets:project-fiche-xlsx"])
def test_the_follow_up_sheet_reads_as_text_and_holds_only_the_shareable_note(
    client, world, persona, route
):
    """The walk above reads PDFs and XLSX files as their reader would: here it must find
    the project and the entrepreneur-shareable note in the follow-up sheet, and neither
    the internal note nor the provider's note, even for an officer."""
    log_in_as(client, world, persona)
    (target,) = targets(next(r for r in all_routes() if r.name == route), world)
    body = response_text(client.get(target.url))
    assert world.project.name in body
    assert world.named["note_entrepreneur"].text in body
    assert world.named["note_internal"].text not in body
    assert world.named["note_provider"].text not in body


def test_officers_do_read_the_internal_note_the_walk_looks_for(client, world):
    """The check above would pass vacuously if the note were shown nowhere."""
    log_in_as(client, world, "officer")
    internal = world.named["note_internal"].text
    meeting = world.get("followups.meeting")
    assert internal in response_text(client.get(f"/meetings/{meeting.pk}/"))
    document = world.named["document_internal"]
    assert document.title in response_text(client.get(f"/projects/{world.project.pk}/"))
    version = document.versions.get()
    download = client.get(f"/documents/versions/{version.pk}/telecharger/")
    assert "Contenu interne" in response_text(download)
