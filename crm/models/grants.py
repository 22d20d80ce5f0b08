"""Grants as money: the instalments by which an awarded grant is paid."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import positive_amount, validate_date_range
from crm.models.intake import Application


class GrantInstalmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Instalments of the applications the user may see (officers and managers)."""
        return self.filter(application__in=Application.objects.visible_to(user))

    def paid(self):
        return self.filter(paid_on__isnull=False)


class GrantInstalment(models.Model):
    """One instalment of an awarded grant: due on a date, paid (or not yet) with a payment
    reference. Written by crm.intake.services.grants."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="instalments",
        verbose_name=_("candidature"),
    )
    amount = models.DecimalField(
        _("montant (€)"), max_digits=12, decimal_places=2, validators=positive_amount()
    )
    due_on = models.DateField(_("échéance"), validators=[validate_date_range])
    paid_on = models.DateField(
        _("versé le"), null=True, blank=True, validators=[validate_date_range]
    )
    payment_reference = models.CharField(_("référence du paiement"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = GrantInstalmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("versement de subvention")
        verbose_name_plural = _("versements de subvention")
        ordering = ["application", "due_on", "pk"]
        indexes = [
            # The payment schedule reads the instalments by month of their due date.
            models.Index(fields=["due_on"], name="crm_instalment_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="crm_instalment_amount_gt_0"),
        ]

    def __str__(self):
        return f"{self.application} – {self.amount} € ({self.due_on:%d/%m/%Y})"
