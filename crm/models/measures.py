"""Indicators measured on a project (jobs, turnover, funds raised) at a date."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import in_range, non_negative, validate_date_range
from crm.models.projects import Project, ProjectChildQuerySet

# Headcount a project may report: beyond it, a typo (a SIRET in the jobs column).
MAX_JOBS = 100_000


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
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, default=0, validators=non_negative()
    )


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
    measured_on = models.DateField(_("date de la mesure"), validators=[validate_date_range])
    kind = models.CharField(_("moment"), max_length=20, choices=MeasureKind)
    jobs_permanent = models.PositiveIntegerField(
        _("emplois en CDI (personnes)"), default=0, validators=in_range(0, MAX_JOBS)
    )
    jobs_fixed_term = models.PositiveIntegerField(
        _("emplois en CDD (personnes)"), default=0, validators=in_range(0, MAX_JOBS)
    )
    fte = models.DecimalField(
        _("équivalents temps plein"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=non_negative(),
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
