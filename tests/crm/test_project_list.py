import pytest
from django.urls import reverse

from crm.models import Project
from tests.factories import ProjectFactory, commune

URL = reverse("crm:project-list")


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_coach_lists_only_their_projects_and_choices(client, coach, other_coach, project):
    ProjectFactory(name="Compost de Sucy", coach=other_coach)
    client.force_login(coach)
    content = client.get(URL).content.decode()
    assert "Atelier vélo des Bords de Marne" in content
    assert "Compost de Sucy" not in content
    # The coach filter offers only the coach themselves, never a colleague.
    assert other_coach.get_full_name() not in content


@pytest.mark.django_db
def test_officer_lists_every_project_with_its_lead(client, officer, other_coach, project):
    ProjectFactory(name="Compost de Sucy", coach=other_coach)
    client.force_login(officer)
    content = client.get(URL).content.decode()
    assert "Atelier vélo des Bords de Marne" in content and "Compost de Sucy" in content
    assert project.members.get().person.last_name in content


@pytest.mark.django_db
def test_no_role_user_sees_an_empty_list(client, no_role_user, project):
    client.force_login(no_role_user)
    assert "Atelier vélo" not in client.get(URL).content.decode()


@pytest.mark.django_db
def test_filters_combine_and_stay_in_the_url(client, officer, project):
    ProjectFactory(name="Compost de Sucy", stage="launch", commune=commune("Sucy-en-Brie"))
    ProjectFactory(name="Compost de Créteil", stage="idea")
    client.force_login(officer)
    sucy = commune("Sucy-en-Brie")
    response = client.get(URL, {"q": "compost", "stage": ["launch"], "commune": sucy.pk})
    content = response.content.decode()
    assert "Compost de Sucy" in content
    assert "Compost de Créteil" not in content and "Atelier vélo" not in content
    # Sorting links keep the active filters.
    assert "q=compost" in content and "stage=launch" in content


@pytest.mark.django_db
def test_search_finds_a_project_by_its_entrepreneur(client, officer, project):
    lead = project.members.get().person
    client.force_login(officer)
    content = client.get(URL, {"q": lead.last_name.upper()}).content.decode()
    assert "Atelier vélo des Bords de Marne" in content


@pytest.mark.django_db
def test_entry_date_range(client, officer):
    import datetime

    ProjectFactory(name="Ancien projet", entry_date=datetime.date(2019, 5, 1))
    ProjectFactory(name="Projet récent", entry_date=datetime.date(2026, 5, 1))
    client.force_login(officer)
    content = client.get(URL, {"entry_from": "2025-01-01"}).content.decode()
    assert "Projet récent" in content and "Ancien projet" not in content


@pytest.mark.django_db
def test_page_size_is_chosen_among_the_offered_sizes(client, officer):
    ProjectFactory.create_batch(30)
    client.force_login(officer)
    assert "1–25 sur 30 résultats" in client.get(URL).content.decode()
    assert "1–30 sur 30 résultats" in client.get(URL, {"per_page": 50}).content.decode()
    # An arbitrary size cannot make the server render a huge page.
    assert "1–25 sur 30 résultats" in client.get(URL, {"per_page": 100000}).content.decode()


@pytest.mark.django_db
def test_archived_projects_leave_the_list(client, officer, project):
    from django.utils import timezone

    project.archived_at = timezone.now()
    project.save()
    client.force_login(officer)
    assert "Atelier vélo des Bords de Marne" not in client.get(URL).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "coach"])
def test_list_runs_a_fixed_number_of_queries(
    client, request, persona, coach, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    ProjectFactory.create_batch(3, coach=coach)
    with django_assert_max_num_queries(20) as small:
        client.get(URL, {"sort": "-commune"})
    ProjectFactory.create_batch(40, coach=coach)
    # session, user, roles, count, page rows (lead name in a subquery), filter choices:
    # none of them per row.
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL, {"sort": "-commune"})


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["-commune", "commune", "name", "-entry_date"])
def test_pages_list_every_project_once_in_the_sorted_order(client, officer, sort):
    # The list reads a page's keys first, then their rows: the pages must still follow
    # the order, with nothing repeated or skipped across them.
    names = ["Créteil", "Alfortville", "Villecresnes", "Sucy-en-Brie"]
    for number in range(30):
        ProjectFactory(
            name=f"Projet {number:02d}",
            commune=commune(names[number % 4]) if number % 5 else None,
        )
    client.force_login(officer)
    shown = []
    for page in (1, 2):
        table = client.get(URL, {"sort": sort, "page": page}).context["table"]
        shown += [row.record for row in table.page.object_list]
    key = {"-commune": "-commune__name", "commune": "commune__name"}.get(sort, sort)
    expected = list(Project.objects.order_by(key, "pk"))
    assert shown == expected
