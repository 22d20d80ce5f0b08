"""Search fields: the forms no longer list every record, and the search endpoints they call
offer only what the user may see."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from crm.models import ProjectMember
from tests.factories import OrganisationFactory, PersonFactory, ProjectFactory


def search(client, route, q):
    response = client.get(reverse(route), {"q": q})
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.mark.django_db
def test_people_search_finds_by_name_or_email_and_tells_namesakes_apart(client, officer):
    PersonFactory(first_name="Awa", last_name="Diallo", email="awa@exemple.fr")
    PersonFactory(first_name="Awa", last_name="Diallo", email="awa.d@autre.fr")
    PersonFactory(first_name="Jean", last_name="Martin", email="jm@exemple.fr")
    client.force_login(officer)
    assert search(client, "contacts:person-search", "diallo awa") == [
        "Awa Diallo (awa@exemple.fr)",
        "Awa Diallo (awa.d@autre.fr)",
    ]
    assert search(client, "contacts:person-search", "jm@exem") == ["Jean Martin (jm@exemple.fr)"]
    # One letter is not a search: it would match half the base.
    assert search(client, "contacts:person-search", "a") == []


@pytest.mark.django_db
def test_a_coach_searches_only_the_people_and_projects_they_follow(client, coach, project):
    # Names no generated lead can share (the project's own lead is followed too).
    mine = PersonFactory(last_name="Quabenali")
    ProjectMember.objects.create(project=project, person=mine, is_lead=False)
    PersonFactory(last_name="Quabenoit")
    ProjectFactory(name="Atelier couture")
    client.force_login(coach)
    assert [text.split(" (")[0] for text in search(client, "contacts:person-search", "quaben")] == [
        str(mine)
    ]
    assert search(client, "crm:project-search", "atelier") == [project.name]


@pytest.mark.django_db
def test_a_user_without_role_finds_nothing(client, no_role_user):
    PersonFactory(last_name="Benali")
    OrganisationFactory(name="Recyclerie")
    client.force_login(no_role_user)
    assert search(client, "contacts:person-search", "benali") == []
    assert search(client, "contacts:organisation-search", "recyc") == []


@pytest.mark.django_db
def test_search_answers_at_most_twenty_records(client, officer):
    OrganisationFactory.create_batch(25, name="Recyclerie")
    client.force_login(officer)
    assert len(search(client, "contacts:organisation-search", "recyc")) == 20


@pytest.mark.django_db
def test_the_creation_form_no_longer_lists_every_person_and_structure(client, officer):
    PersonFactory(first_name="Zoé", last_name="Quintal")
    OrganisationFactory(name="Coopérative Zèbre")
    client.force_login(officer)
    page = client.get(reverse("crm:project-create")).content.decode()
    assert "Quintal" not in page and "Zèbre" not in page
    assert reverse("contacts:person-search") in page


@pytest.mark.django_db
def test_a_chosen_person_is_shown_again_when_the_form_comes_back_with_an_error(client, officer):
    lead = PersonFactory(first_name="Zoé", last_name="Quintal")
    client.force_login(officer)
    response = client.post(
        reverse("crm:project-create"),
        {"name": "", "lead_mode": "existing", "lead_person": lead.pk, "organisation_mode": "none"},
    )
    assertContains(
        response,
        f'<option value="{lead.pk}" selected>Zoé Quintal</option>',
        status_code=400,
        html=True,
    )


@pytest.mark.django_db
def test_the_organisation_form_shows_its_members_in_a_fixed_number_of_queries(
    client, officer, django_assert_max_num_queries
):
    from contacts.models import PersonOrganisation

    structure = OrganisationFactory(name="Recyclerie")
    url = reverse("contacts:organisation-edit", args=[structure.pk])
    client.force_login(officer)
    PersonOrganisation.objects.create(person=PersonFactory(), organisation=structure)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(10):
        PersonOrganisation.objects.create(person=PersonFactory(), organisation=structure)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count(" selected>") >= 11
