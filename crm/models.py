"""The project pipeline: communes, projects, their people, stage history and indicators."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts.models import EmploymentSituation


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


class Project(models.Model):
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

    history = HistoricalRecords(excluded_fields=["updated_at"])
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

    @property
    def stage_index(self) -> int:
        """Position of the current stage, 1 to 5, for progress bars."""
        return Stage.values.index(self.stage) + 1


class ProjectChildQuerySet(models.QuerySet):
    """Rows that hang off a project are visible exactly when their project is."""

    def visible_to(self, user):
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
