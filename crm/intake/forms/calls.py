"""Forms of the calls for projects: the edition, an application, its scores and decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import validate_date_range
from crm.core.concurrency import VersionedFormMixin
from crm.core.forms import FrenchDecimalField, UniqueClashMixin, french_formfield
from crm.core.widgets import DateInput
from crm.intake.forms.registration import DescribedErrorsMixin
from crm.models import Application, Call, CommitteeDecision, CommuneOpinion, Project, Status


class CallForm(UniqueClashMixin, DescribedErrorsMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Call
        formfield_callback = french_formfield
        fields = ["year", "title", "envelope", "opens_on", "closes_on", "criteria"]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "criteria": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "envelope": _("Montant total à répartir entre les lauréats. Exemple : 25000"),
        }
        error_messages = {
            "year": {"unique": _("Une édition existe déjà pour cette année.")},
        }

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("La clôture doit suivre l'ouverture."))
        return cleaned


class ApplicationCreateForm(DescribedErrorsMixin, forms.Form):
    project = forms.ModelChoiceField(
        label=_("Projet candidat"), queryset=Project.objects.none(), empty_label=_("Choisissez…")
    )
    amount_requested = FrenchDecimalField(
        label=_("Montant demandé (€)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Exemple : 3000"),
    )

    def __init__(self, *args, user, call, **kwargs):
        super().__init__(*args, **kwargs)
        # Projects that have not applied to this call yet, accompanied or not.
        self.fields["project"].queryset = (
            Project.objects.visible_to(user)
            .current()
            .exclude(status=Status.EXITED)
            .exclude(call_applications__call=call)
            .order_by("name", "pk")
        )


class ApplicationFormMixin(VersionedFormMixin):
    """The application page holds three forms of one record: each hidden version gets
    its own id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            name = type(self).__name__.removesuffix("Form").lower()
            self.fields["version"].widget.attrs["id"] = f"id_{name}_version"


SCORE_CHOICES = [("", _("Non noté"))] + [(str(n), str(n)) for n in range(6)]


class ScoreForm(UniqueClashMixin, DescribedErrorsMixin, ApplicationFormMixin, forms.ModelForm):
    """The scoring sheet: the commune's opinion then 0–5 per criterion."""

    class Meta:
        model = Application
        fields = [
            "commune_opinion",
            "commune_opinion_comment",
            "score_jobs",
            "score_local_roots",
            "score_social_utility",
            "score_viability",
        ]
        widgets = {"commune_opinion_comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune_opinion"].choices = [
            ("", _("Pas encore rendu")),
            *CommuneOpinion.choices,
        ]
        for name in ("score_jobs", "score_local_roots", "score_social_utility", "score_viability"):
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label.capitalize() + " " + _("(0 à 5)"),
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )


class DecisionForm(DescribedErrorsMixin, ApplicationFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision du comité"), choices=CommitteeDecision.choices, widget=forms.RadioSelect
    )
    amount_awarded = FrenchDecimalField(
        label=_("Montant attribué (€)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Seulement pour un projet lauréat. Exemple : 2500"),
    )


class PaymentForm(DescribedErrorsMixin, ApplicationFormMixin, forms.Form):
    first_payment_on = forms.DateField(
        label=_("Premier versement le"),
        required=False,
        widget=DateInput(),
        validators=[validate_date_range],
    )
    balance_paid_on = forms.DateField(
        label=_("Solde versé le"),
        required=False,
        widget=DateInput(),
        validators=[validate_date_range],
    )
