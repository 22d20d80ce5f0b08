"""The demo data set at scale, for benchmarks: `seed_demo --scale N` holds N × 60 projects.

Rows are written with bulk inserts in batches (no per-row save, no history rows), from the
same planner as the believable demo, with dates spread over ten years. Topping up is
idempotent: the target is a total, so running the same scale twice adds nothing.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from contacts.models import Organisation, PersonOrganisation
from contacts.models import Person as PersonModel
from crm.core.roles import Role
from crm.devtools import demo
from crm.models import (
    Commune,
    Project,
    ProjectMeasure,
    ProjectMember,
    StageChange,
    Status,
    Theme,
    User,
)

PROJECTS_PER_SCALE = 60
BATCH = 2000
# A provider's coach follows a few hundred projects, an officer a few hundred more. The demo
# team keeps the projects among the first PROJECTS_PER_COACH_BLOCK; each further block of
# that many projects goes to one more coach account (about 300 coached projects each) and
# one more officer account, so that at scale 1000 the demo users' own lists ("my work",
# "my projects") are one person's, not the whole network's.
PROJECTS_PER_COACH_BLOCK = 600
SCALE_COACH_PREFIX = "coach-scale-"
SCALE_OFFICER_PREFIX = "officer-scale-"


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + hour % 9)))


def _person_row(plan: demo.PersonPlan, communes) -> PersonModel:
    return PersonModel(
        first_name=plan.first_name,
        last_name=plan.last_name,
        email=plan.email,
        phone=plan.phone,
        gender=plan.gender,
        birth_year=plan.birth_year,
        commune_id=communes[plan.commune],
        lives_in_qpv=plan.lives_in_qpv,
        employment_situation_at_entry=plan.employment,
    )


def _fast_commit() -> None:
    """Inside a seeding transaction on PostgreSQL: do not wait for the WAL flush at commit
    (a crash loses at most the last batches, and a rerun tops them up)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _scale_staff(first_index: int, count: int) -> dict[int, dict[str, "User"]]:
    """The coach and officer accounts of the blocks of projects [first_index,
    first_index + count), created once ({block number: {"coach": user, "officer": user}});
    block 0 is the demo's own team."""
    blocks = range(
        max(1, first_index // PROJECTS_PER_COACH_BLOCK),
        (first_index + count - 1) // PROJECTS_PER_COACH_BLOCK + 1,
    )
    prefixes = {
        "coach": (SCALE_COACH_PREFIX, Role.COACH),
        "officer": (SCALE_OFFICER_PREFIX, Role.OFFICER),
    }
    names = {
        (block, kind): f"{prefix}{block}"
        for block in blocks
        for kind, (prefix, _r) in prefixes.items()
    }
    # Nobody logs in as these: they hold the data a real network's team would.
    unusable = make_password(None)
    existing = {u.username: u for u in User.objects.filter(username__in=names.values())}
    missing = {
        kind: [
            User(
                username=name,
                first_name="Coach" if kind == "coach" else "Chargé·e de mission",
                last_name=f"n° {block}",
                password=unusable,
            )
            for (block, name_kind), name in names.items()
            if name_kind == kind and name not in existing
        ]
        for kind in prefixes
    }
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    for kind, accounts in missing.items():
        if not accounts:
            continue
        created = User.objects.bulk_create(accounts)
        group = groups[prefixes[kind][1]]
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=group.pk) for user in created]
        )
        existing.update({user.username: user for user in created})
    staff: dict[int, dict[str, User]] = {}
    for (block, kind), name in names.items():
        staff.setdefault(block, {})[kind] = existing[name]
    return staff


def _block_staff(index: int, users, scale_staff) -> dict[str, "User"]:
    """The coach and officer of the block of the project at `index`: the demo's own in the
    first block, the block's accounts beyond."""
    block = index // PROJECTS_PER_COACH_BLOCK
    if block == 0:
        return {"coach": users.get("coach"), "officer": users["officer"]}
    return scale_staff[block]


def _team_of(plan: demo.ProjectPlan, index: int, users, scale_staff) -> dict:
    """Who follows the project at `index`: its coach and officer (None where the plan has
    none) and the officer of its block, who records the moves."""
    staff = _block_staff(index, users, scale_staff)
    if index < PROJECTS_PER_COACH_BLOCK:
        # The demo's own projects keep the coach their plan names (coach or coach2).
        staff = {**staff, "coach": users.get(plan.coach)}
    return {
        "coach": staff["coach"] if plan.coach else None,
        "officer": staff["officer"] if plan.officer else None,
        "block_officer": staff["officer"],
    }


@transaction.atomic
def _write_batch(
    plans: list[demo.ProjectPlan], *, first_index: int, users, communes, themes
) -> None:
    _fast_commit()
    scale_staff = _scale_staff(first_index, len(plans))
    teams = [
        _team_of(plan, first_index + position, users, scale_staff)
        for position, plan in enumerate(plans)
    ]
    leads = PersonModel.objects.bulk_create([_person_row(p.lead, communes) for p in plans])
    partners = PersonModel.objects.bulk_create(
        [_person_row(p.partner, communes) for p in plans if p.partner]
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=p.organisation.name,
                legal_form=p.organisation.legal_form,
                siret=p.organisation.siret,
                siren=p.organisation.siret[:9],
                naf_code=p.organisation.naf_code,
                commune_id=communes[p.organisation.commune],
            )
            for p in plans
            if p.organisation
        ]
    )
    organisation_iter, partner_iter = iter(organisations), iter(partners)
    projects, links = [], []
    for plan, lead, team in zip(plans, leads, teams, strict=True):
        organisation = next(organisation_iter) if plan.organisation else None
        partner = next(partner_iter) if plan.partner else None
        last_day, stage, status, reason, _note = plan.moves[-1]
        projects.append(
            Project(
                name=plan.name,
                summary=plan.summary,
                sector=plan.sector,
                social_impact=plan.social_impact,
                environmental_impact=plan.environmental_impact,
                stage=stage,
                status=status,
                exit_reason=reason,
                organisation=organisation,
                commune_id=communes[plan.commune],
                in_qpv=plan.in_qpv,
                source=plan.source,
                officer=team["officer"],
                coach=team["coach"],
                hours_allocated=plan.hours_allocated,
                entry_date=plan.entry_date,
                exit_date=last_day if status in (Status.EXITED, Status.COMPLETED) else None,
            )
        )
        links.append((lead, partner, organisation))
    projects = Project.objects.bulk_create(projects)

    members, memberships, project_themes, changes, measures = [], [], [], [], []
    Through = Project.themes.through
    for plan, project, team, (lead, partner, organisation) in zip(
        plans, projects, teams, links, strict=True
    ):
        members.append(ProjectMember(project=project, person=lead, is_lead=True))
        if partner:
            members.append(ProjectMember(project=project, person=partner))
        if organisation:
            memberships.append(
                PersonOrganisation(person=lead, organisation=organisation, role="founder")
            )
        project_themes.extend(Through(project=project, theme=themes[c]) for c in plan.themes)
        previous = ("", "")
        for index, (day, stage, status, reason, note) in enumerate(plan.moves):
            mover = team["coach"] if team["coach"] and index > 1 else team["block_officer"]
            changes.append(
                StageChange(
                    project=project,
                    at=_aware(day, index),
                    by=mover,
                    from_stage=previous[0],
                    to_stage=stage,
                    from_status=previous[1],
                    to_status=status,
                    exit_reason=reason,
                    note=note,
                )
            )
            previous = (stage, status)
        measures.extend(ProjectMeasure(project=project, **m) for m in plan.measures)
    ProjectMember.objects.bulk_create(members, batch_size=BATCH)
    PersonOrganisation.objects.bulk_create(memberships, batch_size=BATCH)
    Through.objects.bulk_create(project_themes, batch_size=BATCH)
    StageChange.objects.bulk_create(changes, batch_size=BATCH)
    ProjectMeasure.objects.bulk_create(measures, batch_size=BATCH)


def seed_scale(*, scale: int, users: dict, log=None) -> int:
    """Top the projects up to `scale` × 60. Returns the number of projects created."""
    target = scale * PROJECTS_PER_SCALE
    existing = Project.objects.count()
    if existing >= target:
        return 0
    communes = dict(Commune.objects.filter(in_territory=True).values_list("name", "pk"))
    themes = {t.code: t for t in Theme.objects.all()}
    today = timezone.localdate()
    created = 0
    while existing + created < target:
        count = min(BATCH, target - existing - created)
        first = existing + created
        plans = demo.build_plan(
            communes=sorted(communes),
            count=count,
            today=today,
            seed=2016 + first,
            first_index=first,
            years=10,
            tag="#",
        )
        _write_batch(plans, first_index=first, users=users, communes=communes, themes=themes)
        created += count
        if log:
            log(f"  {existing + created} / {target} projects")
    return created


# ---------------------------------------------------------------------------------------
# Follow-ups at scale: meetings with their notes and next steps, cohorts, workshops and
# their registrations, for every scaled project (about ten meetings per project).
#
# Rows are generated per chunk of projects and written at once: COPY on PostgreSQL (ids
# reserved from the table's sequence first, so that notes and actions can point at their
# meeting), bulk_create elsewhere. Nothing larger than a chunk is ever held in memory.
# Every scaled project gets at least one meeting (applicants an information meeting), so
# "has a meeting" marks the projects already done: topping up adds only what is missing.

FOLLOWUP_CHUNK = 1000
TEN_YEARS = datetime.timedelta(days=3652)

MEETING_SUMMARIES = [
    "Point sur le modèle économique et les premières ventes.",
    "Plan de financement : la banque attend le prévisionnel sur trois ans.",
    "Gouvernance : répartition des rôles entre les associé·es.",
    "Recherche de local : deux pistes à visiter, un bail précaire possible.",
    "Préparation du dossier pour le comité d'engagement.",
    "Étude de marché : retours des premiers entretiens clients.",
    "Statuts : comparaison SCIC, SCOP et association.",
    "Recrutement du premier salarié, aides à l'embauche.",
    "Réponse à un marché public réservé ESS.",
    "Bilan de l'année et objectifs pour la suivante.",
]
DECISIONS = [
    "",
    "",
    "Valider le prévisionnel avant le prochain point.",
    "Présenter le projet au comité de France Active.",
    "Rencontrer deux partenaires du territoire.",
]
NOTE_TEXTS = {
    "internal": [
        "Dossier fragile : vigilance sur la trésorerie.",
        "Tension entre les associé·es, à suivre avec discrétion.",
        "Ne pas présenter au comité avant d'avoir le prévisionnel.",
    ],
    "provider": [
        "À revoir au prochain point.",
        "Prévoir un temps sur la tarification.",
        "Orientation vers l'atelier marchés publics.",
    ],
    "entrepreneur": [
        "Documents à préparer : budget, statuts, CV des associé·es.",
        "Liste des financeurs à contacter, envoyée par courriel.",
    ],
}
EVENT_TITLES = [
    ("Atelier : répondre aux marchés publics réservés ESS", "workshop"),
    ("Atelier : construire son plan de financement", "workshop"),
    ("Atelier : choisir son statut juridique", "workshop"),
    ("Atelier : trouver un local, bail et tiers-lieu", "workshop"),
    ("Atelier : piloter sa trésorerie", "workshop"),
    ("Temps d'information : l'appel à projets Initiatives d'ESS", "information"),
    ("Temps d'information : se lancer dans l'ESS", "information"),
]
PLACES = ["Maison de l'ESS, Créteil", "Pépinière de Vitry", "Médiathèque de Champigny", ""]


class _Writer:
    """Insert rows (tuples in `columns` order) fast: COPY on PostgreSQL, bulk_create
    elsewhere; and reserve primary keys ahead of the insert."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def reserve(self, model, count: int) -> list[int]:
        if count == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
            first = cursor.fetchone()[0] + 1
            return list(range(first, first + count))

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.postgres:
            names = ", ".join(f'"{model._meta.get_field(c).column}"' for c in columns)
            with connection.cursor() as cursor:
                sql = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            return
        attnames = [model._meta.get_field(c).attname for c in columns]
        model.objects.bulk_create(
            (model(**dict(zip(attnames, row, strict=True))) for row in rows), batch_size=BATCH
        )


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
    from crm.devtools.demo_followups import ACTION_TITLES

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
    scale_staff = _scale_staff(first_index, len(projects))
    rows = []
    for position, row in enumerate(projects):
        fallback = _block_staff(first_index + position, users, scale_staff)["officer"]
        rows.append((*row[:-1], row[-1] or fallback.pk))
    return rows


def seed_scale_followups(*, users: dict, log=None) -> dict:
    """Give every scaled project (a "#" in its name) that has no meeting yet its
    follow-ups, chunk by chunk. Returns the counts written."""
    from followups.models import Meeting
    from followups.services import refresh_last_meeting

    writer = _Writer()
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
            _fast_commit()
            counts = _followup_chunk(
                todo, writer=writer, users=users, themes=themes, leads=leads, today=today
            )
            refresh_last_meeting([p[0] for p in todo])
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if log:
            log(f"  follow-ups of {done_projects} projects: {totals.get('meetings', 0)} meetings")
    return totals


def analyze() -> None:
    """Fresh statistics after a bulk load: without them the planner guesses a handful of
    rows per table and picks nested loops (a 7 ms count took 2 s until autovacuum ran).
    On PostgreSQL, VACUUM too: it fills the visibility map, without which counts cannot
    use index-only scans (the board's counts at scale 1000: 253 ms before, 63 ms after)."""
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction (a test's, for example).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
