"""The pipeline board: columns per stage, scoped and filtered cards, moves."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.models import StageChange
from crm.projects.services import project_move
from tests.factories import ProjectFactory, commune

URL = reverse("crm:project-board")


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_user_without_role_sees_an_empty_board(client, no_role_user, project):
    client.force_login(no_role_user)
    content = client.get(URL).content.decode()
    assert project.name not in content and "Déplacer" not in content


@pytest.mark.django_db
def test_coach_sees_only_their_cards(client, coach, other_coach, project):
    ProjectFactory(name="Compost de Sucy", coach=other_coach)
    client.force_login(coach)
    content = client.get(URL).content.decode()
    assert project.name in content and "Compost de Sucy" not in content
    assert 'class="move-menu"' in content


@pytest.mark.django_db
def test_manager_sees_every_card_but_no_move(client, manager, other_coach, project):
    ProjectFactory(name="Compost de Sucy", coach=other_coach)
    client.force_login(manager)
    content = client.get(URL).content.decode()
    assert project.name in content and "Compost de Sucy" in content
    assert 'class="move-menu"' not in content and "data-board>" not in content


@pytest.mark.django_db
def test_columns_count_cards_and_show_days_in_stage(client, officer, coach, project):
    ProjectFactory(name="Compost de Sucy", stage="launch")
    ProjectFactory(name="Café de Créteil", stage="launch", status="on_hold")
    # A status change inside the stage does not reset the days in stage.
    project_move(
        project=project,
        by=coach,
        stage="launch",
        at=timezone.now() - datetime.timedelta(days=12),
    )
    project_move(project=project, by=coach, status="on_hold")
    client.force_login(officer)
    response = client.get(URL)
    columns = {column["stage"]: column for column in response.context["columns"]}
    assert columns["launch"]["count"] == 3 and columns["feasibility"]["count"] == 0
    assert "12 jours dans cette étape" in response.content.decode()


@pytest.mark.django_db
def test_board_filters_like_the_list(client, officer, project):
    ProjectFactory(name="Compost de Sucy", commune=commune("Sucy-en-Brie"))
    client.force_login(officer)
    content = client.get(URL, {"commune": commune("Sucy-en-Brie").pk}).content.decode()
    assert "Compost de Sucy" in content and project.name not in content


@pytest.mark.django_db
def test_long_columns_link_to_the_rest_in_the_list(client, officer, settings):
    from crm.projects import selectors

    ProjectFactory.create_batch(selectors.BOARD_CARDS_PER_COLUMN + 3, stage="idea")
    client.force_login(officer)
    response = client.get(URL, {"q": "Épicerie"})
    content = response.content.decode()
    idea = response.context["columns"][0]
    assert len(idea["cards"]) == selectors.BOARD_CARDS_PER_COLUMN and idea["count"] == 53
    assert "voir les 3 autres dans la liste" in content
    assert "/projects/?q=%C3%89picerie&amp;stage=idea" in content


@pytest.mark.django_db
def test_the_card_form_moves_the_project_and_comes_back_to_the_board(client, coach, project):
    client.force_login(coach)
    response = client.post(
        reverse("crm:project-move", args=[project.pk]), {"stage": "launch", "next": URL}
    )
    assert response["Location"] == URL
    assert StageChange.objects.filter(project=project, to_stage="launch", by=coach).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "coach"])
def test_board_runs_a_fixed_number_of_queries(
    client, request, persona, coach, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    for stage in ("idea", "launch"):
        ProjectFactory.create_batch(2, coach=coach, stage=stage)
    with django_assert_max_num_queries(20) as small:
        client.get(URL, {"q": "Épicerie"})
    for stage in ("idea", "feasibility", "launch", "consolidation", "scale_up"):
        ProjectFactory.create_batch(12, coach=coach, stage=stage)
    # session, user, roles, counts per stage, cards (days in stage in a subquery),
    # filter choices: none per card.
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL, {"q": "Épicerie"})
