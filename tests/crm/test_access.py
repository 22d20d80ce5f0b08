"""visible_to(user) decides what each role may see; everything else goes through it."""

import datetime

import pytest

from contacts.models import Organisation, Person
from crm.models import Project, ProjectMeasure, ProjectMember, StageChange
from tests.factories import OrganisationFactory, ProjectFactory


@pytest.fixture
def two_projects(project, other_coach):
    organisation = OrganisationFactory(name="Vélos solidaires")
    project.organisation = organisation
    project.save()
    others = ProjectFactory(name="Compost de Sucy", coach=other_coach)
    for p in (project, others):
        ProjectMeasure.objects.create(
            project=p, measured_on=datetime.date(2025, 12, 31), kind="yearly", jobs_permanent=2
        )
    return project, others


@pytest.mark.django_db
def test_officer_and_manager_see_every_project(two_projects, officer, manager):
    for user in (officer, manager):
        assert set(Project.objects.visible_to(user)) == set(two_projects)
        assert StageChange.objects.visible_to(user).count() == 2
        assert ProjectMeasure.objects.visible_to(user).count() == 2
        assert Person.objects.visible_to(user).count() == 2
        assert ProjectMember.objects.visible_to(user).count() == 2


@pytest.mark.django_db
def test_coach_sees_only_the_projects_assigned_to_them(two_projects, coach):
    mine, others = two_projects
    assert list(Project.objects.visible_to(coach)) == [mine]
    assert {c.project for c in StageChange.objects.visible_to(coach)} == {mine}
    assert {m.project for m in ProjectMeasure.objects.visible_to(coach)} == {mine}
    assert {m.project for m in ProjectMember.objects.visible_to(coach)} == {mine}
    assert list(Person.objects.visible_to(coach)) == [mine.members.get().person]
    assert list(Organisation.objects.visible_to(coach)) == [mine.organisation]


@pytest.mark.django_db
def test_other_coach_does_not_see_a_colleagues_project(two_projects, other_coach):
    mine, others = two_projects
    assert list(Project.objects.visible_to(other_coach)) == [others]
    assert mine.members.get().person not in Person.objects.visible_to(other_coach)


@pytest.mark.django_db
def test_user_without_role_and_anonymous_see_nothing(two_projects, no_role_user):
    from django.contrib.auth.models import AnonymousUser

    for user in (no_role_user, AnonymousUser()):
        assert not Project.objects.visible_to(user).exists()
        assert not StageChange.objects.visible_to(user).exists()
        assert not Person.objects.visible_to(user).exists()
        assert not Organisation.objects.visible_to(user).exists()


@pytest.mark.django_db
def test_deactivated_coach_sees_nothing(two_projects, coach):
    coach.is_active = False
    coach.save()
    assert not Project.objects.visible_to(coach).exists()


@pytest.mark.django_db
def test_superuser_sees_everything(two_projects):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert Project.objects.visible_to(admin).count() == 2
