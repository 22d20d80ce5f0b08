"""The form of an outcome measure: every figure optional, an empty field stays unknown."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import LegalForm
from contacts.validators import digits_only, validate_siret
from crm.core.widgets import DateInput
from crm.models import MeasureKind, ProjectMeasure
from crm.projects.measures import MEASURE_FIELDS

ACTIVITY_CHOICES = [
    ("", _("Inconnu")),
    ("true", _("Oui")),
    ("false", _("Non")),
]


class MeasureForm(forms.ModelForm):
    """Unknown stays unknown: an empty number is stored empty (NULL), never as 0."""

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

    class Meta:
        model = ProjectMeasure
        fields = ["kind", "measured_on", *MEASURE_FIELDS]
        widgets = {"measured_on": DateInput()}
        help_texts = {
            "jobs_permanent": _("Laissez vide si inconnu : 0 signifie « aucun »."),
        }

    def __init__(self, *args, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = MeasureKind.choices
        if kind in MeasureKind.values:
            self.initial.setdefault("kind", kind)

    def validate_unique(self):
        """One measure per project and day is the service's check (measure_record), which
        names the date field; the form does not know the project."""

    def clean_siret(self):
        siret = digits_only(self.cleaned_data.get("siret", ""))
        if siret:
            validate_siret(siret)
        return siret

    def figures(self) -> dict:
        """The service's keyword arguments, from the cleaned data."""
        data = self.cleaned_data
        return {name: data.get(name) for name in MEASURE_FIELDS}
