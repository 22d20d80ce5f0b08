"""The officer's answer on the reconciliation page (the records come from the page's URL)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.intake.services.reconciliation import ORGANISATION_FIELDS, PERSON_FIELDS


class ReconcileForm(forms.Form):
    TAKE, UNCHANGED = "take", "unchanged"

    # The pk of the record to link, "new", or (structure) "none"; checked by the service.
    person = forms.CharField(required=False, widget=forms.HiddenInput)
    organisation = forms.CharField(required=False, widget=forms.HiddenInput)
    person_fields = forms.MultipleChoiceField(
        label=_("Champs de la personne à reprendre"),
        choices=[(name, name) for name in PERSON_FIELDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation_fields = forms.MultipleChoiceField(
        label=_("Champs de la structure à reprendre"),
        choices=[(name, name) for name in ORGANISATION_FIELDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    apply = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (TAKE, _("Rapprocher en reprenant les champs cochés")),
            (UNCHANGED, _("Rattacher sans rien modifier")),
        ],
    )
