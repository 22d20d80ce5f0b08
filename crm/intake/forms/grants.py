"""Forms of a grant's convention and instalments (the application page's money part)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import validate_date_range
from crm.core.widgets import DateInput
from crm.intake.forms.calls import ApplicationFormMixin
from crm.intake.forms.registration import DescribedErrorsMixin
from crm.models import GrantInstalment


def _date(label, required=False):
    return forms.DateField(
        label=label, required=required, widget=DateInput(), validators=[validate_date_range]
    )


class ConventionForm(DescribedErrorsMixin, ApplicationFormMixin, forms.Form):
    convention_number = forms.CharField(
        label=_("Numéro de convention"), max_length=50, required=False
    )
    convention_signed_on = _date(_("Convention signée le"))


class InstalmentForm(DescribedErrorsMixin, forms.Form):
    """A new instalment: amount and due date, paid date and reference if already paid
    (the model's own fields; crm.intake.services.grants.grant_instalment_add writes it)."""

    amount = GrantInstalment._meta.get_field("amount").formfield()
    due_on = _date(_("Échéance"), required=True)
    paid_on = _date(_("Versé le"))
    payment_reference = forms.CharField(
        label=_("Référence du paiement"), max_length=60, required=False
    )


class InstalmentPayForm(DescribedErrorsMixin, forms.Form):
    """Record an instalment as paid (its date and the payment reference): a one-way step,
    refused on an instalment already paid. Several on one page: prefix=f"pay{pk}"."""

    paid_on = _date(_("Versé le"), required=True)
    payment_reference = forms.CharField(
        label=_("Référence du paiement"), max_length=60, required=False
    )
