"""Forms of the public registration and of the triage of applications."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import (
    EmploymentSituation,
    Gender,
    LegalForm,
    Organisation,
    OrganisationKind,
)
from contacts.validators import digits_only, normalize_phone, validate_phone, validate_siret
from crm.core import roles
from crm.core.concurrency import VersionedFormMixin
from crm.core.forms import FrenchDecimalField
from crm.intake.services.triage import DECLINE_EXIT_REASONS
from crm.models import (
    Commune,
    ExitReason,
    HeardFrom,
    Project,
    Registration,
    Sector,
    Stage,
    User,
)


def _limit(model, field_name: str) -> int:
    """The model's bound on a free text, so that the form and the model never disagree."""
    return model._meta.get_field(field_name).max_length


YES_NO_UNKNOWN = [("yes", _("Oui")), ("no", _("Non")), ("unknown", _("Je ne sais pas"))]
TRISTATE = {"yes": True, "no": False, "unknown": None, "": None}


class DescribedErrorsMixin:
    """Kept for the forms that name it: Django 5.2 itself points each invalid input at
    "<id>_error" (and "<id>_helptext") with aria-describedby, the ids forms/_field.html
    gives, and only while the field has errors (a refused registration clears them)."""


CHOOSE = _("Choisissez…")


def _choices_with_blank(choices, blank=CHOOSE):
    return [("", blank), *choices]


class RegistrationForm(DescribedErrorsMixin, forms.Form):
    """The public form. The anti-abuse fields (honeypot, start token) are checked by the
    view before anything else, so a refused submission never reaches validation."""

    # The person
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Courriel"),
        max_length=254,
        help_text=_("Nous vous répondons à cette adresse. Exemple : prenom.nom@exemple.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        required=False,
        max_length=20,
        help_text=_("Exemple : 06 12 34 56 78"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune où vous habitez"),
        queryset=Commune.objects.all(),
        empty_label=_("Choisissez votre commune…"),
        help_text=_("Si vous habitez ailleurs, choisissez « Hors territoire »."),
    )
    # Optional profile questions (funder statistics)
    gender = forms.ChoiceField(
        label=_("Genre (facultatif)"),
        required=False,
        choices=_choices_with_blank(Gender.choices, _("Je préfère ne pas répondre")),
        help_text=_(
            "Le Fonds social européen, qui finance l'accompagnement, nous demande la part de "
            "femmes accompagnées. Répondre est facultatif."
        ),
    )
    birth_year = forms.IntegerField(
        label=_("Année de naissance (facultatif)"),
        required=False,
        min_value=1900,
        help_text=_(
            "Pour compter les moins de 26 ans et les plus de 50 ans accompagnés, comme le "
            "demandent nos financeurs. Répondre est facultatif. Exemple : 1990"
        ),
        widget=forms.NumberInput(attrs={"autocomplete": "bday-year", "inputmode": "numeric"}),
    )
    employment_situation = forms.ChoiceField(
        label=_("Situation professionnelle aujourd'hui (facultatif)"),
        required=False,
        choices=_choices_with_blank(EmploymentSituation.choices, _("Je préfère ne pas répondre")),
        help_text=_(
            "Le Fonds social européen demande la situation des personnes à l'entrée dans "
            "l'accompagnement. Répondre est facultatif."
        ),
    )
    lives_in_qpv = forms.ChoiceField(
        label=_("Habitez-vous un quartier prioritaire de la ville (QPV) ? (facultatif)"),
        required=False,
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        help_text=_(
            "Pour mesurer l'accompagnement des habitant·es des quartiers prioritaires. "
            "Répondre est facultatif."
        ),
    )
    # The project
    project_name = forms.CharField(label=_("Nom du projet"), max_length=200)
    description = forms.CharField(
        label=_("Description du projet"),
        max_length=_limit(Project, "summary"),
        help_text=_("Quelques lignes : ce que vous voulez faire, pour qui, où."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    sector = forms.ChoiceField(
        label=_("Secteur d'activité"), choices=_choices_with_blank(Sector.choices)
    )
    stage = forms.ChoiceField(
        label=_("Où en est le projet ?"), choices=Stage.choices, widget=forms.RadioSelect
    )
    social_impact = forms.CharField(
        label=_("Impact social attendu"),
        max_length=_limit(Project, "social_impact"),
        help_text=_("Qui en bénéficie ? Emplois créés, publics accompagnés, liens créés…"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    environmental_impact = forms.CharField(
        label=_("Impact environnemental attendu (facultatif)"),
        required=False,
        max_length=_limit(Project, "environmental_impact"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    project_commune = forms.ModelChoiceField(
        label=_("Commune du projet"),
        queryset=Commune.objects.all(),
        empty_label=_("Choisissez la commune…"),
        help_text=_("Là où l'activité aura lieu, même si ce n'est pas encore sûr."),
    )
    project_in_qpv = forms.ChoiceField(
        label=_("Le projet est-il implanté dans un quartier prioritaire (QPV) ?"),
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        initial="unknown",
    )
    # The structure, if it exists
    organisation_name = forms.CharField(
        label=_("Nom de la structure (facultatif)"), required=False, max_length=200
    )
    legal_form = forms.ChoiceField(
        label=_("Forme juridique (facultatif)"),
        required=False,
        choices=_choices_with_blank(LegalForm.choices, _("Pas de structure pour l'instant")),
    )
    siret = forms.CharField(
        label=_("SIRET (facultatif)"),
        required=False,
        max_length=20,
        help_text=_("14 chiffres, sur l'avis de situation INSEE. Exemple : 732 829 320 00074"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    # The request
    help_sought = forms.CharField(
        label=_("Quelle aide recherchez-vous ?"),
        max_length=_limit(Registration, "help_sought"),
        help_text=_("Par exemple : modèle économique, financement, statut juridique, locaux."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    heard_from = forms.ChoiceField(
        label=_("Comment avez-vous connu le dispositif ? (facultatif)"),
        required=False,
        choices=_choices_with_blank(HeardFrom.choices),
    )
    consent_newsletter = forms.BooleanField(
        label=_(
            "J'accepte de recevoir la lettre d'information ESS de l'établissement "
            "(facultatif, désinscription à tout moment)."
        ),
        required=False,
    )
    # Anti-abuse: a field people never see, and when the form was displayed.
    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "commune")
    PROFILE_FIELDS = ("gender", "birth_year", "employment_situation", "lives_in_qpv")
    PROJECT_FIELDS = (
        "project_name",
        "description",
        "sector",
        "stage",
        "social_impact",
        "environmental_impact",
        "project_commune",
        "project_in_qpv",
    )
    ORGANISATION_FIELDS = ("organisation_name", "legal_form", "siret")
    REQUEST_FIELDS = ("help_sought", "heard_from")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].max_value = timezone.localdate().year
        self.fields["birth_year"].widget.attrs["max"] = timezone.localdate().year
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        # Name the field in its error: the message is read on its own by screen readers.
        for field in self.fields.values():
            if field.required:
                field.error_messages["required"] = _("« %(label)s » est à renseigner.") % {
                    "label": field.label
                }
            if getattr(field, "max_length", None):
                # Django fills %(limit_value)d and %(show_value)d when the text is too long.
                field.error_messages["max_length"] = _(
                    "« %(label)s » : %(limit)s caractères au plus (ce texte en compte %(count)s)."
                ) % {"label": field.label, "limit": "%(limit_value)d", "count": "%(show_value)d"}

    def fieldset(self, names):
        return [self[name] for name in names]

    def person_fields(self):
        return self.fieldset(self.PERSON_FIELDS)

    def profile_fields(self):
        return self.fieldset(self.PROFILE_FIELDS)

    def project_fields(self):
        return self.fieldset(self.PROJECT_FIELDS)

    def organisation_fields(self):
        return self.fieldset(self.ORGANISATION_FIELDS)

    def request_fields(self):
        return self.fieldset(self.REQUEST_FIELDS)

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone:
            try:
                validate_phone(phone)
            except ValidationError as error:
                raise ValidationError(
                    _("Numéro de téléphone non reconnu. Exemple : 06 12 34 56 78")
                ) from error
        return phone

    def clean_siret(self):
        siret = digits_only(self.cleaned_data["siret"])
        if siret:
            validate_siret(siret)
        return siret

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("siret") or cleaned.get("legal_form")) and not cleaned.get(
            "organisation_name", ""
        ).strip():
            self.add_error(
                "organisation_name",
                _("Indiquez le nom de la structure (ou laissez vides la forme et le SIRET)."),
            )
        return cleaned

    def service_kwargs(self) -> dict:
        """The cleaned answers, named as the service registration_submit expects them."""
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "phone": data["phone"],
            "commune": data["commune"],
            "gender": data["gender"],
            "birth_year": data["birth_year"],
            "employment_situation": data["employment_situation"],
            "lives_in_qpv": TRISTATE[data["lives_in_qpv"]],
            "project_name": data["project_name"],
            "description": data["description"],
            "sector": data["sector"],
            "stage": data["stage"],
            "social_impact": data["social_impact"],
            "environmental_impact": data["environmental_impact"],
            "project_commune": data["project_commune"],
            "project_in_qpv": TRISTATE[data["project_in_qpv"]] is True,
            "organisation_name": data["organisation_name"],
            "legal_form": data["legal_form"],
            "siret": data["siret"],
            "help_sought": data["help_sought"],
            "heard_from": data["heard_from"],
            "consent_newsletter": data["consent_newsletter"],
        }


def min_seconds() -> int:
    return settings.REGISTRATION_MIN_SECONDS


# --- Triage ---------------------------------------------------------------------------------


def _staff(role):
    return User.objects.filter(groups__name=role, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


class AcceptForm(DescribedErrorsMixin, VersionedFormMixin, forms.Form):
    prefix = "accept"
    officer = forms.ModelChoiceField(
        label=_("Chargé·e de mission"), queryset=User.objects.none(), empty_label=_("Choisissez…")
    )
    coach = forms.ModelChoiceField(
        label=_("Accompagnateur·rice"), queryset=User.objects.none(), empty_label=_("Choisissez…")
    )
    hours_allocated = FrenchDecimalField(
        label=_("Heures d'accompagnement allouées"),
        min_value=0,
        max_digits=6,
        decimal_places=1,
        help_text=_("Exemple : 12 ou 7,5"),
    )
    cohort = forms.ModelChoiceField(
        label=_("Promotion (facultatif)"),
        queryset=None,
        required=False,
        empty_label=_("Aucune : accompagnement individuel"),
    )
    note = forms.CharField(
        label=_("Note (facultatif)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, **kwargs):
        from followups.models import Cohort

        super().__init__(*args, **kwargs)
        # Cohorts not finished yet, the most recent first.
        today = timezone.localdate()
        self.fields["cohort"].queryset = Cohort.objects.filter(end_date__gte=today).order_by(
            "-start_date", "name"
        )
        self.fields["officer"].queryset = _staff(roles.Role.OFFICER)
        self.fields["coach"].queryset = _staff(roles.Role.COACH)
        if user is not None and roles.is_officer(user) and not self.is_bound:
            self.initial.setdefault("officer", user.pk)


class RedirectForm(DescribedErrorsMixin, VersionedFormMixin, forms.Form):
    prefix = "redirect"
    partner = forms.ModelChoiceField(
        label=_("Structure partenaire"),
        queryset=Organisation.objects.current()
        .filter(kind__in=[OrganisationKind.PARTNER, OrganisationKind.FUNDER])
        .order_by("name", "pk"),
        empty_label=_("Choisissez…"),
    )
    reason = forms.CharField(
        label=_("Motif de la réorientation"), widget=forms.Textarea(attrs={"rows": 2})
    )
    notify_applicant = forms.BooleanField(
        label=_("Prévenir le porteur ou la porteuse par courriel"), required=False
    )


class DeclineForm(DescribedErrorsMixin, VersionedFormMixin, forms.Form):
    prefix = "decline"
    exit_reason = forms.ChoiceField(
        label=_("Motif de sortie"),
        choices=[(value, ExitReason(value).label) for value in DECLINE_EXIT_REASONS],
    )
    reason = forms.CharField(
        label=_("Motif du refus (envoyé au porteur ou à la porteuse)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
