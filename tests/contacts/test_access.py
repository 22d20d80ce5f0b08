"""The permission ladder of every contacts page: anonymous → login; a coach outside the
record's projects → 404; a manager on a form → 403; the right role → 200 with content."""

import pytest
from django.urls import reverse

READ = ["person-detail", "organisation-detail"]
WRITE = ["person-edit", "person-merge", "organisation-edit", "organisation-merge"]
POST_ONLY = ["person-archive", "person-restore", "organisation-archive", "organisation-restore"]


def url(name, lead, structure):
    record = structure if name.startswith("organisation") else lead
    return reverse(f"contacts:{name}", args=[record.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["person-list", "organisation-list", "person-create", "organisation-create"] + READ + WRITE,
)
def test_anonymous_visitors_are_sent_to_log_in(client, name, project, lead, structure):
    target = reverse(f"contacts:{name}") if "-list" in name or "create" in name else None
    response = client.get(target or url(name, lead, structure))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", READ + WRITE)
def test_another_coach_gets_not_found(client, name, other_coach, project, lead, structure):
    client.force_login(other_coach)
    assert client.get(url(name, lead, structure)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ONLY)
def test_another_coach_cannot_archive_or_restore(
    client, name, other_coach, project, lead, structure
):
    client.force_login(other_coach)
    assert client.post(url(name, lead, structure)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", READ + WRITE)
def test_a_user_without_role_gets_not_found(client, name, no_role_user, project, lead, structure):
    client.force_login(no_role_user)
    assert client.get(url(name, lead, structure)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "coach"])
@pytest.mark.parametrize("name", WRITE + ["person-create", "organisation-create"])
def test_readers_may_not_open_the_forms(client, request, persona, name, project, lead, structure):
    client.force_login(request.getfixturevalue(persona))
    target = reverse(f"contacts:{name}") if "create" in name else url(name, lead, structure)
    assert client.get(target).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "coach"])
@pytest.mark.parametrize("name", POST_ONLY)
def test_readers_may_not_archive(client, request, persona, name, project, lead, structure):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url(name, lead, structure)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ONLY)
def test_archiving_needs_a_post(client, officer, name, project, lead, structure):
    client.force_login(officer)
    assert client.get(url(name, lead, structure)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "manager", "coach"])
def test_readers_see_the_person_page_without_edit_buttons(client, request, persona, project, lead):
    client.force_login(request.getfixturevalue(persona))
    content = client.get(lead.get_absolute_url()).content.decode()
    assert "Léa MARTIN" in content and "lea.martin@exemple.fr" in content
    assert "Atelier vélo des Bords de Marne" in content and "Vélo Solidaire" in content
    assert ("Modifier" in content) is (persona == "officer")
    assert ("Archiver" in content) is (persona == "officer")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "manager", "coach"])
def test_readers_see_the_organisation_page(client, request, persona, project, structure):
    client.force_login(request.getfixturevalue(persona))
    content = client.get(structure.get_absolute_url()).content.decode()
    assert "Vélo Solidaire" in content and "73282932000074" in content
    assert "Léa Martin" in content and "Atelier vélo des Bords de Marne" in content
    assert ("Modifier" in content) is (persona == "officer")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["person-edit", "person-merge", "organisation-edit", "organisation-merge"]
)
def test_officers_open_the_forms(client, officer, name, project, lead, structure):
    client.force_login(officer)
    response = client.get(url(name, lead, structure))
    assert response.status_code == 200
    assert lead.full_name in response.content.decode() or structure.name in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_a_coach_sees_only_their_projects_on_a_shared_persons_page(
    client, coach, project, lead, other_coach
):
    from tests.factories import ProjectFactory

    ProjectFactory(name="Projet d'un collègue", coach=other_coach, lead=lead)
    client.force_login(coach)
    content = client.get(lead.get_absolute_url()).content.decode()
    assert "Atelier vélo des Bords de Marne" in content
    assert "Projet d'un collègue" not in content
