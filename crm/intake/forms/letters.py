"""The letter templates' form: text and merge fields an officer may use."""

from django import forms
from django.utils.translation import gettext as _

from crm.core.concurrency import VersionedFormMixin
from crm.core.forms import UniqueClashMixin
from crm.intake.services.letters import unknown_fields
from crm.models import LetterTemplate


class LetterTemplateForm(UniqueClashMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def _clean_merge_fields(self, name):
        text = self.cleaned_data.get(name, "")
        unknown = unknown_fields(text)
        if unknown:
            raise forms.ValidationError(
                _("Champ de fusion inconnu : %(fields)s. Utilisez ceux de la liste.")
                % {"fields": ", ".join("{" + field + "}" for field in unknown)}
            )
        return text

    def clean_subject(self):
        return self._clean_merge_fields("subject")

    def clean_body(self):
        return self._clean_merge_fields("body")
