"""The global search at /search/?q=: what each role finds, how it matches, what it shows."""

import pytest
from django.db import connection

from followups.models import MeetingNote, NoteVisibility
from tests.factories import (
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
    ProjectFactory,
    commune,
)

pytestmark = pytest.mark.django_db


def _search(client, user, q):
    client.force_login(user)
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def world(project, coach, other_coach, officer):
    """The owner's project (in Créteil, led by Hélène Lefèvre), another coach's project, an
    organisation, a meeting with one note of each visibility."""
    lead = project.members.get().person
    lead.first_name, lead.last_name = "Hélène", "Lefèvre"
    lead.save()
    project.summary = "Recyclerie de quartier et atelier de réparation."
    project.save()
    hidden = ProjectFactory(name="Recyclerie des Coteaux", coach=other_coach, officer=officer)
    OrganisationFactory(name="Coopérative Créteil Énergie", commune=commune("Alfortville"))
    meeting = MeetingFactory(project=project, summary="Budget de la ressourcerie validé.")
    notes = {
        visibility: MeetingNote.objects.create(
            meeting=meeting, text=f"Subvention régionale ({visibility})", visibility=visibility
        )
        for visibility in NoteVisibility.values
    }
    return {"project": project, "hidden": hidden, "meeting": meeting, "notes": notes}


def test_accents_and_case_are_ignored(client, officer, world):
    body = _search(client, officer, "lefevre")
    assert "<mark>Lefèvre</mark>" in body
    body = _search(client, officer, "CRETEIL")
    assert "Coopérative <mark>Créteil</mark> Énergie" in body  # its name
    assert "Atelier vélo des Bords de Marne" in body  # a project located in Créteil


def test_the_start_of_a_word_matches(client, officer, world):
    body = _search(client, officer, "recycl")
    assert "Atelier vélo des Bords de Marne" in body
    assert "<mark>Recycl</mark>erie de quartier" in body  # the summary's line that matched
    assert "<mark>Recycl</mark>erie des Coteaux" in body


def test_a_typo_in_a_name_is_forgiven(client, officer, world):
    body = _search(client, officer, "Lefebre")
    assert "Hélène Lefèvre" in body


def test_groups_by_kind(client, officer, world):
    body = _search(client, officer, "ressourcerie")
    assert 'id="search-meetings"' in body
    assert "<mark>ressource</mark>rie" not in body  # the whole word is marked
    assert "<mark>ressourcerie</mark> validé" in body


def test_a_coach_never_finds_another_coachs_project(client, coach, world):
    body = _search(client, coach, "recyclerie")
    assert "Atelier vélo des Bords de Marne" in body
    assert "Coteaux" not in body


def test_internal_notes_are_found_by_officers_only(client, officer, coach, manager, world):
    assert "<mark>Subvention</mark> régionale (internal)" in _search(client, officer, "subvention")
    for user in (coach, manager):
        body = _search(client, user, "subvention")
        assert "<mark>Subvention</mark> régionale (internal)" not in body
        assert "<mark>Subvention</mark> régionale (entrepreneur)" in body


def test_what_matched_is_escaped(client, officer, project):
    project.summary = "Ressourcerie <img src=x onerror=alert('ressourcerie')> du quartier"
    project.save()
    body = _search(client, officer, "ressourcerie")
    assert "<img" not in body
    assert (
        "<mark>Ressourcerie</mark> &lt;img src=x onerror=alert(&#x27;<mark>ressourcerie</mark>"
        "&#x27;)&gt; du quartier"
    ) in body


def test_a_query_of_one_letter_asks_for_more(client, officer, world):
    assert "Tapez au moins deux lettres." in _search(client, officer, "r")


def test_the_header_of_every_page_has_the_search_box(client, coach, world):
    client.force_login(coach)
    body = client.get("/").content.decode()
    assert 'action="/search/"' in body and 'name="q"' in body


def test_accounts_without_a_role_are_refused_and_visitors_sent_to_log_in(
    client, no_role_user, world
):
    assert client.get("/search/?q=recyclerie").status_code == 302
    client.force_login(no_role_user)
    assert client.get("/search/?q=recyclerie").status_code == 403


def _add_rows(n, coach, officer):
    for i in range(n):
        project = ProjectFactory(name=f"Recyclerie {i}", coach=coach, officer=officer)
        PersonFactory(last_name=f"Recycleur{i}")
        OrganisationFactory(name=f"Recyclerie SCIC {i}")
        meeting = MeetingFactory(project=project, summary="Recyclerie : point d'étape.")
        MeetingNote.objects.create(meeting=meeting, text="Recyclerie", visibility="provider")


@pytest.mark.parametrize("persona", ["officer", "coach"])
def test_the_query_count_does_not_grow_with_the_data(
    client, django_assert_max_num_queries, request, coach, officer, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    # Session read, user, role groups; the communes named, one query per kind (5), plus
    # the similarity threshold on PostgreSQL; the session's activity stamp (savepoint,
    # update, release).
    limit = 13 if connection.vendor == "postgresql" else 12
    for size in (2, 14):
        _add_rows(size, coach, officer)
        with django_assert_max_num_queries(limit):
            assert client.get("/search/", {"q": "recyclerie"}).status_code == 200
