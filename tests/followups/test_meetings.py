"""Logging meetings with next steps, hours arithmetic and allocation warnings."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from crm.models import Project
from followups import selectors, services
from followups.models import Action, Meeting, TimeKind
from tests.factories import MeetingFactory, ProjectFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC)


def _form(**extra):
    data = {
        "start": "2026-11-02T10:00",
        "duration_minutes": "90",
        "format": "individual",
        "mode": "in_person",
        "place": "Maison de l'ESS",
        "time_kind": "individual",
        "summary": "Étude du prévisionnel.",
        "note_visibility": "provider",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "5",
    }
    data.update(extra)
    return data


def test_coach_logs_a_meeting_with_two_next_steps_in_one_form(client, coach, officer, project):
    client.force_login(coach)
    url = reverse("followups:meeting-create", args=[project.pk])
    response = client.post(
        url,
        _form(
            **{
                "steps-0-title": "Envoyer le budget",
                "steps-0-owner": coach.pk,
                "steps-0-due_on": "2026-11-10",
                "steps-1-title": "Contacter France Active",
                "steps-1-owner": officer.pk,
                "steps-1-due_on": "2026-11-20",
                # An untouched row (owner preselected) is ignored.
                "steps-2-owner": coach.pk,
            }
        ),
        follow=True,
    )
    meeting = Meeting.objects.get()
    assert meeting.led_by == coach and meeting.duration_minutes == 90
    assert sorted(meeting.actions.values_list("title", flat=True)) == [
        "Contacter France Active",
        "Envoyer le budget",
    ]
    content = response.content.decode()
    assert "Le rendez-vous est enregistré." in content
    assert "2 prochaine(s) étape(s) ajoutée(s)." in content


def test_a_half_filled_next_step_keeps_what_was_typed_and_names_the_field(client, coach, project):
    client.force_login(coach)
    url = reverse("followups:meeting-create", args=[project.pk])
    response = client.post(url, _form(**{"steps-0-title": "Envoyer le budget"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez l&#x27;échéance de cette étape." in content
    assert 'value="Envoyer le budget"' in content
    assert "Étude du prévisionnel." in content
    assert not Meeting.objects.exists()


def test_meeting_and_its_steps_are_saved_together_or_not_at_all(coach, project):
    steps = [services.NextStep(title="", owner=coach, due_on=datetime.date(2026, 11, 10))]
    with pytest.raises(ValidationError):
        services.meeting_log(
            project=project,
            by=coach,
            details=services.MeetingDetails(start=START, duration_minutes=60),
            next_steps=steps,
        )
    assert not Meeting.objects.exists() and not Action.objects.exists()


def test_service_refuses_a_coach_on_another_project_and_a_manager(other_coach, manager, project):
    with pytest.raises(Http404):
        services.meeting_log(
            project=project,
            by=other_coach,
            details=services.MeetingDetails(start=START, duration_minutes=60),
        )
    with pytest.raises(PermissionDenied):
        services.meeting_log(
            project=project,
            by=manager,
            details=services.MeetingDetails(start=START, duration_minutes=60),
        )


def test_duration_must_be_positive(coach, project):
    with pytest.raises(ValidationError) as error:
        services.meeting_log(
            project=project,
            by=coach,
            details=services.MeetingDetails(start=START, duration_minutes=0),
        )
    assert "duration_minutes" in error.value.message_dict


def test_hours_used_counts_individual_time_only(project, coach):
    from followups.models import Cohort

    cohort = Cohort.objects.create(
        name="Promotion 2026",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    MeetingFactory(project=project, duration_minutes=90)
    MeetingFactory(project=project, duration_minutes=45)
    MeetingFactory(
        project=project, duration_minutes=180, time_kind=TimeKind.COLLECTIVE, cohort=cohort
    )
    assert selectors.hours_used(project) == Decimal("2.25")
    annotated = selectors.with_hours_used(Project.objects.filter(pk=project.pk)).get()
    assert Decimal(annotated.hours_used).quantize(Decimal("0.01")) == Decimal("2.25")


def test_warning_when_the_allocation_nears_then_is_exceeded(coach, project):
    project.hours_allocated = Decimal(10)
    project.save()
    first = services.meeting_log(
        project=project,
        by=coach,
        details=services.MeetingDetails(start=START, duration_minutes=6 * 60),
    )
    assert first.warning == ""
    second = services.meeting_log(
        project=project,
        by=coach,
        details=services.MeetingDetails(start=START, duration_minutes=2 * 60),
    )
    assert "presque épuisée" in second.warning
    third = services.meeting_log(
        project=project,
        by=coach,
        details=services.MeetingDetails(start=START, duration_minutes=3 * 60),
    )
    assert "dépassée" in third.warning and "11 h utilisées" in third.warning
    panel = selectors.project_followups(project, coach)
    assert panel["hours_used"] == Decimal("11.00") and panel["hours_level"] == "over"


def test_warning_is_shown_after_logging(client, coach, project):
    project.hours_allocated = Decimal(1)
    project.save()
    client.force_login(coach)
    url = reverse("followups:meeting-create", args=[project.pk])
    content = client.post(url, _form(), follow=True).content.decode()
    assert "l&#x27;allocation du projet est dépassée" in content


def test_editing_a_meeting_does_not_count_it_twice(coach, project):
    project.hours_allocated = Decimal(2)
    project.save()
    result = services.meeting_log(
        project=project, by=coach, details=services.MeetingDetails(start=START, duration_minutes=60)
    )
    again = services.meeting_log(
        project=project,
        by=coach,
        details=services.MeetingDetails(start=START, duration_minutes=60),
        meeting=result.meeting,
    )
    assert again.warning == ""
    assert selectors.hours_used(project) == Decimal("1.00")


def test_the_project_keeps_the_start_of_its_latest_meeting(coach, project):
    assert project.last_meeting_at is None
    first = services.meeting_log(
        project=project, by=coach, details=services.MeetingDetails(start=START, duration_minutes=60)
    )
    later = START + datetime.timedelta(days=20)
    second = services.meeting_log(
        project=project, by=coach, details=services.MeetingDetails(start=later, duration_minutes=60)
    )
    project.refresh_from_db()
    assert project.last_meeting_at == later
    # Moving the latest meeting before the first one makes the first one the latest.
    earlier = START - datetime.timedelta(days=5)
    services.meeting_log(
        project=project,
        by=coach,
        details=services.MeetingDetails(start=earlier, duration_minutes=60),
        meeting=second.meeting,
    )
    project.refresh_from_db()
    assert project.last_meeting_at == first.meeting.start == START
    # The stored date is what "no meeting for 60 days" reads.
    silent = selectors.without_meeting_since(Project.objects.filter(pk=project.pk), days=60)
    assert silent.exists() == (timezone.now() - START > datetime.timedelta(days=60))


def test_project_panel_and_timeline_extension_points(coach, other_coach, project):
    result = services.meeting_log(
        project=project,
        by=coach,
        details=services.MeetingDetails(start=START, duration_minutes=60),
        next_steps=[services.NextStep("Appeler la banque", coach, datetime.date(2026, 11, 9))],
    )
    panel = selectors.project_followups(project, coach)
    assert panel["recent_meetings"] == [result.meeting] and panel["can_log"]
    assert [a.title for a in panel["open_actions"]] == ["Appeler la banque"]
    entries = selectors.timeline_entries(project, coach)
    assert {e["kind"] for e in entries} == {"meeting", "action"}
    assert set(entries[0]) == {"kind", "at", "who", "title", "detail", "url"}
    assert selectors.timeline_entries(project, other_coach) == []


def test_meeting_lists_run_a_fixed_number_of_queries(
    client, officer, coach, django_assert_max_num_queries
):
    project = ProjectFactory(coach=coach)
    client.force_login(officer)
    urls = [
        reverse("followups:meeting-list"),
        reverse("followups:project-meetings", args=[project.pk]),
    ]
    MeetingFactory.create_batch(3, project=project)
    counts = []
    for url in urls:
        with django_assert_max_num_queries(25) as small:
            assert client.get(url).status_code == 200
        counts.append(len(small.captured_queries))
    MeetingFactory.create_batch(30, project=project)
    # session, user, roles, count, page rows with project and leader joined, filter choices,
    # and on the project page the panel (project, meetings, actions, hours): none per row.
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)


def test_service_refuses_people_cohorts_and_orders_from_elsewhere(coach, project):
    from followups.models import Cohort
    from tests.factories import ContractFactory, PersonFactory

    stranger = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.meeting_log(
            project=project,
            by=coach,
            details=services.MeetingDetails(
                start=START, duration_minutes=60, participants=[stranger]
            ),
        )
    assert "participants" in error.value.message_dict
    cohort = Cohort.objects.create(
        name="Autre promotion",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_log(
            project=project,
            by=coach,
            details=services.MeetingDetails(
                start=START, duration_minutes=60, time_kind=TimeKind.COLLECTIVE, cohort=cohort
            ),
        )
    assert "cohort" in error.value.message_dict
    from followups.models import PurchaseOrder

    # The coach's employer holds no contract: another provider's order is refused.
    order = PurchaseOrder.objects.create(
        contract=ContractFactory(), number="BC-1", issued_on=datetime.date(2026, 1, 5)
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_log(
            project=project,
            by=coach,
            details=services.MeetingDetails(start=START, duration_minutes=60, order=order),
        )
    assert "order" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_meeting_list_filters_by_local_day_and_searches_projects_by_name(client, officer):
    paris = timezone.get_current_timezone()
    late = ProjectFactory(name="Recyclerie du soir")
    ProjectFactory(name="Épicerie sans rendez-vous")
    # 00:30 in Paris on 11 March is 23:30 UTC on 10 March: it belongs to 11 March.
    MeetingFactory(project=late, start=datetime.datetime(2026, 3, 11, 0, 30, tzinfo=paris))
    client.force_login(officer)
    url = reverse("followups:meeting-list")

    def listed(**params):
        page = client.get(url, params)
        return [row.record.project.name for row in page.context["table"].page.object_list]

    assert listed(start_from="2026-03-11", start_to="2026-03-11") == ["Recyclerie du soir"]
    assert listed(start_to="2026-03-10") == []
    assert listed(start_from="2026-03-12") == []
    # The project filter is a search field: the page does not list every project.
    page = client.get(url).content.decode()
    assert "Épicerie sans rendez-vous" not in page
    assert "data-autocomplete=" in page
