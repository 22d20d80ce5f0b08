"""The board's moves: the card's menu posts, the board comes back with a toast offering to
undo the move; htmx swaps the same page's board and toast; history keeps both moves."""

import pytest
from django.urls import reverse

from crm.models import StageChange
from tests.factories import ProjectFactory

URL = reverse("crm:project-board")


@pytest.fixture
def project(coach):
    """A project of `coach`'s in the first stage."""
    return ProjectFactory(name="Atelier vélo des Bords de Marne", coach=coach, stage="idea")


def _move(client, project, stage, **extra):
    return client.post(
        reverse("crm:project-move", args=[project.pk]),
        {"stage": stage, "board": "1", "next": URL, **extra},
        follow=True,
    )


@pytest.mark.django_db
def test_a_card_moved_from_the_board_comes_back_in_its_new_column_with_an_undo(
    client, coach, project
):
    client.force_login(coach)
    response = _move(client, project, "launch")
    content = response.content.decode()
    assert response.redirect_chain == [(URL, 302)]
    launch = {c["stage"]: c for c in response.context["columns"]}["launch"]
    assert [card.pk for card in launch["cards"]] == [project.pk]
    assert "passe de Idée à Lancement" in content
    assert 'name="undo" value="1"' in content
    # The toast is told once: the next visit of the board shows none.
    assert "passe de" not in client.get(URL).content.decode()


@pytest.mark.django_db
def test_undo_moves_the_card_back_and_the_history_keeps_both_moves(client, coach, project):
    client.force_login(coach)
    _move(client, project, "launch")
    response = _move(client, project, "idea", undo="1")
    content = response.content.decode()
    assert "Déplacement annulé" in content and 'name="undo"' not in content
    project.refresh_from_db()
    assert project.stage == "idea"
    moves = StageChange.objects.filter(project=project).order_by("at", "pk")
    assert [(m.from_stage, m.to_stage) for m in moves][-2:] == [
        ("idea", "launch"),
        ("launch", "idea"),
    ]
    timeline = client.get(project.get_absolute_url()).content.decode()
    assert "Idée → Lancement" in timeline and "Lancement → Idée" in timeline


@pytest.mark.django_db
def test_a_refused_move_is_told_in_the_toast_and_changes_nothing(client, coach, project):
    client.force_login(coach)
    response = _move(client, project, "idea")
    assert "Déplacement refusé" in response.content.decode()
    assert StageChange.objects.filter(project=project).count() == 1


@pytest.mark.django_db
def test_each_card_has_one_menu_and_the_columns_count_by_status(client, officer, project):
    client.force_login(officer)
    content = client.get(URL).content.decode()
    assert content.count('class="move-menu"') == 1
    assert content.count('class="menu-item"') == 4
    assert "1 candidature" in content or "1 en accompagnement" in content


@pytest.mark.django_db
def test_the_page_loads_htmx_from_our_static_files_configured_for_the_csp(client, officer):
    client.force_login(officer)
    content = client.get(URL).content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in content
    assert '"includeIndicatorStyles":false' in content and '"allowEval":false' in content
