import datetime
import io

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from contacts.models import Organisation, Person
from crm.core import roles
from crm.devtools.scale import staff as scale_staff
from crm.models import Project, ProjectMeasure, ProjectMember, StageChange, Status, User
from followups.models import Action, Attendance, Cohort, Event, Meeting, MeetingNote


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Project,
            Person,
            Organisation,
            StageChange,
            ProjectMeasure,
            User,
            Meeting,
            MeetingNote,
            Action,
            Cohort,
            Event,
            Attendance,
        )
    }


# 2-3 s: seeds the whole demo data set (twice for the idempotence checks).
@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_builds_a_believable_data_set(capsys):
    call_command("seed_demo", force=True)
    output = capsys.readouterr().out
    for username in ("officer", "coach", "coach2", "manager", "admin"):
        assert f"ess-demo-{username}" in output
    assert Project.objects.count() == 60
    assert Project.objects.values("commune").distinct().count() >= 12
    assert Project.objects.values("stage").distinct().count() == 5
    assert Project.objects.values("status").distinct().count() == 5
    # Every project's current stage and status are those of its last move.
    for project in Project.objects.prefetch_related("stage_changes"):
        last = max(project.stage_changes.all(), key=lambda c: (c.at, c.pk))
        assert (project.stage, project.status) == (last.to_stage, last.to_status)
    coach = User.objects.get(username="coach")
    assert 0 < Project.objects.visible_to(coach).count() < 60
    assert coach.organisation.kind == "provider"


# 2-3 s: seeds the whole demo data set (twice for the idempotence checks).
@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", force=True)
    before = counts()
    last_update = Project.objects.order_by("-updated_at").values_list("updated_at", flat=True)[0]
    call_command("seed_demo", force=True)
    assert counts() == before
    assert (
        Project.objects.order_by("-updated_at").values_list("updated_at", flat=True)[0]
        == last_update
    )


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_in_production_without_force():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed_demo")
    assert not User.objects.filter(username="officer").exists()


# 2-3 s: seeds the whole demo data set (twice for the idempotence checks).
@pytest.mark.slow
@pytest.mark.django_db
def test_demo_users_can_log_in_with_the_printed_passwords(client):
    call_command("seed_demo", force=True)
    for username in ("officer", "coach", "coach2", "manager", "admin"):
        assert client.login(username=username, password=f"ess-demo-{username}")


# 2-3 s: seeds the whole demo data set (twice for the idempotence checks).
@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_at_scale_two_doubles_the_volumes_and_is_idempotent():
    call_command("seed_demo", force=True, scale=2, stdout=io.StringIO())
    assert Project.objects.count() == 120
    scaled = Project.objects.filter(name__contains="#")
    assert scaled.count() == 60
    # Every scaled project has its lead, its stage history ending on its current state.
    assert ProjectMember.objects.filter(project__in=scaled, is_lead=True).count() == 60
    for project in scaled.prefetch_related("stage_changes")[:20]:
        last = max(project.stage_changes.all(), key=lambda c: (c.at, c.pk))
        assert (project.stage, project.status) == (last.to_stage, last.to_status)
    assert scaled.filter(
        entry_date__lt=timezone.localdate() - datetime.timedelta(days=7 * 365)
    ).exists()

    # Follow-ups at scale: about ten meetings per project, every scaled project has some.
    today = timezone.localdate()
    meetings = Meeting.objects.filter(project__in=scaled)
    # Each project stores the start of its latest meeting, as logging one does.
    latest = dict(
        meetings.order_by()
        .values("project")
        .annotate(m=models.Max("start"))
        .values_list("project", "m")
    )
    assert dict(scaled.values_list("pk", "last_meeting_at")) == latest
    assert 6 * 60 <= meetings.count() <= 14 * 60
    assert not scaled.exclude(meetings__isnull=False).exists()
    assert meetings.filter(start__date__lt=today - datetime.timedelta(days=5 * 365)).exists()
    assert not meetings.filter(start__date__gt=today).exists()
    # Most projects in accompaniment were met recently; some are silent for months.
    active = scaled.filter(status=Status.ACTIVE)
    recent = active.filter(meetings__start__date__gte=today - datetime.timedelta(days=60))
    assert active.count() / 2 < recent.distinct().count() < active.count()
    # Notes of every visibility, internal ones among them.
    notes = MeetingNote.objects.filter(meeting__project__in=scaled)
    assert notes.count() >= meetings.count() / 2
    assert set(notes.values_list("visibility", flat=True)) == {
        "internal",
        "provider",
        "entrepreneur",
    }
    # Next steps: most done, some open, some of the open ones overdue.
    actions = Action.objects.filter(project__in=scaled)
    assert actions.count() >= meetings.count() / 2
    assert actions.filter(done_on__isnull=False).count() > actions.open().count() > 0
    assert actions.open().filter(due_on__lt=today).exists()
    assert not actions.filter(done_on__lt=models.F("created_on")).exists()
    # Cohorts with their projects and collective time, workshops with registrations.
    assert Cohort.objects.filter(projects__in=scaled).distinct().count() >= 2
    assert meetings.filter(time_kind="collective", cohort__isnull=False).exists()
    assert Attendance.objects.filter(project__in=scaled).count() >= 10
    assert Event.objects.count() > 3

    before = counts()
    call_command("seed_demo", force=True, scale=2, stdout=io.StringIO())
    assert counts() == before
    # Topping up to a larger scale gives follow-ups to the new projects only.
    call_command("seed_demo", force=True, scale=3, stdout=io.StringIO())
    assert Meeting.objects.count() > before["Meeting"]
    assert not Project.objects.filter(name__contains="#", meetings__isnull=True).exists()
    assert Meeting.objects.filter(project__in=scaled).count() == meetings.count()


# 2-3 s: seeds the whole demo data set (twice for the idempotence checks).
@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_at_scale_gives_each_block_of_projects_its_own_coach_and_officer(monkeypatch):
    # Blocks of 60 projects here (600 in the real seed): the demo's own 60 projects keep
    # the demo team, the next blocks go to one new coach and one new officer account each.
    monkeypatch.setattr(scale_staff, "PROJECTS_PER_COACH_BLOCK", 60)
    call_command("seed_demo", force=True, scale=3, stdout=io.StringIO())
    demo_coach = User.objects.get(username="coach")
    scaled_coaches = User.objects.filter(username__startswith=scale_staff.SCALE_COACH_PREFIX)
    assert sorted(scaled_coaches.values_list("username", flat=True)) == [
        "coach-scale-1",
        "coach-scale-2",
    ]
    assert all(
        roles.is_coach(coach) and not coach.has_usable_password() for coach in scaled_coaches
    )
    assert not Project.objects.filter(name__contains="#", coach=demo_coach).exists()
    for coach in scaled_coaches:
        mine = Project.objects.filter(coach=coach)
        assert 10 <= mine.count() <= 60
        # They lead their projects' meetings, as the demo coaches do.
        assert Meeting.objects.filter(project__in=mine, led_by=coach).exists()
    # The demo officer's own work stays one officer's: the scaled projects, their steps
    # and their internal notes belong to the blocks' officers.
    demo_officer = User.objects.get(username="officer")
    scaled_officers = User.objects.filter(username__startswith=scale_staff.SCALE_OFFICER_PREFIX)
    assert sorted(scaled_officers.values_list("username", flat=True)) == [
        "officer-scale-1",
        "officer-scale-2",
    ]
    assert all(
        roles.is_officer(officer) and not officer.has_usable_password()
        for officer in scaled_officers
    )
    assert not Project.objects.filter(name__contains="#", officer=demo_officer).exists()
    assert not Action.objects.filter(project__name__contains="#", owner=demo_officer).exists()
    for officer in scaled_officers:
        mine = Project.objects.filter(officer=officer)
        assert 30 <= mine.count() <= 60
        assert Action.objects.filter(project__in=mine, owner=officer).exists()
