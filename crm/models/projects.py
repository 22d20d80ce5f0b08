"""Projects, their entrepreneurs and their stage history: the pipeline."""

from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.core import roles
from crm.core.bounds import non_negative, validate_date_range
from crm.core.concurrency import VersionedModel
from crm.core.indexes import PostgresGinIndex
from crm.core.text import Fold, search_vector
from crm.models.territory import Commune, Theme


class EmploymentSituation(models.TextChoices):
    """Labour-market situation, as the ESF+ participant indicators ask for it."""

    EMPLOYED = "employed", _("Salarié·e")
    SELF_EMPLOYED = "self_employed", _("Indépendant·e / chef·fe d'entreprise")
    JOBSEEKER = "jobseeker", _("Demandeur·se d'emploi")
    JOBSEEKER_LONG_TERM = "jobseeker_long_term", _("Demandeur·se d'emploi de longue durée")
    STUDENT = "student", _("Étudiant·e ou en formation")
    INACTIVE = "inactive", _("Inactif·ve")
    OTHER = "other", _("Autre")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idée")
    FEASIBILITY = "feasibility", _("Faisabilité")
    LAUNCH = "launch", _("Lancement")
    CONSOLIDATION = "consolidation", _("Consolidation")
    SCALE_UP = "scale_up", _("Changement d'échelle")


class Status(models.TextChoices):
    APPLICANT = "applicant", _("Candidature")
    ACTIVE = "active", _("En accompagnement")
    ON_HOLD = "on_hold", _("En pause")
    EXITED = "exited", _("Sorti")
    COMPLETED = "completed", _("Terminé")


class ExitReason(models.TextChoices):
    ABANDONED = "abandoned", _("Projet abandonné")
    REDIRECTED = "redirected", _("Réorienté vers un partenaire")
    MOVED_AWAY = "moved_away", _("Quitte le territoire")
    NO_CONTACT = "no_contact", _("Sans nouvelles")
    NOT_ELIGIBLE = "not_eligible", _("Hors critères")
    OTHER = "other", _("Autre")


class Sector(models.TextChoices):
    FOOD = "food", _("Alimentation, épicerie solidaire")
    AGRICULTURE = "agriculture", _("Agriculture urbaine, maraîchage bio")
    THIRD_PLACE = "third_place", _("Tiers-lieu, coworking")
    MOBILITY = "mobility", _("Mobilité, vélo")
    LOGISTICS = "logistics", _("Logistique du dernier kilomètre")
    TOURISM = "tourism", _("Tourisme solidaire, fluvial")
    CIRCULAR = "circular", _("Réemploi, recyclage, compostage")
    FINANCE = "finance", _("Finance solidaire")
    RETAIL = "retail", _("Commerce coopératif")
    CULTURE = "culture", _("Culture, médias")
    CARE = "care", _("Services à la personne, santé")
    EDUCATION = "education", _("Éducation, insertion, formation")
    DIGITAL = "digital", _("Numérique")
    CONSTRUCTION = "construction", _("Bâtiment, habitat")
    OTHER = "other", _("Autre")


class Source(models.TextChoices):
    ONLINE_FORM = "online_form", _("Formulaire en ligne")
    CALL = "call", _("Appel à projets")
    PARTNER = "partner", _("Orientation par un partenaire")
    EVENT = "event", _("Atelier ou réunion d'information")


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What `user` may see: officers and managers every project, a coach the projects
        assigned to them, anyone else nothing. Every view, export and report starts here."""

        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            return self.filter(coach=user)
        return self.none()

    def current(self):
        """Projects not archived: what default lists show."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def in_stage(self, stage):
        return self.filter(stage=stage)

    def accompanied(self):
        return self.filter(status=Status.ACTIVE)

    def received_between(self, start=None, end=None):
        """Projects that came in between `start` and `end` (days, both included, either
        may be None), by `received_on()`."""
        queryset = self.alias(received=received_on())
        if start is not None:
            queryset = queryset.filter(received__gte=start)
        if end is not None:
            queryset = queryset.filter(received__lte=end)
        return queryset

    def not_exited_before(self, day):
        return self.filter(Q(exit_date__isnull=True) | Q(exit_date__gte=day))

    def followed_between(self, start, end):
        """The portfolio of a period: projects received before its end and not exited
        before its start."""
        return self.received_between(end=end).not_exited_before(start)


def received_on():
    """The day a project came in: its online registration, else its entry date, else the
    day its record was created (the dashboard's and the project list's definition)."""
    return Coalesce(
        TruncDate("registration__submitted_at"),
        models.F("entry_date"),
        TruncDate("created_at"),
        output_field=models.DateField(),
    )


class Project(VersionedModel):
    name = models.CharField(_("nom du projet"), max_length=200)
    # Free texts are bounded (the public form writes them): MaxLengthValidator, since a
    # TextField's max_length alone binds only the form.
    summary = models.TextField(
        _("résumé"), blank=True, max_length=10_000, validators=[MaxLengthValidator(10_000)]
    )
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), blank=True)
    social_impact = models.TextField(
        _("impact social"), blank=True, max_length=5_000, validators=[MaxLengthValidator(5_000)]
    )
    environmental_impact = models.TextField(
        _("impact environnemental"),
        blank=True,
        max_length=5_000,
        validators=[MaxLengthValidator(5_000)],
    )
    stage = models.CharField(_("étape"), max_length=20, choices=Stage, default=Stage.IDEA)
    status = models.CharField(
        _("statut du suivi"), max_length=20, choices=Status, default=Status.APPLICANT
    )
    exit_reason = models.CharField(
        _("motif de sortie"), max_length=20, choices=ExitReason, blank=True
    )
    people = models.ManyToManyField(
        "contacts.Person",
        through="ProjectMember",
        related_name="projects",
        verbose_name=_("porteur·ses"),
    )
    organisation = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("structure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune du projet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    in_qpv = models.BooleanField(_("implanté en QPV"), default=False)
    # The accompaniment is cofinanced by the European Social Fund Plus: its sheets carry the
    # EU emblem and funding line, and the ESF+ participant data is asked (crm.models.esf).
    esf_funded = models.BooleanField(_("cofinancé par le FSE+"), default=False)
    source = models.CharField(_("origine"), max_length=20, choices=Source, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chargé·e de mission"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officer_projects",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accompagnateur·rice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_projects",
    )
    hours_allocated = models.DecimalField(
        _("heures allouées"),
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=non_negative(),
    )
    entry_date = models.DateField(
        _("date d'entrée"), null=True, blank=True, validators=[validate_date_range]
    )
    exit_date = models.DateField(
        _("date de sortie"), null=True, blank=True, validators=[validate_date_range]
    )
    situation_at_exit = models.CharField(
        _("situation à la sortie"), max_length=20, choices=EmploymentSituation, blank=True
    )
    situation_6_months_after_exit = models.CharField(
        _("situation 6 mois après la sortie"),
        max_length=20,
        choices=EmploymentSituation,
        blank=True,
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)
    # The start of the project's latest meeting (planned ones included), kept by
    # followups.services.refresh_last_meeting whenever meetings are written. Stored so that
    # "no meeting for N days" is a filter on the project, not an anti-join with every
    # meeting (the home page's count at 60,000 projects and 640,000 meetings: 34 ms).
    last_meeting_at = models.DateTimeField(
        _("dernier rendez-vous"), null=True, blank=True, editable=False
    )

    # Derived columns are not edits: the history leaves them out.
    history = HistoricalRecords(excluded_fields=["updated_at", "last_meeting_at"])
    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet accompagné")
        verbose_name_plural = _("projets accompagnés")
        ordering = ["name", "pk"]
        indexes = [
            # Project list and board: filter by stage and status, newest entries first.
            models.Index(fields=["stage", "status"], name="crm_project_stage_status_idx"),
            models.Index(fields=["status"], name="crm_project_status_idx"),
            # Project list filters by sector and source, sorts by entry date and name.
            models.Index(fields=["sector"], name="crm_project_sector_idx"),
            models.Index(fields=["source"], name="crm_project_source_idx"),
            models.Index(fields=["entry_date"], name="crm_project_entry_date_idx"),
            models.Index(fields=["in_qpv"], name="crm_project_in_qpv_idx"),
            models.Index(Lower("name"), name="crm_project_name_ci_idx"),
            # Default lists leave archived projects out.
            models.Index(fields=["archived_at"], name="crm_project_archived_idx"),
            # The board and the coach's home read the first cards of each stage in name
            # order: walking this index stops after a page instead of sorting every project.
            models.Index(
                fields=["stage", "name", "id"],
                condition=Q(archived_at__isnull=True),
                name="crm_project_board_idx",
            ),
            # The project list's default order (name, id), for everyone and for one coach:
            # the first page is read from the index instead of sorting 60,000 projects.
            models.Index(
                fields=["name", "id"],
                condition=Q(archived_at__isnull=True),
                name="crm_project_list_idx",
            ),
            models.Index(
                fields=["coach", "name", "id"],
                condition=Q(archived_at__isnull=True),
                name="crm_project_coach_list_idx",
            ),
            # The home page's single pass (by stage, status and commune, with the hours, the
            # officer and the latest meeting) and the board's counts, read from this index
            # alone on PostgreSQL: a quarter of the table's pages (30 to 13 ms at 60,000).
            models.Index(
                fields=["stage", "status", "commune"],
                include=["id", "hours_allocated", "officer", "last_meeting_at"],
                condition=Q(archived_at__isnull=True),
                name="crm_project_figures_idx",
            ),
            # Global search (crm.search), PostgreSQL only: words of the name and summary,
            # and the name's trigrams for typos.
            PostgresGinIndex(search_vector("name", "summary"), name="crm_project_search_idx"),
            PostgresGinIndex(
                OpClass(Fold("name"), name="gin_trgm_ops"), name="crm_project_name_trgm_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_allocated__gte=0), name="crm_project_hours_allocated_gte_0"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.EXITED) | ~Q(exit_reason=""),
                name="crm_project_exit_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True)
                | Q(entry_date__isnull=True)
                | Q(exit_date__gte=models.F("entry_date")),
                name="crm_project_exit_after_entry",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("crm:project-detail", args=[self.pk])

    @property
    def stage_index(self) -> int:
        """Position of the current stage, 1 to 5, for progress bars."""
        return Stage.values.index(self.stage) + 1


class ProjectChildQuerySet(models.QuerySet):
    """Rows that hang off a project are visible exactly when their project is."""

    def visible_to(self, user):

        if roles.sees_everything(user):
            # Every row has a project and they see every project: a semi-join to all the
            # projects would only cost time (640,000 meetings at scale 1000).
            return self.all()
        return self.filter(project__in=Project.objects.visible_to(user))


class ProjectMember(models.Model):
    """An entrepreneur of a project; exactly one is the lead."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "contacts.Person", on_delete=models.CASCADE, related_name="project_memberships"
    )
    is_lead = models.BooleanField(_("porteur·se principal·e"), default=False)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("porteur·se du projet")
        verbose_name_plural = _("porteur·ses du projet")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person"], name="crm_projectmember_unique_person"
            ),
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_lead=True), name="crm_projectmember_one_lead"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.project}"


class StageChange(models.Model):
    """One move of a project's stage or status; the latest move is the current state.

    Written only by crm.projects.services.project_move (and project_create)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    at = models.DateTimeField(_("le"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_stage = models.CharField(_("étape précédente"), max_length=20, choices=Stage, blank=True)
    to_stage = models.CharField(_("étape"), max_length=20, choices=Stage)
    from_status = models.CharField(_("statut précédent"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("statut"), max_length=20, choices=Status)
    exit_reason = models.CharField(
        _("motif de sortie"), max_length=20, choices=ExitReason, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("changements d'étape")
        ordering = ["project", "-at", "-pk"]
        indexes = [
            # Project timeline and "days in stage" read a project's moves newest first;
            # the median-days-per-stage report scans by date.
            models.Index(fields=["project", "-at"], name="crm_stagechange_project_at_idx"),
            models.Index(fields=["at"], name="crm_stagechange_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_status=Status.EXITED) | ~Q(exit_reason=""),
                name="crm_stagechange_exit_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.project} : {self.get_to_stage_display()} / {self.get_to_status_display()}"
