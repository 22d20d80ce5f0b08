"""Next steps on their own: created without a meeting, reassigned, postponed with a reason,
done and undone, one by one or several at once; each change reaches the project's
timeline, and the actions list filters by owner, due date and project."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followups import services
from followups.models import Action, ActionChange
from tests.factories import ActionFactory, ProjectFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 1, 15)


def _timeline(client, project) -> str:
    return client.get(reverse("crm:project-detail", args=[project.pk])).content.decode()


def test_a_coach_sets_a_step_on_their_project_without_a_meeting(client, coach, project):
    client.force_login(coach)
    url = reverse("followups:project-action-create", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "Envoyer les statuts", "owner": coach.pk, "due_on": "15/01/2027"}
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Envoyer les statuts")
    assert action.meeting is None and action.due_on == DUE and action.owner == coach
    assert "Envoyer les statuts" in _timeline(client, project)


def test_a_step_from_my_work_names_its_project_among_those_the_user_sees(
    client, coach, other_coach, project
):
    elsewhere = ProjectFactory(coach=other_coach)
    client.force_login(coach)
    url = reverse("followups:action-create")
    data = {"title": "Appeler la banque", "owner": coach.pk, "due_on": "2027-01-15"}
    refused = client.post(url, {**data, "project": elsewhere.pk})
    assert refused.status_code == 200 and not Action.objects.exists()
    assert client.post(url, {**data, "project": project.pk}).status_code == 302
    assert Action.objects.get().project == project


def test_a_manager_may_not_set_a_step(manager, project):
    with pytest.raises(PermissionDenied):
        services.action_create(project=project, title="x", owner=manager, due_on=DUE, by=manager)


def test_postponing_needs_a_reason_and_a_later_day_and_tells_the_timeline(client, coach, project):
    action = ActionFactory(project=project, owner=coach, due_on=datetime.date(2026, 12, 1))
    client.force_login(coach)
    url = reverse("followups:action-postpone", args=[action.pk])
    page = client.get(url)
    version = page.context["form"].initial["version"]
    response = client.post(url, {"due_on": "2027-01-15", "reason": "  ", "version": version})
    assert response.status_code == 200
    assert "Dites pourquoi" in response.content.decode() or "obligatoire" in (
        response.content.decode()
    )
    earlier = client.post(url, {"due_on": "2026-11-01", "reason": "x", "version": version})
    assert "doit suivre" in earlier.content.decode()
    ok = client.post(url, {"due_on": "2027-01-15", "reason": "Banque en congé", "version": version})
    assert ok.status_code == 302
    action.refresh_from_db()
    assert action.due_on == DUE
    timeline = _timeline(client, project)
    assert "Action reportée" in timeline and "Banque en congé" in timeline
    assert "01/12/2026" in timeline and "15/01/2027" in timeline


def test_reassigning_gives_the_step_to_someone_else_and_says_so(client, coach, officer, project):
    action = ActionFactory(project=project, owner=coach)
    client.force_login(coach)
    url = reverse("followups:action-reassign", args=[action.pk])
    version = client.get(url).context["form"].initial["version"]
    assert client.post(url, {"owner": officer.pk, "version": version}).status_code == 302
    action.refresh_from_db()
    assert action.owner == officer
    timeline = _timeline(client, project)
    assert "Action réattribuée" in timeline and f"{coach} → {officer}" in timeline


def test_a_step_cannot_go_to_a_coach_of_another_project(coach, other_coach, project):
    action = ActionFactory(project=project, owner=coach)
    with pytest.raises(ValidationError):
        services.action_reassign(action=action, owner=other_coach, by=coach)


def test_done_then_undone(client, coach, project):
    action = ActionFactory(project=project, owner=coach)
    client.force_login(coach)
    client.post(reverse("followups:action-done", args=[action.pk]))
    action.refresh_from_db()
    assert action.done_on is not None
    assert client.post(reverse("followups:action-reopen", args=[action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.done_on is None
    kinds = list(ActionChange.objects.filter(action=action).values_list("kind", flat=True))
    assert sorted(kinds) == ["done", "reopened"]
    timeline = _timeline(client, project)
    assert "Action faite" in timeline and "Action rouverte" in timeline


def test_bulk_done_marks_only_what_the_user_may_change(client, coach, other_coach, project):
    mine = ActionFactory.create_batch(2, project=project, owner=coach)
    theirs = ActionFactory(project=ProjectFactory(coach=other_coach), owner=other_coach)
    client.force_login(coach)
    response = client.post(
        reverse("followups:actions-done"),
        {"actions": [a.pk for a in mine] + [theirs.pk, "junk", "9" * 30]},
    )
    assert response.status_code == 302
    assert Action.objects.filter(pk__in=[a.pk for a in mine], done_on__isnull=False).count() == 2
    theirs.refresh_from_db()
    assert theirs.done_on is None


def test_the_list_filters_by_owner_due_date_and_project(client, officer, coach, project):
    other = ProjectFactory(coach=coach)
    ActionFactory(project=project, owner=coach, title="Alpha", due_on=datetime.date(2026, 12, 1))
    ActionFactory(project=other, owner=officer, title="Beta", due_on=datetime.date(2027, 3, 1))
    client.force_login(officer)
    url = reverse("followups:action-list")

    def titles(**params):
        table = client.get(url, params).context["table"]
        return [row.record.title for row in table.paginated_rows]

    assert titles() == ["Alpha", "Beta"]
    assert titles(owner=officer.pk) == ["Beta"]
    assert titles(project=project.pk) == ["Alpha"]
    assert titles(due_from="2027-01-01") == ["Beta"]
    assert titles(due_to="2026-12-31") == ["Alpha"]


def test_a_coach_lists_only_the_steps_of_their_projects(client, coach, other_coach, project):
    ActionFactory(project=project, owner=coach, title="Mine")
    ActionFactory(project=ProjectFactory(coach=other_coach), title="Theirs")
    client.force_login(coach)
    content = client.get(reverse("followups:action-list")).content.decode()
    assert "Mine" in content and "Theirs" not in content
    assert str(other_coach) not in content


@pytest.mark.parametrize("persona", ["officer", "coach"])
def test_the_actions_list_runs_a_fixed_number_of_queries(
    client, persona, request, coach, project, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("followups:action-list")
    ActionFactory.create_batch(3, project=project, owner=coach)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    ActionFactory.create_batch(30, project=project, owner=coach)
    # session, user, roles, count, the page's rows with project and owner joined, the
    # owner filter's choices: none per row.
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
