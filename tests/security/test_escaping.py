"""Names and summaries holding HTML are shown as text on every existing page."""

import pytest
from django.urls import reverse

from crm.projects.services import project_move
from tests.factories import PersonFactory, ProjectFactory
from tests.security.helpers import XSS_HTML, XSS_NAME, assert_shown_as_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_project(coach):
    lead = PersonFactory(first_name=XSS_HTML, last_name=XSS_NAME)
    return ProjectFactory(name=XSS_NAME, summary=XSS_HTML, coach=coach, lead=lead)


def test_the_project_list_shows_html_in_names_as_text(client, officer, hostile_project):
    client.force_login(officer)
    assert_shown_as_text(client.get(reverse("crm:project-list")), XSS_NAME, XSS_HTML)


def test_the_coach_home_shows_a_hostile_project_name_as_text(client, coach, hostile_project):
    client.force_login(coach)
    assert_shown_as_text(client.get(reverse("crm:home")), XSS_NAME)


def test_the_admin_changelists_and_forms_show_hostile_values_as_text(
    client, admin_user, hostile_project
):
    client.force_login(admin_user)
    person = hostile_project.members.get().person
    for url in (
        reverse("admin:crm_project_changelist"),
        reverse("admin:contacts_person_changelist"),
    ):
        assert_shown_as_text(client.get(url), XSS_NAME)
    change = client.get(reverse("admin:crm_project_change", args=[hostile_project.pk]))
    assert_shown_as_text(change, XSS_NAME, XSS_HTML)
    assert_shown_as_text(
        client.get(reverse("admin:contacts_person_change", args=[person.pk])), XSS_NAME
    )


def test_the_history_page_shows_hostile_values_as_text(client, officer, hostile_project):
    project_move(project=hostile_project, by=officer, stage="launch")
    hostile_project.summary = XSS_NAME
    hostile_project.save()
    client.force_login(officer)
    url = reverse(
        "security:history",
        kwargs={"app_label": "crm", "model_name": "project", "pk": hostile_project.pk},
    )
    assert_shown_as_text(client.get(url), XSS_NAME, XSS_HTML)


def test_the_access_log_shows_a_hostile_username_as_text(client, officer):
    client.post(reverse("login"), {"username": XSS_NAME, "password": "wrong"})
    client.force_login(officer)
    assert_shown_as_text(client.get(reverse("security:access-log")), XSS_NAME)
