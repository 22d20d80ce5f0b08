"""Who may read, list, export and log meetings; internal notes stay with the officers."""

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory, ProjectFactory
from tests.followups.conftest import INTERNAL, SHARED

pytestmark = pytest.mark.django_db


def _urls(meeting):
    project = meeting.project.pk
    return {
        "detail": reverse("followups:meeting-detail", args=[meeting.pk]),
        "edit": reverse("followups:meeting-edit", args=[meeting.pk]),
        "project_list": reverse("followups:project-meetings", args=[project]),
        "project_export": reverse("followups:project-meetings", args=[project]) + "?export=csv",
        "create": reverse("followups:meeting-create", args=[project]),
    }


@pytest.mark.parametrize("name", ["detail", "edit", "project_list", "project_export", "create"])
def test_anonymous_is_sent_to_login(client, meeting, name):
    response = client.get(_urls(meeting)[name])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["detail", "edit", "project_list", "project_export", "create"])
def test_coach_cannot_reach_another_coachs_meetings(client, other_coach, meeting, name):
    client.force_login(other_coach)
    assert client.get(_urls(meeting)[name]).status_code == 404


def test_coach_cannot_add_a_meeting_on_another_coachs_project(client, other_coach, project):
    client.force_login(other_coach)
    url = reverse("followups:meeting-create", args=[project.pk])
    response = client.post(url, {"start": "2026-11-02T10:00", "duration_minutes": 60})
    assert response.status_code == 404
    assert not project.meetings.exists()


def test_global_list_and_export_leave_out_another_coachs_meetings(client, other_coach, meeting):
    MeetingFactory(project=ProjectFactory(name="Compost de Sucy", coach=other_coach))
    client.force_login(other_coach)
    listing = client.get(reverse("followups:meeting-list")).content.decode()
    export = client.get(reverse("followups:meeting-list"), {"export": "csv"}).content.decode()
    assert "Compost de Sucy" in listing and "Compost de Sucy" in export
    assert meeting.project.name not in listing and meeting.project.name not in export


def test_manager_reads_meetings_but_cannot_log_one(client, manager, meeting):
    client.force_login(manager)
    urls = _urls(meeting)
    assert client.get(urls["detail"]).status_code == 200
    page = client.get(urls["project_list"]).content.decode()
    assert "Consigner un rendez-vous" not in page
    assert client.get(urls["create"]).status_code == 403
    assert client.get(urls["edit"]).status_code == 403


def test_owner_coach_reads_and_logs_on_their_project(client, coach, meeting):
    client.force_login(coach)
    urls = _urls(meeting)
    assert "Budget revu ensemble." in client.get(urls["detail"]).content.decode()
    assert "Consigner un rendez-vous" in client.get(urls["project_list"]).content.decode()
    assert client.get(urls["create"]).status_code == 200


@pytest.mark.parametrize("persona", ["coach", "manager"])
def test_internal_notes_never_reach_coaches_or_managers(client, request, persona, meeting):
    client.force_login(request.getfixturevalue(persona))
    urls = _urls(meeting)
    bodies = [
        client.get(urls["detail"]).content.decode(),
        client.get(urls["project_list"]).content.decode(),
        client.get(urls["project_export"]).content.decode("utf-8-sig"),
        client.get(reverse("followups:meeting-list"), {"export": "csv"}).content.decode(
            "utf-8-sig"
        ),
        client.get(reverse("followups:meeting-list")).content.decode(),
    ]
    for body in bodies:
        assert INTERNAL not in body
    assert SHARED in bodies[0] and SHARED in bodies[2]


def test_officer_reads_internal_notes_on_screen_and_in_export(client, officer, meeting):
    client.force_login(officer)
    urls = _urls(meeting)
    assert INTERNAL in client.get(urls["detail"]).content.decode()
    assert INTERNAL in client.get(urls["project_export"]).content.decode("utf-8-sig")


def test_coach_cannot_write_an_internal_note(client, coach, project):
    client.force_login(coach)
    url = reverse("followups:meeting-create", args=[project.pk])
    response = client.post(
        url,
        {
            "start": "2026-11-02T10:00",
            "duration_minutes": 60,
            "format": "individual",
            "mode": "video",
            "time_kind": "individual",
            "note": "secret",
            "note_visibility": "internal",
            "steps-TOTAL_FORMS": 0,
            "steps-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Visibilité de la note" in response.content.decode()
    assert not project.meetings.exists()


def test_export_is_utf8_with_bom_and_semicolons(client, officer, meeting):
    client.force_login(officer)
    response = client.get(_urls(meeting)["project_export"])
    assert response.content.startswith("\ufeff".encode())
    assert "Date;Projet;Format" in response.content.decode("utf-8-sig")
