"""The project pipeline: communes, projects, their people, stage history and indicators."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts.models import EmploymentSituation
from crm.concurrency import VersionedModel


class User(AbstractUser):
    """A staff member: officer, coach or manager (see crm.roles)."""

    organisation = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("structure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Pour un·e accompagnateur·rice : le prestataire qui l'emploie."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Commune(models.Model):
    """A commune, keyed by its INSEE code (postal codes are shared between communes)."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True, null=True, blank=True)
    name = models.CharField(_("nom"), max_length=100)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    in_territory = models.BooleanField(_("dans le territoire"), default=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        # Territory communes first, alphabetical; "outside the territory" last.
        ordering = ["-in_territory", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_territory=False) | Q(insee_code__isnull=False),
                name="crm_commune_territory_has_insee_code",
            ),
            models.UniqueConstraint(fields=["name"], name="crm_commune_name_unique"),
        ]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """An accompaniment theme (strategy, funding, governance…): reference data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=100)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


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
        from crm import roles

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
    summary = models.TextField(_("résumé"), blank=True)
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), blank=True)
    social_impact = models.TextField(_("impact social"), blank=True)
    environmental_impact = models.TextField(_("impact environnemental"), blank=True)
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
        _("heures allouées"), max_digits=6, decimal_places=1, default=0
    )
    entry_date = models.DateField(_("date d'entrée"), null=True, blank=True)
    exit_date = models.DateField(_("date de sortie"), null=True, blank=True)
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
        from crm import roles

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

    Written only by crm.services.project_move (and project_create)."""

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


class MeasureKind(models.TextChoices):
    AT_ENTRY = "entry", _("À l'entrée")
    AT_EXIT = "exit", _("À la sortie")
    SIX_MONTHS = "six_months", _("6 mois après la sortie")
    YEARLY = "yearly", _("Suivi annuel")


FUND_FIELDS = (
    "funds_grant",
    "funds_honour_loan",
    "funds_bank_loan",
    "funds_guarantee",
    "funds_equity",
    "funds_crowdfunding",
    "funds_sponsorship",
)


def _amount(label):
    return models.DecimalField(label, max_digits=12, decimal_places=2, default=0)


class ProjectMeasureQuerySet(ProjectChildQuerySet):
    def latest_per_project(self):
        """The most recent measure of each project (one query)."""
        newest = (
            ProjectMeasure.objects.filter(project=models.OuterRef("project"))
            .order_by("-measured_on", "-pk")
            .values("pk")[:1]
        )
        return self.filter(pk=models.Subquery(newest))


class ProjectMeasure(models.Model):
    """Indicators measured at a date: at entry, at exit, 6 months after, then yearly."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measures")
    measured_on = models.DateField(_("date de la mesure"))
    kind = models.CharField(_("moment"), max_length=20, choices=MeasureKind)
    jobs_permanent = models.PositiveIntegerField(_("emplois en CDI (personnes)"), default=0)
    jobs_fixed_term = models.PositiveIntegerField(_("emplois en CDD (personnes)"), default=0)
    fte = models.DecimalField(
        _("équivalents temps plein"), max_digits=7, decimal_places=2, default=0
    )
    turnover = _amount(_("chiffre d'affaires annuel (€)"))
    funds_grant = _amount(_("subventions (€)"))
    funds_honour_loan = _amount(_("prêts d'honneur (€)"))
    funds_bank_loan = _amount(_("prêts bancaires (€)"))
    funds_guarantee = _amount(_("garanties (€)"))
    funds_equity = _amount(_("fonds propres, capital (€)"))
    funds_crowdfunding = _amount(_("financement participatif (€)"))
    funds_sponsorship = _amount(_("mécénat (€)"))
    still_active = models.BooleanField(_("toujours en activité"), default=True)

    objects = ProjectMeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("mesure d'impact")
        verbose_name_plural = _("mesures d'impact")
        ordering = ["project", "-measured_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "measured_on"], name="crm_measure_one_per_project_date"
            ),
            models.CheckConstraint(
                condition=Q(fte__gte=0)
                & Q(turnover__gte=0)
                & Q(funds_grant__gte=0)
                & Q(funds_honour_loan__gte=0)
                & Q(funds_bank_loan__gte=0)
                & Q(funds_guarantee__gte=0)
                & Q(funds_equity__gte=0)
                & Q(funds_crowdfunding__gte=0)
                & Q(funds_sponsorship__gte=0),
                name="crm_measure_amounts_gte_0",
            ),
        ]
        indexes = [
            # Reports read each project's latest measure and the series by date.
            models.Index(fields=["project", "-measured_on"], name="crm_measure_project_date_idx"),
        ]

    def __str__(self):
        return f"{self.project} – {self.get_kind_display()} ({self.measured_on:%d/%m/%Y})"

    @property
    def jobs(self) -> int:
        return self.jobs_permanent + self.jobs_fixed_term

    @property
    def funds_total(self):
        return sum(getattr(self, name) for name in FUND_FIELDS)


class ImportKind(models.TextChoices):
    PROJECTS = "projects", _("Projets, porteur·ses et structures")
    PEOPLE = "people", _("Porteur·ses de projet")
    ORGANISATIONS = "organisations", _("Structures")
    MEETINGS = "meetings", _("Rendez-vous (et leurs notes)")


class ImportMode(models.TextChoices):
    UPDATE = "update", _("Mettre à jour les fiches existantes")
    KEEP = "keep", _("Garder les fiches existantes telles quelles")
    REVIEW = "review", _("Choisir ligne par ligne")


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("Colonnes à associer")
    PREVIEWING = "previewing", _("Prévisualisation en cours")
    PREVIEWED = "previewed", _("Prévisualisé")
    IMPORTING = "importing", _("Import en cours")
    DONE = "done", _("Importé")
    FAILED = "failed", _("Échec")
    CANCELLED = "cancelled", _("Annulé")

    @classmethod
    def running(cls) -> tuple[str, str]:
        """States in which a background task is working on the batch."""
        return (cls.PREVIEWING, cls.IMPORTING)


class ImportBatch(models.Model):
    """One uploaded file on its way in: upload, column mapping, preview, confirmation."""

    kind = models.CharField(_("type"), max_length=20, choices=ImportKind)
    mode = models.CharField(
        _("fiches existantes"), max_length=10, choices=ImportMode, default=ImportMode.UPDATE
    )
    file = models.FileField(_("fichier"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    status = models.CharField(
        _("état"), max_length=10, choices=ImportStatus, default=ImportStatus.PREVIEWED
    )
    mapping = models.JSONField(_("association des colonnes"), default=dict, blank=True)
    preview = models.JSONField(_("prévisualisation"), default=dict, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    done_at = models.DateTimeField(_("importé le"), null=True, blank=True)
    # Progress of the running preview or import, updated once per chunk of rows.
    processed = models.PositiveIntegerField(_("lignes traitées"), default=0)
    total = models.PositiveIntegerField(_("lignes du fichier"), default=0)
    # Why a background preview or import stopped (status "failed"); nothing was written.
    failure = models.TextField(_("cause de l'échec"), blank=True)

    class Meta:
        verbose_name = _("import de fichier")
        verbose_name_plural = _("imports de fichiers")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The imports page lists the latest batches first.
            models.Index(fields=["-created_at"], name="crm_importbatch_created_idx"),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%d/%m/%Y %H:%M})"


class ImportColumnMapping(models.Model):
    """A spreadsheet header the officer matched to a field once, reused on later imports."""

    kind = models.CharField(_("type"), max_length=20, choices=ImportKind)
    header = models.CharField(_("en-tête du fichier"), max_length=200)
    # An empty target means "ignore this column".
    target = models.CharField(_("champ"), max_length=50, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("enregistré le"), auto_now=True)

    class Meta:
        verbose_name = _("association de colonne")
        verbose_name_plural = _("associations de colonnes")
        constraints = [
            models.UniqueConstraint(fields=["kind", "header"], name="crm_importmapping_unique"),
        ]

    def __str__(self):
        return f"{self.header} → {self.target or '—'}"


# --- Intake: online registrations, triage decisions, calls for projects (issue 8) ---------


class HeardFrom(models.TextChoices):
    WEBSITE = "website", _("Site internet de l'établissement")
    COMMUNE = "commune", _("Ma commune")
    PARTNER = "partner", _("Un partenaire (chambre régionale de l'ESS, Région, réseau…)")
    EVENT = "event", _("Un atelier ou une réunion d'information")
    WORD_OF_MOUTH = "word_of_mouth", _("Le bouche-à-oreille")
    SOCIAL_MEDIA = "social_media", _("Les réseaux sociaux")
    OTHER = "other", _("Autre")


class Registration(models.Model):
    """What an entrepreneur told us on the public form, kept beside the project it created,
    with the matches an officer must check during triage. Written by crm.intake."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="registration", verbose_name=_("projet")
    )
    person = models.ForeignKey(
        "contacts.Person",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("porteur·se"),
    )
    submitted_at = models.DateTimeField(_("reçue le"))
    help_sought = models.TextField(_("aide recherchée"))
    heard_from = models.CharField(
        _("a connu le dispositif par"), max_length=20, choices=HeardFrom, blank=True
    )
    person_matched = models.BooleanField(_("personne déjà connue (même courriel)"), default=False)
    organisation_matched = models.BooleanField(
        _("structure déjà connue (même SIRET)"), default=False
    )
    possible_duplicate_people = models.ManyToManyField(
        "contacts.Person",
        blank=True,
        related_name="+",
        verbose_name=_("doublons possibles (personnes)"),
    )
    possible_duplicate_organisations = models.ManyToManyField(
        "contacts.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("doublons possibles (structures)"),
    )

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription en ligne")
        verbose_name_plural = _("inscriptions en ligne")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            # The triage list shows the newest registrations first.
            models.Index(fields=["-submitted_at"], name="crm_registration_submitted_idx"),
        ]

    def __str__(self):
        return f"{self.project} ({self.submitted_at:%d/%m/%Y})"


class TriageOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Acceptée : accompagnement")
    REDIRECTED = "redirected", _("Réorientée vers un partenaire")
    DECLINED = "declined", _("Refusée")


class TriageDecision(models.Model):
    """An officer's decision on an application; the project's status change is in its
    StageChange history too. Written only by crm.intake."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="triage_decisions")
    outcome = models.CharField(_("décision"), max_length=20, choices=TriageOutcome)
    at = models.DateTimeField(_("le"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("motif"), blank=True)
    partner = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("partenaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redirected_projects",
    )
    applicant_emailed = models.BooleanField(_("courriel envoyé au porteur·se"), default=False)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision sur une candidature")
        verbose_name_plural = _("décisions sur les candidatures")
        ordering = ["project", "-at", "-pk"]
        indexes = [
            # The application page lists a project's decisions newest first.
            models.Index(fields=["project", "-at"], name="crm_triage_project_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=TriageOutcome.REDIRECTED) | Q(partner__isnull=False),
                name="crm_triage_redirect_has_partner",
            ),
            models.CheckConstraint(
                condition=Q(outcome=TriageOutcome.ACCEPTED) | ~Q(reason=""),
                name="crm_triage_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.project} : {self.get_outcome_display()}"


class CallQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers run the calls, managers read them; nobody else sees them."""
        from crm import roles

        return self.all() if roles.sees_everything(user) else self.none()


class Call(models.Model):
    """One yearly edition of the call for projects (appel à projets)."""

    year = models.PositiveSmallIntegerField(_("édition (année)"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    envelope = models.DecimalField(_("enveloppe (€)"), max_digits=12, decimal_places=2)
    opens_on = models.DateField(_("ouverture le"))
    closes_on = models.DateField(_("clôture le"))
    criteria = models.TextField(_("critères"), blank=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(envelope__gte=0), name="crm_call_envelope_gte_0"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="crm_call_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(year__range=(2000, 2100)), name="crm_call_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"


class CommuneOpinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Réservé")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class CommitteeDecision(models.TextChoices):
    PENDING = "pending", _("En attente")
    WINNER = "winner", _("Lauréat")
    REJECTED = "rejected", _("Non retenu")


SCORE_FIELDS = ("score_jobs", "score_local_roots", "score_social_utility", "score_viability")


def _score(label):
    from django.core.validators import MaxValueValidator

    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(5)]
    )


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Applications of the calls the user may see (officers and managers)."""
        from crm import roles

        return self.all() if roles.sees_everything(user) else self.none()

    def with_total_score(self):
        from django.db.models.functions import Coalesce

        total = models.Value(0)
        for name in SCORE_FIELDS:
            total = total + Coalesce(name, 0)
        return self.annotate(score_total=total)


class Application(models.Model):
    """A project's application to a call: commune opinion, committee scores and decision,
    grant awarded and paid. Decisions go through crm.intake.call_application_decide."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("appel")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="call_applications",
        verbose_name=_("projet"),
    )
    amount_requested = models.DecimalField(
        _("montant demandé (€)"), max_digits=12, decimal_places=2
    )
    commune_opinion = models.CharField(
        _("avis de la commune"), max_length=20, choices=CommuneOpinion, blank=True
    )
    commune_opinion_comment = models.TextField(_("commentaire de la commune"), blank=True)
    score_jobs = _score(_("création d'emplois"))
    score_local_roots = _score(_("ancrage territorial"))
    score_social_utility = _score(_("utilité sociale"))
    score_viability = _score(_("viabilité économique"))
    decision = models.CharField(
        _("décision du comité"),
        max_length=20,
        choices=CommitteeDecision,
        default=CommitteeDecision.PENDING,
    )
    amount_awarded = models.DecimalField(
        _("montant attribué (€)"), max_digits=12, decimal_places=2, default=0
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décision saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_payment_on = models.DateField(_("premier versement le"), null=True, blank=True)
    balance_paid_on = models.DateField(_("solde versé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidature à un appel")
        verbose_name_plural = _("candidatures aux appels")
        ordering = ["call", "project__name", "pk"]
        indexes = [
            # The call's application list filters by decision; the envelope sums winners.
            models.Index(fields=["call", "decision"], name="crm_application_call_dec_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "project"], name="crm_application_one_per_project_call"
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__gte=0) & Q(amount_awarded__gte=0),
                name="crm_application_amounts_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(amount_awarded__lte=models.F("amount_requested")),
                name="crm_application_awarded_lte_requested",
            ),
            models.CheckConstraint(
                condition=Q(decision=CommitteeDecision.WINNER) | Q(amount_awarded=0),
                name="crm_application_only_winners_awarded",
            ),
            models.CheckConstraint(
                condition=Q(score_jobs__isnull=True) | Q(score_jobs__lte=5),
                name="crm_application_score_jobs_range",
            ),
            models.CheckConstraint(
                condition=Q(score_local_roots__isnull=True) | Q(score_local_roots__lte=5),
                name="crm_application_score_roots_range",
            ),
            models.CheckConstraint(
                condition=Q(score_social_utility__isnull=True) | Q(score_social_utility__lte=5),
                name="crm_application_score_utility_range",
            ),
            models.CheckConstraint(
                condition=Q(score_viability__isnull=True) | Q(score_viability__lte=5),
                name="crm_application_score_viability_range",
            ),
            models.CheckConstraint(
                condition=Q(balance_paid_on__isnull=True)
                | Q(first_payment_on__isnull=False)
                & Q(balance_paid_on__gte=models.F("first_payment_on")),
                name="crm_application_balance_after_first_payment",
            ),
        ]

    def __str__(self):
        return f"{self.project} – {self.call}"

    @property
    def total_score(self) -> int | None:
        scores = [getattr(self, name) for name in SCORE_FIELDS]
        if all(score is None for score in scores):
            return None
        return sum(score or 0 for score in scores)


class AccessEventKind(models.TextChoices):
    LOGIN = "login", _("Connexion")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    LOGOUT = "logout", _("Déconnexion")
    LOCKOUT = "lockout", _("Compte bloqué")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")


class AccessEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only officers (and the administrator) read the access log."""
        from crm import roles

        return self.all() if roles.is_officer(user) else self.none()


class AccessEvent(models.Model):
    """One line of the access log: logins, failures, lockouts, exports and imports.

    Written by crm.audit.log_access_event only; kept ACCESS_LOG_RETENTION_DAYS days."""

    kind = models.CharField(_("événement"), max_length=20, choices=AccessEventKind)
    at = models.DateTimeField(_("date"), default=timezone.now)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utilisateur·rice"),
    )
    username = models.CharField(_("identifiant saisi"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=255, blank=True)
    detail = models.CharField(_("détail"), max_length=255, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement d'accès")
        verbose_name_plural = _("journal d'accès")
        indexes = [
            # The access-log page lists newest first and filters by kind.
            models.Index(fields=["-at", "-id"], name="crm_accessevent_at_idx"),
            models.Index(fields=["kind", "-at"], name="crm_accessevent_kind_idx"),
        ]

    def __str__(self):
        who = self.username or self.user_id
        return f"{self.get_kind_display()} – {who} – {self.at:%d/%m/%Y %H:%M}"
