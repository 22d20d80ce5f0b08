"""The form of an outcome measure: every figure optional, an empty field stays unknown."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import LegalForm
from contacts.validators import digits_only, validate_siret
from crm.core.widgets import DateInput
from crm.models import MeasureKind, ProjectMeasure
from crm.projects.measures import MEASURE_FIELDS

MODEL_FIELDS = forms.fields_for_model(
    ProjectMeasure,
    fields=["kind", "measured_on", *MEASURE_FIELDS],
    widgets={"measured_on": DateInput()},
)

ACTIVITY_CHOICES = [
    ("", _("Inconnu")),
    ("true", _("Oui")),
    ("false", _("Non")),
]


# The model's fields as a plain form's declared fields (through the form's metaclass).
_MeasureFields = type(forms.Form)("_MeasureFields", (forms.Form,), dict(MODEL_FIELDS))


class MeasureForm(_MeasureFields):
    """Unknown stays unknown: an empty number is stored empty (NULL), never as 0. A plain
    form with the model's own fields (bounds and labels): a measure is recorded, not
    edited, by crm.projects.measures.measure_record, which runs full_clean()."""

    legal_status = forms.ChoiceField(
        label=_("Statut juridique à cette date"),
        choices=[("", _("Inconnu"))] + list(LegalForm.choices),
        required=False,
    )
    still_active = forms.TypedChoiceField(
        label=_("Activité toujours existante"),
        choices=ACTIVITY_CHOICES,
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind in MeasureKind.values:
            self.initial.setdefault("kind", kind)

    def clean_siret(self):
        siret = digits_only(self.cleaned_data.get("siret", ""))
        if siret:
            validate_siret(siret)
        return siret

    def figures(self) -> dict:
        """The service's keyword arguments, from the cleaned data."""
        data = self.cleaned_data
        return {name: data.get(name) for name in MEASURE_FIELDS}
