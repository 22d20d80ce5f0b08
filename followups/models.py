"""Follow-ups: meetings and their notes, next steps, workshops and attendance, cohorts,
the provider's contract ledger, reminders and calendar tokens.

Who sees what is decided here, in each queryset's `visible_to(user)`; internal notes are
left out of `MeetingNote.objects.visible_to()` for everyone but officers."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.core.concurrency import VersionedModel
from crm.models import Project, ProjectChildQuerySet


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


class UnitKind(models.TextChoices):
    COACHING_HOUR = "coaching_hour", _("Heure d'accompagnement individuel")
    WORKSHOP_HALF_DAY = "workshop_half_day", _("Demi-journée d'atelier")
    DIAGNOSTIC = "diagnostic", _("Diagnostic (forfait)")
    COHORT_ENTREPRENEUR = "cohort_entrepreneur", _("Entrepreneur·e en promotion (forfait)")


class EventKind(models.TextChoices):
    INFORMATION = "information", _("Temps d'information")
    WORKSHOP = "workshop", _("Atelier thématique")


class AttendanceStatus(models.TextChoices):
    REGISTERED = "registered", _("Inscrit·e")
    ATTENDED = "attended", _("Présent·e")
    EXCUSED = "excused", _("Excusé·e")
    ABSENT = "absent", _("Absent·e")


def _visible_projects(user):
    return Project.objects.visible_to(user)


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers and managers: all; a coach the cohorts holding one of their projects."""
        from crm.core import roles

        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            mine = Cohort.projects.through.objects.filter(
                cohort=OuterRef("pk"), project__coach=user
            )
            return self.filter(Exists(mine))
        return self.none()


class Cohort(models.Model):
    """A promotion: a named group of projects over a period, with collective events."""

    name = models.CharField(_("nom"), max_length=200)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    projects = models.ManyToManyField(
        Project, verbose_name=_("projets"), related_name="cohorts", blank=True
    )
    hours_allocated = models.DecimalField(
        _("heures collectives allouées"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Heures de temps collectif (rendez-vous collectifs et ateliers) prévues."),
    )
    order = models.ForeignKey(
        "followups.PurchaseOrder",
        verbose_name=_("bon de commande"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        help_text=_(
            "Chaque projet de la promotion consomme une unité « entrepreneur·e en promotion "
            "(forfait) » de ce bon."
        ),
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["-start_date", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="followups_cohort_end_after_start",
            ),
            models.UniqueConstraint(fields=["name"], name="followups_cohort_name_unique"),
            models.CheckConstraint(
                condition=Q(hours_allocated__isnull=True) | Q(hours_allocated__gte=0),
                name="followups_cohort_hours_gte_0",
            ),
        ]

    def __str__(self):
        return self.name


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers and managers: every contract; a coach their employer's contracts."""
        from crm.core import roles

        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user) and user.organisation_id:
            return self.filter(provider_id=user.organisation_id)
        return self.none()


class Contract(models.Model):
    """The framework agreement with the coaching provider."""

    reference = models.CharField(_("référence"), max_length=50, unique=True)
    provider = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("prestataire"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    max_amount = models.DecimalField(_("montant maximum (€)"), max_digits=12, decimal_places=2)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("marché du prestataire")
        verbose_name_plural = _("marchés du prestataire")
        ordering = ["-start_date", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="followups_contract_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(max_amount__gt=0), name="followups_contract_max_amount_gt_0"
            ),
        ]

    def __str__(self):
        return self.reference


class UnitPrice(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="prices")
    unit = models.CharField(_("unité d'œuvre"), max_length=30, choices=UnitKind)
    price = models.DecimalField(_("prix unitaire (€)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("prix unitaire")
        verbose_name_plural = _("prix unitaires")
        ordering = ["contract", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "unit"], name="followups_unitprice_one_per_unit"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="followups_unitprice_gt_0"),
        ]

    def __str__(self):
        return f"{self.get_unit_display()} : {self.price} €"


class PurchaseOrder(models.Model):
    """A bon de commande under the contract, with ordered quantities per unit."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(_("numéro"), max_length=50)
    issued_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("bon de commande")
        verbose_name_plural = _("bons de commande")
        ordering = ["-issued_on", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="followups_order_number_unique"
            ),
        ]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    unit = models.CharField(_("unité d'œuvre"), max_length=30, choices=UnitKind)
    quantity = models.DecimalField(_("quantité commandée"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")
        ordering = ["order", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["order", "unit"], name="followups_orderline_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="followups_orderline_quantity_gt_0"
            ),
        ]

    def __str__(self):
        return f"{self.order} – {self.get_unit_display()} × {self.quantity}"


class Meeting(models.Model):
    """A coaching session on one project."""

    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.PROTECT, related_name="meetings"
    )
    start = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
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
        _("visibilité"), max_length=20, choices=NoteVisibility, default=NoteVisibility.PROVIDER
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
        ]

    def __str__(self):
        return f"{self.meeting} ({self.get_visibility_display()})"

    @property
    def is_internal(self) -> bool:
        return self.visibility == NoteVisibility.INTERNAL


class ActionQuerySet(ProjectChildQuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)


class Action(models.Model):
    """A next step: who does what by when, often decided in a meeting."""

    title = models.CharField(_("action"), max_length=300)
    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    due_on = models.DateField(_("échéance"))
    done_on = models.DateField(_("faite le"), null=True, blank=True)
    created_on = models.DateField(_("créée le"), default=timezone.localdate)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("rendez-vous d'origine"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    escalated_on = models.DateField(_("signalée le"), null=True, blank=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        indexes = [
            # "My work" and send_reminders: a user's open actions by due date.
            models.Index(fields=["owner", "done_on", "due_on"], name="followups_action_owner_idx"),
            # Project panel: a project's open actions.
            models.Index(fields=["project", "done_on"], name="followups_action_proj_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=models.F("created_on")),
                name="followups_action_done_after_created",
            ),
        ]

    def __str__(self):
        return self.title


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers and managers: every event; a coach the events of their cohorts or where
        one of their projects registered someone."""
        from crm.core import roles

        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            # IN (subquery): PostgreSQL hashes the coach's registrations once, where an
            # EXISTS per event probed them event by event.
            attended = Attendance.objects.filter(project__coach=user).values("event")
            return self.filter(Q(pk__in=attended) | Q(cohort__in=Cohort.objects.visible_to(user)))
        return self.none()


class Event(models.Model):
    """An information session or a thematic workshop."""

    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind, default=EventKind.WORKSHOP)
    theme = models.ForeignKey(
        "crm.Theme", verbose_name=_("thème"), on_delete=models.SET_NULL, null=True, blank=True
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    partners = models.ManyToManyField(
        "contacts.Organisation", verbose_name=_("partenaires"), blank=True, related_name="events"
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("promotion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("bon de commande"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["-start", "pk"]
        indexes = [
            # Events list: newest first, filtered by date.
            models.Index(fields=["start"], name="followups_event_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="followups_event_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="followups_event_capacity_gt_0",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def hours(self) -> Decimal:
        return (Decimal((self.end - self.start).total_seconds()) / 3600).quantize(Decimal("0.01"))


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers and managers: all; a coach the registrations of their own projects."""
        from crm.core import roles

        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            return self.filter(project__coach=user)
        return self.none()


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("pour le projet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
    )
    status = models.CharField(
        _("présence"),
        max_length=20,
        choices=AttendanceStatus,
        default=AttendanceStatus.REGISTERED,
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["event", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="followups_attendance_one_per_person"
            ),
        ]
        indexes = [
            # A coach's events: registrations by project.
            models.Index(fields=["project"], name="followups_attendance_proj_idx"),
        ]

    def __str__(self):
        return f"{self.person} – {self.event}"


class ConsumptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers and managers: all; a coach only the units of their own meetings."""
        from crm.core import roles

        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            return self.filter(
                Q(meeting__led_by=user) | Q(meeting__project__coach=user) | Q(project__coach=user)
            )
        return self.none()


class Consumption(models.Model):
    """Units of a purchase order consumed by a meeting, an event or a flat service.

    Written by followups.services (meeting_log, event_consume, cohort_consume): a cohort
    row is the flat unit of one project in a cohort (one per cohort and project)."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="consumptions")
    unit = models.CharField(_("unité d'œuvre"), max_length=30, choices=UnitKind)
    quantity = models.DecimalField(_("quantité"), max_digits=8, decimal_places=2)
    on = models.DateField(_("date"))
    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="consumption"
    )
    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="consumption"
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="consumptions"
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="consumptions"
    )
    label = models.CharField(_("libellé"), max_length=200, blank=True)

    objects = ConsumptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("consommation")
        verbose_name_plural = _("consommations")
        ordering = ["order", "on", "pk"]
        indexes = [
            # Monthly statement of a purchase order.
            models.Index(fields=["order", "on"], name="followups_consumption_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="followups_consumption_quantity_gt_0"
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True, event__isnull=True)
                | Q(meeting__isnull=True, cohort__isnull=True)
                | Q(event__isnull=True, cohort__isnull=True),
                name="followups_consumption_one_source",
            ),
            models.CheckConstraint(
                condition=Q(cohort__isnull=True) | Q(project__isnull=False),
                name="followups_consumption_cohort_has_project",
            ),
            models.UniqueConstraint(
                fields=["cohort", "project"],
                condition=Q(cohort__isnull=False),
                name="followups_consumption_one_per_cohort_project",
            ),
        ]

    def __str__(self):
        return f"{self.order} – {self.get_unit_display()} × {self.quantity}"


class ServiceCertification(models.Model):
    """An officer certifies the service done (service fait) on an order for a month."""

    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.PROTECT, related_name="certifications"
    )
    month = models.DateField(_("mois"), help_text=_("Premier jour du mois certifié."))
    amount = models.DecimalField(_("montant certifié (€)"), max_digits=12, decimal_places=2)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    certified_at = models.DateTimeField(_("certifié le"), auto_now_add=True)

    class Meta:
        verbose_name = _("service fait")
        verbose_name_plural = _("services faits")
        ordering = ["order", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "month"], name="followups_certification_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="followups_certification_amount_gte_0"
            ),
        ]

    def __str__(self):
        return f"{self.order} – {self.month:%m/%Y}"


class ReminderLog(models.Model):
    """One row per user and day that send_reminders handled: what makes it idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    action_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="followups_reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.user} – {self.day:%d/%m/%Y}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's calendar feed URL; regenerating it revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lien d'agenda")
        verbose_name_plural = _("liens d'agenda")

    def __str__(self):
        return str(self.user)
