"""Indicators measured on a project (jobs, turnover, funds raised) at a date."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import in_range, non_negative, validate_date_range
from crm.core.concurrency import VersionedModel
from crm.models.projects import Project, ProjectChildQuerySet

# Headcount a project may report: beyond it, a typo (a SIRET in the jobs column).
MAX_JOBS = 100_000


class MeasureKind(models.TextChoices):
    """The milestone of a measure: entry and exit of the accompaniment, then 6 months,
    1 year and 3 years after the exit (crm.projects.measures.MILESTONE_DELAYS), or a
    measure at a date of one's choosing (the former "yearly" follow-up)."""

    AT_ENTRY = "entry", _("À l'entrée")
    AT_EXIT = "exit", _("À la sortie")
    SIX_MONTHS = "six_months", _("6 mois après la sortie")
    ONE_YEAR = "one_year", _("1 an après la sortie")
    THREE_YEARS = "three_years", _("3 ans après la sortie")
    FREE = "free", _("Mesure datée libre")


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
    """An amount in euros; empty (NULL) when unknown, never 0 by default."""
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, null=True, blank=True, validators=non_negative()
    )


def _headcount(label):
    return models.PositiveIntegerField(
        label, null=True, blank=True, validators=in_range(0, MAX_JOBS)
    )


JOB_FIELDS = ("jobs_permanent", "jobs_fixed_term", "jobs_subsidised", "jobs_volunteer")


class ProjectMeasureQuerySet(ProjectChildQuerySet):
    def latest_per_project(self):
        """The most recent measure of each project (one query)."""
        newest = (
            ProjectMeasure.objects.filter(project=models.OuterRef("project"))
            .order_by("-measured_on", "-pk")
            .values("pk")[:1]
        )
        return self.filter(pk=models.Subquery(newest))


class ProjectMeasure(VersionedModel):
    """Indicators measured at a milestone. Every figure may be unknown (NULL): a report
    counts only what was known, and says how much was not. Recorded through
    crm.projects.measures.measure_record."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measures")
    measured_on = models.DateField(_("date de la mesure"), validators=[validate_date_range])
    kind = models.CharField(_("moment"), max_length=20, choices=MeasureKind)
    jobs_permanent = _headcount(_("emplois en CDI (personnes)"))
    jobs_fixed_term = _headcount(_("emplois en CDD (personnes)"))
    jobs_subsidised = _headcount(_("emplois aidés (personnes)"))
    jobs_volunteer = _headcount(_("bénévoles réguliers (personnes)"))
    fte = models.DecimalField(
        _("équivalents temps plein"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=in_range(0, MAX_JOBS),
    )
    turnover = _amount(_("chiffre d'affaires annuel (€)"))
    funds_grant = _amount(_("subventions (€)"))
    funds_honour_loan = _amount(_("prêts d'honneur (€)"))
    funds_bank_loan = _amount(_("prêts bancaires (€)"))
    funds_guarantee = _amount(_("garanties (€)"))
    funds_equity = _amount(_("fonds propres, capital (€)"))
    funds_crowdfunding = _amount(_("financement participatif (€)"))
    funds_sponsorship = _amount(_("mécénat (€)"))
    # Codes of contacts.LegalForm (offered by the form: crm.models cannot import contacts).
    legal_status = models.CharField(_("statut juridique à cette date"), max_length=20, blank=True)
    siret = models.CharField(_("SIRET à cette date"), max_length=14, blank=True)
    still_active = models.BooleanField(_("activité toujours existante"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(
        _("saisie le"), null=True, blank=True, validators=[validate_date_range]
    )

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
    def jobs(self) -> int | None:
        """Paid jobs (permanent, fixed-term, subsidised); None when none of them is known."""
        known = [getattr(self, name) for name in JOB_FIELDS[:3] if getattr(self, name) is not None]
        return sum(known) if known else None

    @property
    def funds_total(self):
        """Funds raised, all types; None when no type is known."""
        known = [getattr(self, name) for name in FUND_FIELDS if getattr(self, name) is not None]
        return sum(known) if known else None
