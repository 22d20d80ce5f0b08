"""Cohorts (promotions): named groups of projects with collective hours."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import non_negative, validate_date_range
from crm.core.concurrency import VersionedModel
from crm.models import Project


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


class Cohort(VersionedModel):
    """A promotion: a named group of projects over a period, with collective events."""

    name = models.CharField(_("nom"), max_length=200)
    start_date = models.DateField(_("début"), validators=[validate_date_range])
    end_date = models.DateField(_("fin"), validators=[validate_date_range])
    projects = models.ManyToManyField(
        Project, verbose_name=_("projets"), related_name="cohorts", blank=True
    )
    hours_allocated = models.DecimalField(
        _("heures collectives allouées"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=non_negative(),
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
