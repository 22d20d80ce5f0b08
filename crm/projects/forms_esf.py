"""The ESF+ participant form: every answer optional, "ne souhaite pas répondre" offered."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.core.concurrency import VersionedFormMixin
from crm.models import EsfParticipant
from crm.projects.esf import ESF_FIELDS


class EsfForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = EsfParticipant
        fields = list(ESF_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ESF_FIELDS:
            field = self.fields[name]
            field.required = False
            # The empty choice reads as what it means: the question was not asked.
            field.choices = [("", _("Non renseigné"))] + [
                choice for choice in field.choices if choice[0] != ""
            ]
            if name not in ("labour_status", "education_level"):
                field.widget = forms.RadioSelect(choices=field.choices)

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in ESF_FIELDS}
