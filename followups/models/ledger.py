"""The provider's ledger: units consumed on purchase orders and the service certified."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import non_negative, positive_amount, validate_date_range
from crm.models import Project
from followups.models.cohorts import Cohort
from followups.models.contracts import PurchaseOrder, UnitKind
from followups.models.events import Event
from followups.models.meetings import Meeting


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
    quantity = models.DecimalField(
        _("quantité"), max_digits=8, decimal_places=2, validators=positive_amount()
    )
    on = models.DateField(_("date"), validators=[validate_date_range])
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


class ServiceCertificationQuerySet(models.QuerySet):
    def active(self):
        """Certifications that stand (not revoked): what the ledger counts as certified."""
        return self.filter(revoked_at__isnull=True)


class ServiceCertification(models.Model):
    """An officer certifies the service done (service fait) on an order for a month.

    A certification is never deleted: an officer revokes it with a reason (who, when,
    why stay on the row), after which the month can be certified again."""

    order = models.ForeignKey(
        PurchaseOrder, on_delete=models.PROTECT, related_name="certifications"
    )
    month = models.DateField(
        _("mois"), help_text=_("Premier jour du mois certifié."), validators=[validate_date_range]
    )
    amount = models.DecimalField(
        _("montant certifié (€)"), max_digits=12, decimal_places=2, validators=non_negative()
    )
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    certified_at = models.DateTimeField(_("certifié le"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("annulée par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("motif de l'annulation"), blank=True, max_length=1000)

    objects = ServiceCertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("service fait")
        verbose_name_plural = _("services faits")
        ordering = ["order", "-month", "-certified_at"]
        constraints = [
            # One standing certification per order and month; revoked ones stay beside it.
            models.UniqueConstraint(
                fields=["order", "month"],
                condition=Q(revoked_at__isnull=True),
                name="followups_certification_one_per_month",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | (
                    Q(revoked_at__isnull=False, revoked_by__isnull=False) & ~Q(revocation_reason="")
                ),
                name="followups_certification_revocation_complete",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="followups_certification_amount_gte_0"
            ),
        ]

    def __str__(self):
        return f"{self.order} – {self.month:%m/%Y}"
