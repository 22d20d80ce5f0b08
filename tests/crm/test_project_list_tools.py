"""The project list's tools: columns remembered per user, saved views as query strings,
status badges, bulk actions through the services and their permissions."""

import pytest
from django.urls import reverse

from crm.models import ListPreference, StageChange
from tests.factories import CoachFactory, ProjectFactory

URL = reverse("crm:project-list")


@pytest.mark.django_db
def test_hidden_columns_are_remembered_for_the_user_only(client, officer, manager, project):
    client.force_login(officer)
    shown = ["stage", "status", "coach"]
    response = client.post(
        reverse("crm:project-list-columns"), {"column": shown, "next": URL}, follow=True
    )
    columns = [column.name for column in response.context["table"].columns]
    assert columns == ["select", "name", "stage", "status", "coach"]
    assert ListPreference.objects.get(user=officer).hidden_columns == [
        "lead",
        "commune",
        "entry_date",
    ]
    client.force_login(manager)
    columns = [column.name for column in client.get(URL).context["table"].columns]
    assert "commune" in columns and "select" not in columns


@pytest.mark.django_db
def test_a_saved_view_is_a_named_query_string_listed_as_a_link(client, coach, project):
    client.force_login(coach)
    client.post(
        reverse("crm:project-view-save"),
        {"name": "Mes lancements", "query": "stage=launch", "next": URL},
    )
    content = client.get(URL).content.decode()
    assert 'href="/projects/?stage=launch"' in content and "Mes lancements" in content
    # The built-in view: the coach's projects in accompaniment silent for 60 days.
    assert f"coach={coach.pk}&amp;status=active&amp;no_meeting_days=60" in content
    client.post(
        reverse("crm:project-view-save"), {"name": "Mes lancements", "delete": "1", "next": URL}
    )
    assert 'href="/projects/?stage=launch"' not in client.get(URL).content.decode()


@pytest.mark.django_db
def test_a_view_without_a_name_is_refused_with_a_message_naming_the_field(client, coach):
    client.force_login(coach)
    response = client.post(
        reverse("crm:project-view-save"), {"name": " ", "query": "stage=launch"}, follow=True
    )
    assert "Nom de la vue" in response.content.decode()
    assert not ListPreference.objects.filter(user=coach).exists()


@pytest.mark.django_db
def test_statuses_show_as_badges(client, officer, project):
    client.force_login(officer)
    assert f'class="badge status-{project.status}"' in client.get(URL).content.decode()


@pytest.mark.django_db
def test_officer_assigns_a_coach_to_the_selected_projects(client, officer, coach, project):
    other = ProjectFactory(name="Compost de Sucy")
    new_coach = CoachFactory(username="coach_new", first_name="Nadia")
    client.force_login(officer)
    client.post(
        reverse("crm:project-bulk"),
        {"action": "assign", "coach": new_coach.pk, "pk": [project.pk, other.pk]},
    )
    project.refresh_from_db()
    other.refresh_from_db()
    assert project.coach == new_coach and other.coach == new_coach
    # The history keeps who did it.
    assert project.history.first().history_user == officer


@pytest.mark.django_db
def test_coach_cannot_assign_and_moves_only_their_own_projects(client, coach, other_coach, project):
    theirs = ProjectFactory(name="Compost de Sucy", coach=other_coach, stage="idea")
    project.stage = "idea"
    project.save()
    client.force_login(coach)
    response = client.post(
        reverse("crm:project-bulk"), {"action": "assign", "coach": coach.pk, "pk": [project.pk]}
    )
    assert response.status_code == 403
    client.post(
        reverse("crm:project-bulk"),
        {"action": "move", "stage": "launch", "pk": [project.pk, theirs.pk]},
    )
    project.refresh_from_db()
    theirs.refresh_from_db()
    assert project.stage == "launch" and theirs.stage == "idea"
    assert StageChange.objects.filter(project=project, to_stage="launch", by=coach).exists()


@pytest.mark.django_db
def test_export_of_the_selection_holds_only_the_selected_projects(client, officer, project):
    ProjectFactory(name="Compost de Sucy")
    client.force_login(officer)
    response = client.post(reverse("crm:project-bulk"), {"action": "export", "pk": [project.pk]})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert project.name in content and "Compost de Sucy" not in content
    assert "Sélection" not in content.splitlines()[0]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "coach"])
def test_list_with_views_and_columns_runs_a_fixed_number_of_queries(
    client, request, persona, coach, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    ListPreference.objects.create(
        user=user, list_name="projects", hidden_columns=["lead"], views=[{"name": "a", "query": ""}]
    )
    client.force_login(user)
    ProjectFactory.create_batch(3, coach=coach)
    with django_assert_max_num_queries(22) as small:
        client.get(URL)
    ProjectFactory.create_batch(40, coach=coach)
    # session, user, roles, the user's list preference, count, page rows, filter choices
    # (and the coaches of the bulk assignment for an officer): none per row.
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)
