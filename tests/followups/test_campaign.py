"""The follow-up campaign: a task per pending milestone on "Mon travail", created once
whatever the runs, closed by the measure; the campaign page and its one-page form."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from crm.models import MeasureKind, ProjectMeasure
from crm.projects.measures import add_months
from followups.campaigns import campaign_run, pending_projects
from followups.models import Action
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def months_ago(months: int, days: int = 0) -> datetime.date:
    return add_months(TODAY, -months) - datetime.timedelta(days=days)


def exited(coach, officer, exit_date, **kwargs):
    return ProjectFactory(
        status="completed",
        stage="launch",
        entry_date=datetime.date(2015, 1, 10),
        exit_date=exit_date,
        coach=coach,
        officer=officer,
        **kwargs,
    )


def test_each_milestone_due_becomes_one_task_for_the_coach(coach, officer):
    six = exited(coach, officer, months_ago(7))  # +6 months due a month ago
    year = exited(coach, officer, months_ago(14))  # +1 year due 2 months ago
    three = exited(None, officer, months_ago(42))  # +3 years due 6 months ago
    exited(coach, officer, months_ago(3))  # nothing due yet
    exited(coach, officer, months_ago(60))  # too old: no longer asked
    counts = campaign_run(TODAY)
    assert counts == {"created": 3, "closed": 0, "without_owner": 0}
    tasks = {a.project_id: a for a in Action.objects.exclude(measure_kind="")}
    assert tasks[six.pk].title == "Mesure à +6 mois" and tasks[six.pk].owner == coach
    assert tasks[year.pk].title == "Mesure à +1 an"
    # No coach: the officer collects it.
    assert tasks[three.pk].title == "Mesure à +3 ans" and tasks[three.pk].owner == officer
    assert tasks[year.pk].due_on == TODAY  # a month after due, never in the past
    assert tasks[six.pk].due_on == add_months(TODAY, -1) + datetime.timedelta(days=30)


def test_running_the_campaign_again_creates_nothing_more(coach, officer):
    exited(coach, officer, months_ago(14))
    call_command("measure_campaign", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = campaign_run(TODAY)
    assert first["created"] == 0
    task = Action.objects.get(measure_kind=MeasureKind.ONE_YEAR)
    task.done_on = TODAY
    task.save()
    # Done by hand without a measure: still not created twice.
    assert campaign_run(TODAY)["created"] == 0
    assert Action.objects.filter(measure_kind=MeasureKind.ONE_YEAR).count() == 1


def test_a_measure_recorded_elsewhere_closes_the_task_at_the_next_run(coach, officer):
    project = exited(coach, officer, months_ago(14))
    campaign_run(TODAY)
    ProjectMeasure.objects.create(
        project=project, kind=MeasureKind.ONE_YEAR, measured_on=months_ago(2)
    )
    assert campaign_run(TODAY)["closed"] == 1
    assert Action.objects.get(project=project).done_on is not None
    assert not pending_projects(type(project).objects.all(), TODAY).exists()


def test_the_coach_records_the_measure_from_my_work_and_the_task_is_done(client, coach, officer):
    project = exited(coach, officer, months_ago(7))
    campaign_run(TODAY)
    client.force_login(coach)
    page = client.get(reverse("followups:my-work")).content.decode()
    url = reverse("followups:campaign-measure", args=[project.pk, "six_months"])
    assert "Mesure à +6 mois" in page and url in page
    form = client.get(url)
    due = add_months(months_ago(7), 6)
    assert form.status_code == 200 and f"{due:%d/%m/%Y}" in form.content.decode()
    response = client.post(
        url,
        {
            "measured_on": TODAY.isoformat(),
            "jobs_permanent": "2",
            "still_active": "true",
            "situation_6_months_after_exit": "self_employed",
        },
    )
    assert response.status_code == 302
    measure = ProjectMeasure.objects.get(project=project)
    assert measure.kind == MeasureKind.SIX_MONTHS and measure.jobs_permanent == 2
    assert measure.turnover is None  # left empty: unknown
    project.refresh_from_db()
    assert project.situation_6_months_after_exit == "self_employed"
    assert Action.objects.get(project=project).done_on is not None


def test_a_bad_figure_is_refused_on_its_field_and_nothing_is_recorded(client, coach, officer):
    project = exited(coach, officer, months_ago(14))
    client.force_login(coach)
    url = reverse("followups:campaign-measure", args=[project.pk, "one_year"])
    response = client.post(url, {"measured_on": TODAY.isoformat(), "jobs_permanent": "-3"})
    assert response.status_code == 400
    assert "id_jobs_permanent_error" in response.content.decode()
    assert not ProjectMeasure.objects.exists()


def test_another_coach_cannot_open_the_form(client, coach, other_coach, officer):
    project = exited(coach, officer, months_ago(14))
    client.force_login(other_coach)
    url = reverse("followups:campaign-measure", args=[project.pk, "one_year"])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("followups:campaign-measure", args=[project.pk, "x"])).status_code == 404
    )


def test_the_manager_reads_the_campaign_but_may_not_record(client, manager, coach, officer):
    project = exited(coach, officer, months_ago(14))
    client.force_login(manager)
    assert project.name in client.get(reverse("followups:campaign-list")).content.decode()
    url = reverse("followups:campaign-measure", args=[project.pk, "one_year"])
    assert client.get(url).status_code == 403


def test_the_campaign_page_filters_late_ones_with_a_fixed_query_count(
    client, officer, coach, django_assert_max_num_queries
):
    client.force_login(officer)
    url = reverse("followups:campaign-list")

    def load():
        # session, user, groups, the page's rows, their count, filter choices (2), layout
        with django_assert_max_num_queries(14):
            return client.get(url, {"state": "late"}).content.decode()

    late = exited(coach, officer, months_ago(14), name="Recyclerie en retard")
    # +6 months due 5 days ago: to do, not late
    fresh = exited(coach, officer, months_ago(6, days=5), name="Épicerie à jour")
    first = load()
    for day in range(1, 20):
        exited(coach, officer, months_ago(15, days=day))
    second = load()
    assert late.name in first and late.name in second
    assert fresh.name not in first
