"""Meetings, their notes and the choices that describe them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.core import permissions
from crm.core.bounds import in_range, validate_date_range
from crm.core.concurrency import VersionedModel
from crm.core.indexes import PostgresGinIndex
from crm.core.text import search_vector
from crm.models import Project, ProjectChildQuerySet
from followups.models.cohorts import Cohort
from followups.models.contracts import PurchaseOrder


class MeetingFormat(models.TextChoices):
    INFORMATION = "information", _("Réunion d'information")
    WELCOME = "welcome", _("Accueil, orientation")
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    INDIVIDUAL = "individual", _("Rendez-vous individuel")
    WORKSHOP = "workshop", _("Atelier collectif")
    MENTORING = "mentoring", _("Parrainage, mentorat")
    INTRODUCTION = "introduction", _("Mise en relation avec un partenaire")
    FUNDING = "funding", _("Accompagnement au financement")
    EXPERTISE = "expertise", _("Expertise thématique")
    COMMITTEE = "committee", _("Comité, jury")
    POST_CREATION = "post_creation", _("Suivi post-création")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("En présentiel")
    VIDEO = "video", _("En visioconférence")
    PHONE = "phone", _("Par téléphone")


class TimeKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuel (heures du projet)")
    COLLECTIVE = "collective", _("Collectif (promotion)")


class NoteVisibility(models.TextChoices):
    INTERNAL = "internal", _("Interne (chargé·es de mission seulement)")
    PROVIDER = "provider", _("Partagée avec le prestataire")
    ENTREPRENEUR = "entrepreneur", _("Partageable avec le·la porteur·se")


def default_note_visibility(user) -> str:
    """Privacy by default: a new note starts at the most restrictive visibility its author
    may choose (internal for officers; shared with the provider for coaches, who cannot
    write internal notes). Sharing wider is the author's deliberate choice."""
    if permissions.can_write_internal_notes(user):
        return NoteVisibility.INTERNAL
    return NoteVisibility.PROVIDER


def _visible_projects(user):
    return Project.objects.visible_to(user)


class Meeting(VersionedModel):
    """A coaching session on one project."""

    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.PROTECT, related_name="meetings"
    )
    start = models.DateTimeField(_("date et heure"), validators=[validate_date_range])
    duration_minutes = models.PositiveIntegerField(
        _("durée (minutes)"), validators=in_range(1, 24 * 60)
    )
    format = models.CharField(
        _("format"), max_length=20, choices=MeetingFormat, default=MeetingFormat.INDIVIDUAL
    )
    mode = models.CharField(
        _("modalité"), max_length=20, choices=MeetingMode, default=MeetingMode.IN_PERSON
    )
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    themes = models.ManyToManyField("crm.Theme", verbose_name=_("thèmes"), blank=True)
    participants = models.ManyToManyField(
        "contacts.Person", verbose_name=_("porteur·ses présent·es"), blank=True
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("équipe présente"),
        blank=True,
        related_name="meetings_attended",
    )
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mené par"),
        on_delete=models.PROTECT,
        related_name="meetings_led",
    )
    summary = models.TextField(_("compte rendu"), blank=True)
    decisions = models.TextField(_("décisions"), blank=True)
    time_kind = models.CharField(
        _("décompte"), max_length=20, choices=TimeKind, default=TimeKind.INDIVIDUAL
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("promotion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("bon de commande"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["-start", "-pk"]
        indexes = [
            # Project meetings page, hours used and "no meeting for N days": by project, newest.
            models.Index(fields=["project", "-start"], name="followups_meeting_proj_idx"),
            # Global meetings list and the calendar feed sort and filter by date.
            models.Index(fields=["start"], name="followups_meeting_start_idx"),
            # Dashboard funnel: "has a diagnostic meeting", one small lookup per project
            # instead of reading every meeting of the project (partial: diagnostics only).
            models.Index(
                fields=["project"],
                condition=Q(format=MeetingFormat.DIAGNOSTIC),
                name="followups_meeting_diag_idx",
            ),
            # Dashboard coach hours: each portfolio project's individual minutes read from
            # the index alone (partial, covering), not from every meeting row.
            models.Index(
                fields=["project", "start"],
                include=["duration_minutes"],
                condition=Q(time_kind=TimeKind.INDIVIDUAL),
                name="followups_meeting_indiv_idx",
            ),
            # Global search (crm.search), PostgreSQL only: the words of the report.
            PostgresGinIndex(
                search_vector("summary", "decisions", "place"), name="followups_meeting_search_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="followups_meeting_duration_gt_0"
            ),
            models.CheckConstraint(
                condition=~Q(time_kind=TimeKind.COLLECTIVE) | Q(cohort__isnull=False),
                name="followups_meeting_collective_has_cohort",
            ),
        ]

    def __str__(self):
        return f"{self.project} – {timezone.localtime(self.start):%d/%m/%Y %H:%M}"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.duration_minutes) / 60).quantize(Decimal("0.01"))

    @property
    def end(self):
        return self.start + timezone.timedelta(minutes=self.duration_minutes)


class MeetingNoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Notes of visible meetings; internal notes only for officers (never coaches or
        managers, whatever page or export asks)."""
        from crm.core import roles

        notes = self.filter(meeting__project__in=_visible_projects(user))
        if not roles.is_officer(user):
            notes = notes.exclude(visibility=NoteVisibility.INTERNAL)
        return notes


class MeetingNote(VersionedModel):
    """A note on a meeting; edited after the fact through followups.services (note_*),
    with optimistic locking (`version`) and its history recorded."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    visibility = models.CharField(
        _("visibilité"), max_length=20, choices=NoteVisibility, default=NoteVisibility.INTERNAL
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = MeetingNoteQuerySet.as_manager()
    # Recorded, but no History page: an internal note's past text must never reach a coach
    # through a later change of its visibility (see followups.services.note_update).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("note de rendez-vous")
        verbose_name_plural = _("notes de rendez-vous")
        ordering = ["meeting", "created_at", "pk"]
        indexes = [
            # Meeting pages read a meeting's notes filtered by visibility.
            models.Index(fields=["meeting", "visibility"], name="followups_note_vis_idx"),
            # Global search (crm.search), PostgreSQL only: the words of the note.
            PostgresGinIndex(search_vector("text"), name="followups_note_search_idx"),
        ]

    def __str__(self):
        return f"{self.meeting} ({self.get_visibility_display()})"

    @property
    def is_internal(self) -> bool:
        return self.visibility == NoteVisibility.INTERNAL
