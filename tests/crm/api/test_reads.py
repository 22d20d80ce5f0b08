"""Read endpoints: the pages' scoping, filters and note visibility, cursor pages, the
incremental sync, and query counts that do not grow with the data."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from crm.models import AccessEvent, AccessEventKind
from followups.models import MeetingNote, NoteVisibility
from tests.factories import ActionFactory, MeetingFactory, ProjectFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "projects",
    "stage-changes",
    "people",
    "organisations",
    "meetings",
    "actions",
    "events",
    "attendances",
    "applications",
    "measures",
]


def _names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_a_coach_reads_only_their_projects_and_gets_404_on_another(api, coach, other_coach):
    mine = ProjectFactory(coach=coach, name="Mine")
    theirs = ProjectFactory(coach=other_coach, name="Theirs")
    client = api(coach)
    assert _names(client.get("/api/v1/projects/")) == ["Mine"]
    assert client.get(f"/api/v1/projects/{mine.pk}/").json()["coach"] == coach.pk
    assert client.get(f"/api/v1/projects/{theirs.pk}/").status_code == 404
    meeting = MeetingFactory(project=theirs)
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404


def test_the_list_pages_filters_and_search_apply(api, officer):
    ProjectFactory(name="Vélo solidaire", stage="launch")
    ProjectFactory(name="Épicerie", stage="idea")
    client = api(officer)
    assert _names(client.get("/api/v1/projects/?stage=launch")) == ["Vélo solidaire"]
    assert _names(client.get("/api/v1/projects/?search=Épic")) == ["Épicerie"]
    assert _names(client.get("/api/v1/projects/?ordering=-name")) == ["Épicerie", "Vélo solidaire"]
    assert client.get("/api/v1/projects/?stage=nowhere").status_code == 400


def test_internal_notes_reach_officers_only(api, officer, coach, manager, project):
    meeting = MeetingFactory(project=project)
    for visibility in NoteVisibility.values:
        MeetingNote.objects.create(
            meeting=meeting, text=f"note {visibility}", visibility=visibility
        )
    seen = {}
    for user in (officer, coach, manager):
        body = api(user).get("/api/v1/meetings/").json()["results"][0]
        seen[user.username] = sorted(note["visibility"] for note in body["notes"])
    assert seen["officer_a"] == ["entrepreneur", "internal", "provider"]
    assert seen["coach_a"] == seen["manager_a"] == ["entrepreneur", "provider"]


def test_cursor_pages_walk_every_row_once(api, officer):
    for n in range(5):
        ProjectFactory(name=f"Projet {n}")
    client = api(officer)
    url, names = "/api/v1/projects/?page_size=2", []
    while url:
        body = client.get(url).json()
        names += [row["name"] for row in body["results"]]
        url = body["next"]
    assert names == [f"Projet {n}" for n in range(5)]


def test_syncing_twice_with_updated_since_gets_only_what_changed(api, officer):
    client = api(officer)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, tzinfo=datetime.UTC), tick=False):
        first = ProjectFactory(name="Premier")
        ProjectFactory(name="Second")
        action = ActionFactory(project=first)
    synced_at = "2026-11-02T09:00:00Z"
    assert _names(client.get("/api/v1/projects/?updated_since=2026-11-01T00:00:00Z")) == [
        "Premier",
        "Second",
    ]
    with time_machine.travel(datetime.datetime(2026, 11, 3, 8, tzinfo=datetime.UTC), tick=False):
        first.summary = "Changé"
        first.save()
        action.title = "Relancer la banque"
        action.save()
        ProjectFactory(name="Troisième")
    assert _names(client.get(f"/api/v1/projects/?updated_since={synced_at}")) == [
        "Premier",
        "Troisième",
    ]
    actions = client.get(f"/api/v1/actions/?updated_since={synced_at}").json()["results"]
    assert [row["title"] for row in actions] == ["Relancer la banque"]
    assert client.get("/api/v1/projects/?updated_since=yesterday").status_code == 400


def test_reads_of_personal_data_make_one_access_log_line_per_token_and_day(api, officer, project):
    client = api(officer)
    for _ in range(3):
        client.get("/api/v1/people/")
    client.get("/api/v1/organisations/")  # no personal data
    line = AccessEvent.objects.get(kind=AccessEventKind.API_READ)
    assert (line.user, line.api_token, line.reads) == (officer, client.token, 3)
    assert line.at.date() == timezone.now().date()


def _data(size, coach, officer):
    for _ in range(size):
        project = ProjectFactory(coach=coach, officer=officer)
        meeting = MeetingFactory(project=project)
        MeetingNote.objects.create(meeting=meeting, text="n", visibility=NoteVisibility.PROVIDER)
        ActionFactory(project=project, meeting=meeting)


# Per list: the token and its user (1), the roles (1), the page (1), its prefetches (at
# most 3: themes, notes, participants), the access-log line (at most 2). Savepoints aside.
@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize("who", ["officer", "coach"])
def test_list_endpoints_run_a_fixed_number_of_queries(
    api, coach, officer, who, size, django_assert_max_num_queries
):
    _data(size, coach, officer)
    client = api({"officer": officer, "coach": coach}[who])
    for name in LISTS:
        with django_assert_max_num_queries(9):
            response = client.get(f"/api/v1/{name}/")
        assert response.status_code == 200, name


def test_the_access_log_page_shows_the_days_count_of_api_reads(api, client, officer, project):
    token_client = api(officer)
    token_client.get("/api/v1/people/")
    token_client.get("/api/v1/people/")
    client.force_login(officer)
    page = client.get("/access-log/?kind=api_read")
    assert page.status_code == 200
    row = page.context["table"].rows[0]
    assert row.get_cell("reads") == 2
    assert "BI" in row.get_cell("detail")
