"""Workshops: who sees them, registrations, attendance, the printable sheet, cohorts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followups import services
from followups.models import Attendance, Cohort
from tests.factories import EventFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_coach_sees_only_events_of_their_projects_or_cohorts(client, coach, other_coach, project):
    mine = EventFactory(title="Atelier des miens")
    EventFactory(title="Atelier des autres")
    Attendance.objects.create(event=mine, person=project.people.get(), project=project)
    client.force_login(coach)
    content = client.get(reverse("followups:event-list")).content.decode()
    assert "Atelier des miens" in content and "Atelier des autres" not in content
    client.force_login(other_coach)
    assert client.get(reverse("followups:event-detail", args=[mine.pk])).status_code == 404


def test_officer_registers_and_records_attendance(client, officer, project):
    event = EventFactory(capacity=10)
    person = project.people.get()
    client.force_login(officer)
    client.post(
        reverse("followups:event-register", args=[event.pk]),
        {"person": person.pk, "project": project.pk, "status": "registered"},
    )
    attendance = Attendance.objects.get(event=event)
    assert attendance.project == project
    client.post(
        reverse("followups:event-attendance", args=[event.pk]),
        {f"status-{attendance.pk}": "attended"},
    )
    attendance.refresh_from_db()
    assert attendance.status == "attended"


def test_coach_and_manager_cannot_record_attendance(coach, manager, project):
    event = EventFactory()
    for user in (coach, manager):
        with pytest.raises(PermissionDenied):
            services.attendance_record(event=event, person=project.people.get(), by=user)


def test_a_full_event_refuses_a_new_registration(officer):
    event = EventFactory(capacity=1)
    services.attendance_record(event=event, person=PersonFactory(), by=officer)
    with pytest.raises(ValidationError) as error:
        services.attendance_record(event=event, person=PersonFactory(), by=officer)
    assert "complet" in str(error.value)


def test_printable_sheet_lists_people_with_a_signature_column(client, officer, project):
    event = EventFactory(title="Atelier SCIC")
    person = project.people.get()
    services.attendance_record(event=event, person=person, project=project, by=officer)
    client.force_login(officer)
    content = client.get(reverse("followups:event-sheet", args=[event.pk])).content.decode()
    assert "Feuille d'émargement" in content and "Signature" in content
    assert person.last_name.upper() in content and "data-print" in content


def test_manager_cannot_create_an_event(client, manager):
    client.force_login(manager)
    assert client.get(reverse("followups:event-create")).status_code == 403


def test_officer_creates_an_event(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("followups:event-create"),
        {
            "title": "Temps d'information AAP",
            "kind": "information",
            "start": "2026-12-03T14:00",
            "end": "2026-12-03T16:00",
            "capacity": "30",
        },
        follow=True,
    )
    assert "Temps d&#x27;information AAP" in response.content.decode()


def test_event_end_must_follow_start(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("followups:event-create"),
        {"title": "X", "kind": "workshop", "start": "2026-12-03T14:00", "end": "2026-12-03T13:00"},
    )
    assert "La fin doit être après le début." in response.content.decode()


def test_cohort_pages_are_scoped(client, coach, other_coach, project):
    cohort = Cohort.objects.create(
        name="Promotion printemps",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 9, 1),
    )
    cohort.projects.add(project)
    client.force_login(coach)
    assert "Promotion printemps" in client.get(reverse("followups:cohort-list")).content.decode()
    detail = client.get(reverse("followups:cohort-detail", args=[cohort.pk])).content.decode()
    assert project.name in detail
    client.force_login(other_coach)
    assert client.get(reverse("followups:cohort-detail", args=[cohort.pk])).status_code == 404


def test_event_list_runs_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    EventFactory.create_batch(3)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("followups:event-list"))
    EventFactory.create_batch(30)
    ProjectFactory()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("followups:event-list"))
