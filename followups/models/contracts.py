"""The provider's framework contract, its unit prices, purchase orders and their lines."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import positive_amount, validate_date_range
from crm.core.concurrency import VersionedModel


class UnitKind(models.TextChoices):
    COACHING_HOUR = "coaching_hour", _("Heure d'accompagnement individuel")
    WORKSHOP_HALF_DAY = "workshop_half_day", _("Demi-journée d'atelier")
    DIAGNOSTIC = "diagnostic", _("Diagnostic (forfait)")
    COHORT_ENTREPRENEUR = "cohort_entrepreneur", _("Entrepreneur·e en promotion (forfait)")


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers and managers: every contract; a coach their employer's contracts."""
        from crm.core import roles

        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user) and user.organisation_id:
            return self.filter(provider_id=user.organisation_id)
        return self.none()


class Contract(VersionedModel):
    """The framework agreement with the coaching provider."""

    reference = models.CharField(_("référence"), max_length=50, unique=True)
    provider = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("prestataire"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    start_date = models.DateField(_("début"), validators=[validate_date_range])
    end_date = models.DateField(_("fin"), validators=[validate_date_range])
    max_amount = models.DecimalField(
        _("montant maximum (€)"), max_digits=12, decimal_places=2, validators=positive_amount()
    )

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

    def covers_month(self, month) -> bool:
        """Whether the contract runs during at least part of `month` (any day of it)."""
        first = month.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return self.start_date < following and first <= self.end_date


class UnitPrice(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="prices")
    unit = models.CharField(_("unité d'œuvre"), max_length=30, choices=UnitKind)
    price = models.DecimalField(
        _("prix unitaire (€)"), max_digits=10, decimal_places=2, validators=positive_amount()
    )

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


class PurchaseOrder(VersionedModel):
    """A bon de commande under the contract, with ordered quantities per unit."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(_("numéro"), max_length=50)
    issued_on = models.DateField(_("date"), validators=[validate_date_range])

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
    quantity = models.DecimalField(
        _("quantité commandée"), max_digits=8, decimal_places=2, validators=positive_amount()
    )

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
