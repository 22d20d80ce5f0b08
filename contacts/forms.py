from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, OrganisationLabel, Person, PersonOrganisation
from crm.core.concurrency import VersionedFormMixin
from crm.core.forms import UniqueClashMixin
from crm.core.widgets import AutocompleteSelect, DateInput

# Consent checkbox → the field that records when it was given.
CONSENT_DATES = {
    "consent_newsletter": "consent_newsletter_at",
    "consent_photos": "consent_photos_at",
}


class PersonForm(UniqueClashMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "gender",
            "birth_year",
            "commune",
            "lives_in_qpv",
            "employment_situation_at_entry",
            "consent_newsletter",
            "consent_photos",
        ]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = self.fields["commune"].queryset.order_by(
            "-in_territory", "name"
        )
        self.fields["lives_in_qpv"] = forms.NullBooleanField(
            label=self.fields["lives_in_qpv"].label,
            required=False,
            widget=forms.NullBooleanSelect(),
        )
        self.fields["lives_in_qpv"].widget.choices = [
            ("unknown", _("Non renseigné")),
            ("true", _("Oui")),
            ("false", _("Non")),
        ]
        for name, date_field in CONSENT_DATES.items():
            when = getattr(self.instance, date_field)
            if when:
                self.fields[name].help_text = _("Consentement recueilli le %(date)s.") % {
                    "date": timezone.localtime(when).strftime("%d/%m/%Y")
                }

    def clean(self):
        cleaned = super().clean()
        # Ticking a consent records when; unticking forgets the date (the model's check
        # constraints require a date exactly when the consent is given).
        for name, date_field in CONSENT_DATES.items():
            if cleaned.get(name):
                if not getattr(self.instance, name) or not getattr(self.instance, date_field):
                    setattr(self.instance, date_field, timezone.now())
            else:
                setattr(self.instance, date_field, None)
        return cleaned


class OrganisationForm(UniqueClashMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "legal_form",
            "siren",
            "siret",
            "rna",
            "naf_code",
            "naf_version",
            "address",
            "postal_code",
            "commune",
            "website",
            "email",
            "phone",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "siren": forms.TextInput(attrs={"inputmode": "numeric"}),
            "siret": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "siret": _("14 chiffres ; les espaces sont acceptés."),
            "rna": _("W suivi de 9 chiffres, pour une association."),
            "naf_code": _("4 chiffres et une lettre, par exemple 8899B."),
        }

    # The model's max_length counts digits; people type "732 829 320 00074".
    siren = forms.CharField(label=_("SIREN"), required=False, max_length=20)
    siret = forms.CharField(label=_("SIRET"), required=False, max_length=25)
    naf_code = forms.CharField(label=_("code NAF/APE"), required=False, max_length=10)
    rna = forms.CharField(label=_("numéro RNA"), required=False, max_length=15)
    website = forms.URLField(label=_("site web"), required=False, assume_scheme="https")


class LabelForm(UniqueClashMixin, forms.ModelForm):
    class Meta:
        model = OrganisationLabel
        fields = ["kind", "obtained_on", "expires_on"]
        widgets = {"obtained_on": DateInput(), "expires_on": DateInput()}
        help_texts = {"expires_on": _("Laissé vide pour l'ESUS : 5 ans après l'obtention.")}


class MembershipForm(UniqueClashMixin, forms.ModelForm):
    class Meta:
        model = PersonOrganisation
        fields = ["person", "role", "since"]
        widgets = {"since": DateInput(), "person": AutocompleteSelect("contacts:person-search")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label = _("Personne")


class BaseMembershipFormSet(forms.BaseInlineFormSet):
    """Rows search people on the server; the members' names are loaded once, not per row."""

    @cached_property
    def people(self):
        # Current people, plus archived ones already members (so their row keeps its value).
        current = Q(archived_at__isnull=True)
        if self.instance.pk is None:
            return Person.objects.filter(current)
        members = PersonOrganisation.objects.filter(organisation=self.instance).values("person")
        return Person.objects.filter(current | Q(pk__in=members))

    @cached_property
    def member_names(self) -> dict[str, str]:
        if self.instance.pk is None:
            return {}
        members = self.instance.memberships.select_related("person")
        return {str(m.person_id): str(m.person) for m in members}

    def _setup_person(self, form):
        form.fields["person"].queryset = self.people
        form.fields["person"].widget.known_labels = self.member_names
        return form

    def _construct_form(self, i, **kwargs):
        return self._setup_person(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self):
        return self._setup_person(super().empty_form)


LabelFormSet = forms.inlineformset_factory(
    Organisation, OrganisationLabel, form=LabelForm, extra=1, can_delete=True
)
MembershipFormSet = forms.inlineformset_factory(
    Organisation,
    PersonOrganisation,
    form=MembershipForm,
    formset=BaseMembershipFormSet,
    extra=1,
    can_delete=True,
)


class PersonEditForm(VersionedFormMixin, PersonForm):
    """Editing an existing person: a stale save is refused (crm.core.concurrency)."""


class OrganisationEditForm(VersionedFormMixin, OrganisationForm):
    """Editing an existing organisation: a stale save is refused (crm.core.concurrency)."""
