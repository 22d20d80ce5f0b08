"""Follow-ups of the scaled projects: meetings, notes, next steps, cohorts and workshops.

About ten meetings per project. Rows are generated per chunk of projects and written at once:
COPY on PostgreSQL (ids reserved from the table's sequence first, so that notes and actions
can point at their meeting), bulk_create elsewhere. Nothing larger than a chunk is ever held
in memory. Every scaled project gets at least one meeting (applicants an information
meeting), so "has a meeting" marks the projects already done: topping up adds only what is
missing.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from crm.devtools.demo_followups import ACTION_TITLES
from crm.devtools.scale.bulk import Writer, fast_commit
from crm.devtools.scale.staff import block_staff, staff_of_blocks
from crm.devtools.scale.texts import (
    DECISIONS,
    EVENT_TITLES,
    MEETING_SUMMARIES,
    NOTE_TEXTS,
    PLACES,
)
from crm.models import Project, ProjectMember, Status, Theme
from followups.models import (
    Action,
    Attendance,
    AttendanceStatus,
    Cohort,
    Event,
    EventKind,
    Meeting,
    MeetingFormat,
    MeetingMode,
    MeetingNote,
    NoteVisibility,
    TimeKind,
)
from followups.services import refresh_last_meeting

FOLLOWUP_CHUNK = 1000
TEN_YEARS = datetime.timedelta(days=3652)


def _meeting_dates(rng, project, today) -> list[datetime.date]:
    """The days of a project's meetings: from its entry to its exit (or today), the last
    one recent for most projects in accompaniment and months ago for a quarter of them."""
    status, entry, exit_date = project[1], project[4], project[5]
    entry = entry or today
    if status == Status.APPLICANT:
        return [max(entry - datetime.timedelta(days=rng.randint(5, 40)), today - TEN_YEARS)]
    if status == Status.ACTIVE:
        gap = rng.randint(1, 45) if rng.random() < 0.75 else rng.randint(61, 400)
        end = today - datetime.timedelta(days=gap)
        count = rng.randint(5, 22)
    elif status == Status.ON_HOLD:
        end = today - datetime.timedelta(days=rng.randint(60, 500))
        count = rng.randint(2, 12)
    else:
        end = exit_date or today
        count = rng.randint(5, 22) if status == Status.COMPLETED else rng.randint(2, 12)
    # Coaching starts within weeks of the entry; long accompaniments space their meetings.
    end = min(max(end, entry), today)
    start = min(entry + datetime.timedelta(days=rng.randint(0, 30)), end)
    span = (end - start).days
    days = sorted(start + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count - 1))
    return [*days, end]


def _followup_chunk(projects, *, writer, users, themes, leads, today) -> dict:
    """Generate and write the follow-ups of one chunk of projects (tuples from
    `seed_scale_followups`). Returns the counts written."""
    rng = random.Random(projects[0][0])
    first_pk = projects[0][0]

    # Cohorts: two projects in five join one, with others that entered the same year, in
    # groups of about twelve (spring or autumn promotions).
    groups: dict[tuple[int, int], list] = {}
    for project in projects:
        if project[1] != Status.APPLICANT and project[4] and rng.random() < 0.4:
            groups.setdefault((project[4].year, rng.choice([1, 2])), []).append(project)
    cohort_rows, cohort_links, cohort_of = [], [], {}
    cohort_periods = []
    for (year, half), members in sorted(groups.items()):
        for index in range(0, len(members), 12):
            cohort_rows.append((members[index : index + 12], year, half))
    cohort_ids = writer.reserve(Cohort, len(cohort_rows))
    cohorts = []
    for cohort_id, (members, year, half) in zip(cohort_ids, cohort_rows, strict=True):
        # The promotion starts with its earliest entrant and lasts five to ten months.
        begin = min(member[4] for member in members)
        end = begin + datetime.timedelta(days=rng.randint(150, 300))
        season = "de printemps" if half == 1 else "d'automne"
        cohorts.append(
            (cohort_id, f"Promotion {season} {year} – groupe {first_pk}-{cohort_id}", begin, end)
        )
        cohort_periods.append((cohort_id, begin, end))
        for member in members:
            cohort_links.append((cohort_id, member[0]))
            cohort_of[member[0]] = (cohort_id, begin, end)
    writer.write(Cohort, ("id", "name", "start_date", "end_date"), cohorts)
    writer.write(Cohort.projects.through, ("cohort", "project"), cohort_links)

    # Meetings, their notes and next steps.
    plans = []
    for project in projects:
        dates = _meeting_dates(rng, project, today)
        plans.append((project, dates))
    meeting_ids = iter(writer.reserve(Meeting, sum(len(d) for _p, d in plans)))
    meetings, notes, actions, meeting_themes, participants, staff = [], [], [], [], [], []
    formats = [
        MeetingFormat.INDIVIDUAL,
        MeetingFormat.MENTORING,
        MeetingFormat.FUNDING,
        MeetingFormat.EXPERTISE,
        MeetingFormat.INTRODUCTION,
        MeetingFormat.COMMITTEE,
    ]
    for project, dates in plans:
        pk, status, _stage, coach_id, _entry, _exit, officer_id = project
        led_by = coach_id or officer_id
        cohort = cohort_of.get(pk)
        for number, day in enumerate(dates):
            meeting_id = next(meeting_ids)
            last = number == len(dates) - 1
            start = timezone.make_aware(
                datetime.datetime.combine(
                    day, datetime.time(rng.choice([9, 10, 11, 14, 15, 16]), rng.choice([0, 30]))
                )
            )
            time_kind, cohort_id = TimeKind.INDIVIDUAL, None
            if status == Status.APPLICANT:
                meeting_format = MeetingFormat.INFORMATION
            elif number == 0:
                meeting_format = rng.choice([MeetingFormat.WELCOME, MeetingFormat.DIAGNOSTIC])
            elif cohort and cohort[1] <= day <= cohort[2] and rng.random() < 0.3:
                meeting_format, time_kind, cohort_id = (
                    MeetingFormat.WORKSHOP,
                    TimeKind.COLLECTIVE,
                    cohort[0],
                )
            elif status == Status.COMPLETED and last:
                meeting_format = MeetingFormat.POST_CREATION
            else:
                meeting_format = rng.choices(formats, weights=[70, 8, 8, 6, 5, 3])[0]
            meetings.append(
                (
                    meeting_id,
                    pk,
                    start,
                    rng.choice([45, 60, 60, 90, 120]),
                    meeting_format,
                    rng.choices(MeetingMode.values, weights=[6, 3, 1])[0],
                    rng.choice(PLACES),
                    led_by,
                    rng.choice(MEETING_SUMMARIES),
                    rng.choice(DECISIONS),
                    time_kind,
                    cohort_id,
                    start,
                    start,
                )
            )
            for theme in rng.sample(themes, rng.randint(1, 2)):
                meeting_themes.append((meeting_id, theme))
            if pk in leads:
                participants.append((meeting_id, leads[pk]))
            staff.append((meeting_id, led_by))
            for _n in range(rng.choices([0, 1, 2], weights=[20, 60, 20])[0]):
                visibility = rng.choices(NoteVisibility.values, weights=[25, 55, 20])[0]
                notes.append(
                    (
                        meeting_id,
                        rng.choice(NOTE_TEXTS[visibility]),
                        visibility,
                        officer_id if visibility == NoteVisibility.INTERNAL else led_by,
                        start + datetime.timedelta(hours=2),
                        start + datetime.timedelta(hours=2),
                        1,
                    )
                )
            if status == Status.APPLICANT:
                continue
            for step in range(rng.choices([0, 1, 2], weights=[35, 45, 20])[0]):
                owner = coach_id if coach_id and step == 0 else officer_id
                due = day + datetime.timedelta(days=rng.randint(7, 45))
                # Earlier steps were done; the latest meeting's steps of a project still in
                # accompaniment are open (some overdue), and a few old ones were forgotten.
                open_step = (last and status == Status.ACTIVE) or rng.random() < 0.03
                done = None
                if not open_step:
                    done = min(day + datetime.timedelta(days=rng.randint(1, 60)), today)
                    done = max(done, day)
                actions.append((rng.choice(ACTION_TITLES), pk, owner, due, done, day, meeting_id))

    writer.write(
        Meeting,
        (
            "id",
            "project",
            "start",
            "duration_minutes",
            "format",
            "mode",
            "place",
            "led_by",
            "summary",
            "decisions",
            "time_kind",
            "cohort",
            "created_at",
            "updated_at",
        ),
        meetings,
    )
    writer.write(Meeting.themes.through, ("meeting", "theme"), meeting_themes)
    writer.write(Meeting.participants.through, ("meeting", "person"), participants)
    writer.write(Meeting.staff.through, ("meeting", "user"), staff)
    # COPY fills no Django default: every NOT NULL column is listed.
    note_columns = ("meeting", "text", "visibility", "author", "created_at", "updated_at")
    writer.write(MeetingNote, (*note_columns, "version"), notes)
    writer.write(
        Action,
        ("title", "project", "owner", "due_on", "done_on", "created_on", "meeting"),
        actions,
    )

    # Workshops and information sessions: about one per twelve projects, over ten years,
    # with the leads of projects in accompaniment at that time registered.
    first_day = today - TEN_YEARS
    event_count = max(1, len(projects) // 12)
    event_ids = writer.reserve(Event, event_count)
    events, attendances = [], []
    windows = [(p[0], p[4], p[5] or today) for p in projects if p[0] in leads and p[4]]
    for event_id in event_ids:
        title, kind = rng.choice(EVENT_TITLES)
        day = first_day + datetime.timedelta(days=rng.randint(0, (today - first_day).days + 60))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
        capacity = rng.choice([12, 15, 20, 25, 30])
        cohort_id = None
        if kind == EventKind.WORKSHOP:
            matching = [c for c in cohort_periods if c[1] <= day <= c[2]]
            if matching and rng.random() < 0.5:
                cohort_id = rng.choice(matching)[0]
        events.append(
            (
                event_id,
                title,
                kind,
                rng.choice(themes),
                start,
                start + datetime.timedelta(hours=3),
                rng.choice(PLACES),
                capacity,
                cohort_id,
            )
        )
        present = [w for w in windows if w[1] <= day <= w[2]]
        for project_pk, _entry, _end in rng.sample(present, min(len(present), capacity * 2 // 3)):
            if day > today:
                status = AttendanceStatus.REGISTERED
            else:
                status = rng.choices(
                    [AttendanceStatus.ATTENDED, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT],
                    weights=[80, 10, 10],
                )[0]
            attendances.append((event_id, leads[project_pk], project_pk, status))
    writer.write(
        Event,
        ("id", "title", "kind", "theme", "start", "end", "place", "capacity", "cohort"),
        events,
    )
    writer.write(Attendance, ("event", "person", "project", "status"), attendances)
    return {
        "meetings": len(meetings),
        "notes": len(notes),
        "actions": len(actions),
        "cohorts": len(cohorts),
        "events": len(events),
        "attendances": len(attendances),
    }


def _with_officer(projects: list[tuple], users) -> list[tuple]:
    """The chunk's rows with their last item, the officer id, never empty: a project with
    no officer has its internal notes and steps kept by its block's officer. Projects were
    created in index order, so a project's index is the number of projects before it."""
    first_index = Project.objects.filter(pk__lt=projects[0][0]).count()
    scale_staff = staff_of_blocks(first_index, len(projects))
    rows = []
    for position, row in enumerate(projects):
        fallback = block_staff(first_index + position, users, scale_staff)["officer"]
        rows.append((*row[:-1], row[-1] or fallback.pk))
    return rows


def seed_scale_followups(*, users: dict, log=None) -> dict:
    """Give every scaled project (a "#" in its name) that has no meeting yet its
    follow-ups, chunk by chunk. Returns the counts written."""
    writer = Writer()
    themes = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
    today = timezone.localdate()
    totals: dict[str, int] = {}
    scaled = Project.objects.filter(name__contains="#").order_by("pk")
    last_pk = 0
    done_projects = 0
    while True:
        projects = list(
            scaled.filter(pk__gt=last_pk).values_list(
                "pk", "status", "stage", "coach_id", "entry_date", "exit_date", "officer_id"
            )[:FOLLOWUP_CHUNK]
        )
        if not projects:
            break
        projects = _with_officer(projects, users)
        last_pk = projects[-1][0]
        ids = [p[0] for p in projects]
        seeded = set(
            Meeting.objects.filter(project_id__in=ids)
            .order_by()
            .values_list("project_id", flat=True)
            .distinct()
        )
        todo = [p for p in projects if p[0] not in seeded]
        done_projects += len(projects)
        if not todo:
            continue
        leads = dict(
            ProjectMember.objects.filter(
                project_id__in=[p[0] for p in todo], is_lead=True
            ).values_list("project_id", "person_id")
        )
        with transaction.atomic():
            fast_commit()
            counts = _followup_chunk(
                todo, writer=writer, users=users, themes=themes, leads=leads, today=today
            )
            refresh_last_meeting([p[0] for p in todo])
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if log:
            log(f"  follow-ups of {done_projects} projects: {totals.get('meetings', 0)} meetings")
    return totals
