"""Import of meetings (rendez-vous), one per row, with an optional note.

A meeting is the same when its project and its date and time match. The project is named
by its number (identifiant) or by its name and the lead entrepreneur's email, and looked up
through `Project.objects.visible_to(by)`: only officers import, and nobody reaches a
project they could not open. A row's note is added once (a re-import finds the same text
on the meeting and adds nothing); its visibility defaults to internal, the safest.
"""

import copy
import datetime

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.importing.resources.bulk import CHUNK_SIZE, BulkRowResource
from crm.importing.resources.contacts import _in_chunks, _text
from crm.importing.values import (
    clean_email,
    fold,
    parse_choice,
    parse_date,
    parse_duration,
    parse_int,
    parse_time,
)
from crm.models import Project, ProjectMember, User
from followups.models import Meeting, MeetingFormat, MeetingMode, MeetingNote, NoteVisibility

MEETING_HEADERS = {
    "Projet": "project_name",
    "Nom du projet": "project_name",
    "N° projet": "project_id",
    "Numéro de projet": "project_id",
    "Identifiant projet": "project_id",
    "ID projet": "project_id",
    "Email porteur": "lead_email",
    "Courriel porteur": "lead_email",
    "Email": "lead_email",
    "Courriel": "lead_email",
    "Date": "date",
    "Date du rendez-vous": "date",
    "Heure": "time",
    "Durée": "duration",
    "Durée (min)": "duration",
    "Durée (minutes)": "duration",
    "Format": "format",
    "Type de rendez-vous": "format",
    "Modalité": "mode",
    "Lieu": "place",
    "Compte rendu": "summary",
    "Compte-rendu": "summary",
    "Décisions": "decisions",
    "Mené par": "led_by",
    "Accompagnateur": "led_by",
    "Accompagnatrice": "led_by",
    "Intervenant": "led_by",
    "Note": "note",
    "Note interne": "note",
    "Visibilité de la note": "note_visibility",
    "Visibilité": "note_visibility",
}

MEETING_FIELDS = {
    "project_name": _("Nom du projet"),
    "project_id": _("Numéro du projet"),
    "lead_email": _("Courriel du porteur"),
    "date": _("Date"),
    "time": _("Heure"),
    "duration": _("Durée"),
    "format": _("Format"),
    "mode": _("Modalité"),
    "place": _("Lieu"),
    "summary": _("Compte rendu"),
    "decisions": _("Décisions"),
    "led_by": _("Mené par"),
    "note": _("Note"),
    "note_visibility": _("Visibilité de la note"),
}

FORMAT_ALIASES = {
    "rdv": MeetingFormat.INDIVIDUAL,
    "rdv individuel": MeetingFormat.INDIVIDUAL,
    "individuel": MeetingFormat.INDIVIDUAL,
    "accueil": MeetingFormat.WELCOME,
    "atelier": MeetingFormat.WORKSHOP,
    "mentorat": MeetingFormat.MENTORING,
    "parrainage": MeetingFormat.MENTORING,
    "comite": MeetingFormat.COMMITTEE,
    "jury": MeetingFormat.COMMITTEE,
    "financement": MeetingFormat.FUNDING,
    "expertise": MeetingFormat.EXPERTISE,
    "post creation": MeetingFormat.POST_CREATION,
}
MODE_ALIASES = {
    "presentiel": MeetingMode.IN_PERSON,
    "sur place": MeetingMode.IN_PERSON,
    "visio": MeetingMode.VIDEO,
    "visioconference": MeetingMode.VIDEO,
    "telephone": MeetingMode.PHONE,
    "tel": MeetingMode.PHONE,
}
VISIBILITY_ALIASES = {
    "interne": NoteVisibility.INTERNAL,
    "prestataire": NoteVisibility.PROVIDER,
    "partagee": NoteVisibility.PROVIDER,
    "partagee avec le prestataire": NoteVisibility.PROVIDER,
    "porteur": NoteVisibility.ENTREPRENEUR,
    "porteuse": NoteVisibility.ENTREPRENEUR,
    "partageable": NoteVisibility.ENTREPRENEUR,
}
# A meeting without a time in the file is recorded at 9:00 (the key stays stable).
DEFAULT_TIME = datetime.time(9, 0)


def _start(row):
    """The meeting's start from the row's date and time, or None if unreadable."""
    try:
        day = parse_date(row.get("date"))
        hour = parse_time(row.get("time")) or DEFAULT_TIME
    except Exception:
        return None
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, hour))


class MeetingResource(BulkRowResource):
    compared_fields = (
        "project_id",
        "start",
        "duration_minutes",
        "format",
        "mode",
        "place",
        "summary",
        "decisions",
        "led_by_id",
    )
    field_keys = {"start": "date", "duration_minutes": "duration"}

    class Meta:
        model = Meeting
        fields = ("start", "duration_minutes", "format", "mode", "place", "summary")
        import_id_fields = ()
        use_bulk = True
        batch_size = CHUNK_SIZE
        skip_diff = True
        clean_model_instances = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.pending_notes: list[tuple[Meeting, str, str]] = []
        # Projects given a new meeting in the chunk: their latest meeting is stored again
        # once it is written (an update keeps the start, part of the natural key).
        self.new_meeting_projects: set[int] = set()
        # The team, once per import: who led a meeting is named by login, email or name.
        self.users: dict[str, User] = {}
        for user in User.objects.filter(is_active=True):
            for key in (user.username, user.email, user.get_full_name()):
                if key:
                    self.users.setdefault(fold(key), user)

    def prefetch(self, rows):
        """Four queries per chunk: projects by number, projects by name + lead email,
        the meetings already recorded at those dates, and their notes."""
        visible = Project.objects.visible_to(self.by)
        self.by_id: dict[int, Project] = {}
        self.by_name: dict[tuple[str, str], Project] = {}
        ids = set()
        for row in rows:
            try:
                number = parse_int(row.get("project_id"))
            except Exception:
                number = None
            if number:
                ids.add(number)
        for part in _in_chunks(ids):
            for project in visible.filter(pk__in=part):
                self.by_id[project.pk] = project
        emails = {clean_email(row.get("lead_email")) for row in rows} - {""}
        for part in _in_chunks(emails):
            members = (
                ProjectMember.objects.filter(is_lead=True, project__in=visible)
                .alias(email_lower=Lower("person__email"))
                .filter(email_lower__in=part)
                .select_related("project", "person")
                .order_by("project_id")
            )
            for member in members:
                key = (member.project.name.strip().lower(), member.person.email.lower())
                self.by_name.setdefault(key, member.project)
        projects = {p.pk for p in self.by_id.values()} | {p.pk for p in self.by_name.values()}
        starts = {start for row in rows if (start := _start(row))}
        self.meetings: dict[tuple[int, datetime.datetime], Meeting] = {}
        self.notes: dict[int, set[str]] = {}
        if projects and starts:
            for meeting in Meeting.objects.filter(project_id__in=projects, start__in=starts):
                self.meetings[(meeting.project_id, meeting.start)] = meeting
                self.remember(meeting)
            for meeting_id, text in MeetingNote.objects.filter(
                meeting__in=[m.pk for m in self.meetings.values()]
            ).values_list("meeting_id", "text"):
                self.notes.setdefault(meeting_id, set()).add(text.strip())

    def read_row(self, row, fail):
        context = self.row_context
        number = self.parsed(row, "project_id", parse_int)
        name = _text(row, "project_name")
        email = clean_email(row.get("lead_email"))
        project = None
        if number:
            project = self.by_id.get(number)
            if project is None:
                fail("project_id", _("projet n° %(number)s inconnu") % {"number": number})
        elif name and email:
            project = self.by_name.get((name.lower(), email))
            if project is None:
                fail(
                    "project_name",
                    _("aucun projet « %(name)s » dont le·la porteur·se a le courriel %(email)s")
                    % {"name": name, "email": email},
                )
        elif "project_id" not in context["errors"]:
            fail(
                "project_name",
                _("projet non indiqué : donnez son numéro, ou son nom et le courriel du porteur"),
            )
        context["project"] = project
        day = self.parsed(row, "date", parse_date)
        hour = self.parsed(row, "time", parse_time)
        if day is None and "date" not in context["errors"]:
            fail("date", _("la date du rendez-vous est obligatoire"))
        context["start"] = (
            timezone.make_aware(datetime.datetime.combine(day, hour or DEFAULT_TIME))
            if day
            else None
        )
        context["duration"] = self.parsed(row, "duration", parse_duration)
        context["format"] = self.parsed(
            row, "format", lambda v: parse_choice(v, MeetingFormat, FORMAT_ALIASES, _("format"))
        )
        context["mode"] = self.parsed(
            row, "mode", lambda v: parse_choice(v, MeetingMode, MODE_ALIASES, _("modalité"))
        )
        for key in ("place", "summary", "decisions"):
            context[key] = str(row.get(key) or "").strip()
        led_by = _text(row, "led_by")
        context["led_by"] = None
        if led_by:
            context["led_by"] = self.users.get(fold(led_by))
            if context["led_by"] is None:
                fail(
                    "led_by",
                    _(
                        "personne inconnue dans l'équipe : « %(name)s » (identifiant, courriel "
                        "ou prénom et nom d'un·e utilisateur·rice)"
                    )
                    % {"name": led_by},
                )
        context["note"] = str(row.get("note") or "").strip()
        context["note_visibility"] = (
            self.parsed(
                row,
                "note_visibility",
                lambda v: parse_choice(v, NoteVisibility, VISIBILITY_ALIASES, _("visibilité")),
            )
            or NoteVisibility.INTERNAL
        )

    def find(self, row):
        context = self.row_context
        if context["project"] is None or context["start"] is None:
            return None
        meeting = self.meetings.get((context["project"].pk, context["start"]))
        if meeting is not None:
            known = self.notes.get(meeting.pk, set())
            context["extra_changes"] = bool(context["note"]) and context["note"] not in known
            return copy.copy(meeting)
        return None

    def natural_key(self, meeting):
        if meeting.project_id is None or meeting.start is None:
            return None
        return (meeting.project_id, meeting.start)

    def fill(self, meeting, row):
        context = self.row_context
        if context["project"] is not None:
            meeting.project = context["project"]
        if context["start"] is not None:
            meeting.start = context["start"]
        if context["duration"]:
            meeting.duration_minutes = context["duration"]
        elif meeting.pk is None and "duration" not in context["errors"]:
            context["errors"].setdefault("duration", []).append(
                str(_("la durée est obligatoire (en minutes, ou 1h30)"))
            )
        for key in ("format", "mode", "place", "summary", "decisions"):
            if context[key]:
                setattr(meeting, key, context[key])
        if context["led_by"] is not None:
            meeting.led_by = context["led_by"]
        elif meeting.led_by_id is None and self.by is not None:
            meeting.led_by = self.by
        if meeting.led_by_id is None:
            context["errors"].setdefault("led_by", []).append(
                str(_("indiquez qui a mené le rendez-vous"))
            )

    def after_row_saved(self, meeting, is_create):
        note = self.row_context["note"]
        if self.dry_run:
            return
        if is_create:
            self.new_meeting_projects.add(meeting.project_id)
        if note and (is_create or note not in self.notes.get(meeting.pk, set())):
            self.pending_notes.append((meeting, note, self.row_context["note_visibility"]))
            if meeting.pk:
                self.notes.setdefault(meeting.pk, set()).add(note)

    def after_bulk_write(self):
        from followups.services import refresh_last_meeting

        refresh_last_meeting(self.new_meeting_projects)
        self.new_meeting_projects.clear()
        ready = [item for item in self.pending_notes if item[0].pk]
        self.pending_notes = [item for item in self.pending_notes if not item[0].pk]
        notes = MeetingNote.objects.bulk_create(
            [
                MeetingNote(meeting=meeting, text=text, visibility=visibility, author=self.by)
                for meeting, text, visibility in ready
            ],
            batch_size=CHUNK_SIZE,
        )
        self.journal.add_created(MeetingNote, notes)
