import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import OrganisationLabel, PersonOrganisation
from tests.factories import OrganisationFactory, PersonFactory, ProjectFactory, commune

PEOPLE = reverse("contacts:person-list")
ORGANISATIONS = reverse("contacts:organisation-list")


@pytest.mark.django_db
def test_a_coach_lists_only_the_people_and_organisations_of_their_projects(
    client, coach, project, stranger
):
    client.force_login(coach)
    people = client.get(PEOPLE).content.decode()
    assert "MARTIN" in people and "DIALLO" not in people
    # The organisation filter is typed, not a list of every structure.
    assert "Compost Collectif" not in people
    by_name = client.get(PEOPLE, {"organisation": "compost"}).content.decode()
    assert "DIALLO" not in by_name
    organisations = client.get(ORGANISATIONS).content.decode()
    assert "Vélo Solidaire" in organisations and "Compost Collectif" not in organisations


@pytest.mark.django_db
def test_an_officer_lists_everyone_with_their_lead_project(client, officer, project, stranger):
    client.force_login(officer)
    content = client.get(PEOPLE).content.decode()
    assert "MARTIN" in content and "DIALLO" in content
    assert "Atelier vélo des Bords de Marne" in content and "Compost de Sucy" in content
    assert reverse("contacts:person-detail", args=[stranger.pk]) in content


@pytest.mark.django_db
def test_people_search_finds_names_emails_and_phones(client, officer, project, stranger):
    PersonFactory(first_name="Zoé", last_name="Petit", phone="06 11 22 33 44", email="")
    client.force_login(officer)
    assert "DIALLO" in client.get(PEOPLE, {"q": "omar@"}).content.decode()
    found = client.get(PEOPLE, {"q": "+3361122"}).content.decode()
    assert "PETIT" in found and "DIALLO" not in found
    found = client.get(PEOPLE, {"q": "06 11 22 33"}).content.decode()
    assert "PETIT" in found and "DIALLO" not in found
    found = client.get(PEOPLE, {"q": "léa mart"}).content.decode()
    assert "MARTIN" in found and "DIALLO" not in found


@pytest.mark.django_db
def test_people_filters_by_project_stage_commune_qpv_and_organisation(
    client, officer, project, stranger, structure
):
    PersonFactory(last_name="Sansprojet", commune=commune("Créteil"), lives_in_qpv=True)
    client.force_login(officer)
    by_stage = client.get(PEOPLE, {"project_stage": ["feasibility"]}).content.decode()
    assert "MARTIN" in by_stage and "SANSPROJET" not in by_stage
    assert "MARTIN" not in client.get(PEOPLE, {"project_status": ["exited"]}).content.decode()
    by_qpv = client.get(PEOPLE, {"lives_in_qpv": "true"}).content.decode()
    assert "SANSPROJET" in by_qpv and "MARTIN" not in by_qpv
    by_commune = client.get(PEOPLE, {"commune": commune("Créteil").pk}).content.decode()
    assert "SANSPROJET" in by_commune and "MARTIN" in by_commune and "DIALLO" not in by_commune
    by_organisation = client.get(PEOPLE, {"organisation": structure.name.upper()}).content.decode()
    assert "MARTIN" in by_organisation and "DIALLO" not in by_organisation


@pytest.mark.django_db
def test_organisations_filter_by_valid_label_and_identifier(client, officer, structure):
    today = timezone.localdate()
    OrganisationLabel.objects.create(
        organisation=structure, kind="esus", obtained_on=today - datetime.timedelta(days=10)
    )
    expired = OrganisationFactory(name="Ancienne EI")
    OrganisationLabel.objects.create(
        organisation=expired,
        kind="esus",
        obtained_on=datetime.date(2015, 1, 1),
        expires_on=datetime.date(2020, 1, 1),
    )
    client.force_login(officer)
    content = client.get(ORGANISATIONS, {"label": "esus"}).content.decode()
    assert "Vélo Solidaire" in content and "Ancienne EI" not in content
    assert "Agrément ESUS" in content
    content = client.get(ORGANISATIONS, {"q": "732 829 320"}).content.decode()
    assert "Vélo Solidaire" in content and "Ancienne EI" not in content


@pytest.mark.django_db
def test_archived_records_leave_the_lists_and_officers_can_show_them(
    client, officer, manager, project, lead
):
    lead.archived_at = timezone.now()
    lead.save()
    client.force_login(officer)
    assert "MARTIN" not in client.get(PEOPLE).content.decode()
    assert "MARTIN" in client.get(PEOPLE, {"archived": "1"}).content.decode()
    client.force_login(manager)
    content = client.get(PEOPLE, {"archived": "1"}).content.decode()
    assert "MARTIN" not in content and 'name="archived"' not in content


def _people_with_projects(count, coach):
    """`count` people, each leading a project of `coach` with their own labelled
    organisation."""
    for _ in range(count):
        person = PersonFactory(commune=commune())
        organisation = OrganisationFactory(commune=commune())
        ProjectFactory(coach=coach, lead=person, organisation=organisation)
        PersonOrganisation.objects.create(person=person, organisation=organisation)
        OrganisationLabel.objects.create(
            organisation=organisation, kind="esus", obtained_on=datetime.date(2024, 1, 1)
        )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "coach"])
@pytest.mark.parametrize("url", [PEOPLE, ORGANISATIONS])
def test_lists_run_a_fixed_number_of_queries(
    client, request, persona, url, coach, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    _people_with_projects(3, coach)
    with django_assert_max_num_queries(20) as small:
        client.get(url, {"sort": "-commune"})
    _people_with_projects(30, coach)
    # session, user, roles, count, page rows (counts and lead project in subqueries),
    # the labels prefetch, filter choices: none of them per row.
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, {"sort": "-commune"})
    assert "1–25 sur 33 résultats" in response.content.decode()


@pytest.mark.django_db
def test_people_sort_by_number_of_projects(client, officer, project, lead):
    PersonFactory(last_name="Sansprojet")
    ProjectFactory(coach=None).members.create(person=lead)
    client.force_login(officer)
    content = client.get(PEOPLE, {"sort": "-projects_count"}).content.decode()
    assert content.index("MARTIN") < content.index("SANSPROJET")


@pytest.mark.django_db
def test_phones_are_shown_the_french_way(client, officer):
    person = PersonFactory(last_name="Petit", phone="+33611223344")
    client.force_login(officer)
    assert "06 11 22 33 44" in client.get(PEOPLE).content.decode()
    assert "06 11 22 33 44" in client.get(person.get_absolute_url()).content.decode()
