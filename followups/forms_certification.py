"""Forms of the service done on a purchase order: certify a month, revoke a certification."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from followups.forms import MonthForm
from followups.services import check_month_in_contract


class CertifyForm(MonthForm):
    """The month whose service done an officer certifies on a purchase order: a month of
    the order's contract (the service says so again)."""

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        try:
            check_month_in_contract(self.order.contract, month)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["month"]) from error
        return month


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Il reste dans l'historique du bon de commande, avec votre nom et la date."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Indiquez le motif de l'annulation."))
        return reason
