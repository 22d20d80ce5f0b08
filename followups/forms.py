import datetime
from dataclasses import fields as dataclass_fields

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, OrganisationKind, Person
from crm.core import permissions
from crm.core.bounds import BoundedDateField, validate_date_range
from crm.core.concurrency import VersionedFormMixin, display_number
from crm.core.forms import FrenchDecimalField, UniqueClashMixin, french_formfield
from crm.core.widgets import AutocompleteSelect, DateInput, DateTimeInput
from crm.models import Theme, User
from followups.models import (
    AttendanceStatus,
    Cohort,
    Contract,
    Event,
    MeetingFormat,
    MeetingMode,
    NoteVisibility,
    PurchaseOrder,
    TimeKind,
    UnitKind,
    default_note_visibility,
)
from followups.services import MeetingDetails

MAX_NEXT_STEPS = 5


def project_staff(project):
    """Users who may appear on a project's meeting: its coach and officer, active ones."""
    return User.objects.filter(
        Q(pk=project.coach_id) | Q(pk=project.officer_id), is_active=True
    ).order_by("last_name", "first_name", "pk")


class MeetingForm(VersionedFormMixin, forms.Form):
    start = forms.DateTimeField(
        label=_("Date et heure"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        validators=[validate_date_range],
    )
    # No initial date nor duration: an untouched form must not save a one-hour meeting
    # "now" on Enter. The template offers quick picks that fill them (meeting_form.js).
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=1, max_value=24 * 60
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=MeetingFormat.choices, initial=MeetingFormat.INDIVIDUAL
    )
    mode = forms.ChoiceField(
        label=_("Modalité"), choices=MeetingMode.choices, initial=MeetingMode.IN_PERSON
    )
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes abordés"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Porteur·ses présent·es"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Équipe présente"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_kind = forms.ChoiceField(
        label=_("Décompte des heures"), choices=TimeKind.choices, initial=TimeKind.INDIVIDUAL
    )
    cohort = forms.ModelChoiceField(
        label=_("Promotion (temps collectif)"), queryset=Cohort.objects.none(), required=False
    )
    order = forms.ModelChoiceField(
        label=_("Bon de commande"),
        queryset=PurchaseOrder.objects.none(),
        required=False,
        help_text=_("Le rendez-vous consomme des heures (ou un diagnostic) de ce bon."),
    )
    summary = forms.CharField(
        label=_("Compte rendu"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    decisions = forms.CharField(
        label=_("Décisions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    note = forms.CharField(
        label=_("Texte de la note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    note_visibility = forms.ChoiceField(
        label=_("Visibilité de la note"),
        choices=NoteVisibility.choices,
        help_text=_(
            "Par défaut, la note reste la plus restreinte possible ; élargissez-la si besoin."
        ),
    )

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = project.people.order_by(
            "last_name", "first_name", "pk"
        )
        self.fields["staff"].queryset = project_staff(project)
        self.fields["cohort"].queryset = project.cohorts.all()
        self.fields["order"].queryset = PurchaseOrder.objects.filter(
            contract__in=_contracts(user)
        ).select_related("contract")
        # Privacy by default: the most restrictive visibility this author may choose.
        self.fields["note_visibility"].initial = default_note_visibility(user)
        if not permissions.can_write_internal_notes(user):
            # Internal notes are the officers' own; nobody else writes or reads them.
            self.fields["note_visibility"].choices = [
                c for c in NoteVisibility.choices if c[0] != NoteVisibility.INTERNAL
            ]

    def clean(self):
        data = super().clean()
        if data.get("time_kind") == TimeKind.COLLECTIVE and not data.get("cohort"):
            self.add_error("cohort", _("Choisissez la promotion du temps collectif."))
        return data

    def details(self, *, led_by) -> MeetingDetails:
        """The meeting as `services.meeting_log` takes it (once the form is valid)."""
        data = self.cleaned_data
        names = [f.name for f in dataclass_fields(MeetingDetails) if f.name != "led_by"]
        return MeetingDetails(led_by=led_by, **{name: data[name] for name in names})


def _contracts(user):
    from followups.models import Contract

    return Contract.objects.visible_to(user)


class NextStepForm(forms.Form):
    title = forms.CharField(label=_("Prochaine étape"), max_length=300, required=False)
    owner = forms.ModelChoiceField(
        label=_("Responsable"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("Échéance"),
        widget=DateInput(),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        validators=[validate_date_range],
    )

    def __init__(self, *args, owners=None, default_owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners
        # The person logging the meeting owns a step unless they pick someone else; an
        # untouched row (owner only) counts as empty.
        self.fields["owner"].initial = default_owner

    def clean(self):
        data = super().clean()
        if data.get("title"):
            if not data.get("owner"):
                self.add_error("owner", _("Indiquez qui est responsable de cette étape."))
            if not data.get("due_on"):
                self.add_error("due_on", _("Indiquez l'échéance de cette étape."))
        elif data.get("owner") and data.get("due_on"):
            self.add_error("title", _("Décrivez la prochaine étape."))
        return data


NextStepFormSet = forms.formset_factory(NextStepForm, extra=3, max_num=MAX_NEXT_STEPS)


def next_step_owners(project, user):
    return User.objects.filter(
        Q(pk=project.coach_id) | Q(pk=project.officer_id) | Q(pk=user.pk), is_active=True
    ).order_by("last_name", "first_name", "pk")


class EventForm(UniqueClashMixin, VersionedFormMixin, forms.ModelForm):
    start = forms.DateTimeField(
        label=_("Début"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    end = forms.DateTimeField(
        label=_("Fin"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )

    class Meta:
        model = Event
        fields = ["title", "kind", "theme", "start", "end", "place", "partners", "capacity"]
        fields += ["cohort", "order"]
        widgets = {"partners": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Organisation.objects.filter(
            kind__in=[OrganisationKind.PARTNER, OrganisationKind.FUNDER]
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("La fin doit être après le début."))
        return data


class RegistrationForm(forms.Form):
    # Searched on the server: the base holds thousands of people and projects.
    person = forms.ModelChoiceField(
        label=_("Personne"),
        queryset=Person.objects.none(),
        empty_label=_("— choisir —"),
        widget=AutocompleteSelect("contacts:person-search"),
    )
    project = forms.ModelChoiceField(
        label=_("Pour le projet"),
        queryset=None,
        required=False,
        empty_label=_("— aucun —"),
        widget=AutocompleteSelect("crm:project-search"),
    )
    status = forms.ChoiceField(
        label=_("Présence"), choices=AttendanceStatus.choices, initial=AttendanceStatus.REGISTERED
    )

    def __init__(self, *args, user, **kwargs):
        from crm.models import Project

        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).current()
        self.fields["project"].queryset = Project.objects.visible_to(user).current()


class MonthForm(forms.Form):
    month = BoundedDateField(
        label=_("Mois"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def month_or_current(self) -> datetime.date:
        if self.is_valid():
            return self.cleaned_data["month"].replace(day=1)
        return timezone.localdate().replace(day=1)


# Officers' ledger and cohort forms. Cross-model rules (orders under the contract's
# maximum, units priced, quantities not below what is consumed) live in followups.services;
# the views map its ValidationError onto these forms.

MONEY_HELP = _("En euros, par exemple 80 ou 452,50.")


def _price_field_name(unit: str) -> str:
    return f"price_{unit}"


def _quantity_field_name(unit: str) -> str:
    return f"quantity_{unit}"


def _stored_number(value) -> str:
    # Written as the comparison writes the typed value (crm.core.concurrency).
    return display_number(value) if value is not None else "—"


class ContractForm(UniqueClashMixin, VersionedFormMixin, forms.ModelForm):
    """A contract and, on the same form, the price of each unit of work (empty: not sold)."""

    class Meta:
        model = Contract
        formfield_callback = french_formfield
        fields = ["reference", "provider", "start_date", "end_date", "max_amount"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Coaching providers, and any organisation that already holds a contract.
        self.fields["provider"].queryset = (
            Organisation.objects.filter(
                Q(kind=OrganisationKind.PROVIDER) | Q(contracts__isnull=False)
            )
            .distinct()
            .order_by("name")
        )
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["max_amount"].help_text = MONEY_HELP
        current = {}
        if self.instance.pk:
            current = dict(self.instance.prices.values_list("unit", "price"))
        for unit, label in UnitKind.choices:
            self.fields[_price_field_name(unit)] = FrenchDecimalField(
                label=_("Prix : %(unit)s (€)") % {"unit": label},
                required=False,
                max_digits=10,
                decimal_places=2,
                initial=current.get(unit),
            )

    def price_fields(self):
        return [self[_price_field_name(unit)] for unit in UnitKind.values]

    def stored_display(self, name: str, current: Contract) -> str | None:
        """A unit price as stored now, for the comparison after a stale save."""
        for unit in UnitKind.values:
            if name == _price_field_name(unit):
                price = current.prices.filter(unit=unit).values_list("price", flat=True).first()
                return _stored_number(price)
        return None

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def clean_max_amount(self):
        value = self.cleaned_data.get("max_amount")
        if value is not None and value <= 0:
            raise forms.ValidationError(_("Le montant maximum doit être positif."))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin du marché doit être après son début."))
        for unit in UnitKind.values:
            price = data.get(_price_field_name(unit))
            if price is not None and price <= 0:
                self.add_error(_price_field_name(unit), _("Le prix doit être positif."))
        if not self.prices():
            self.add_error(None, _("Indiquez le prix d'au moins une unité d'œuvre."))
        return data

    def prices(self) -> dict:
        return {
            unit: self.cleaned_data[_price_field_name(unit)]
            for unit in UnitKind.values
            if self.cleaned_data.get(_price_field_name(unit)) is not None
        }


class PurchaseOrderForm(UniqueClashMixin, VersionedFormMixin, forms.ModelForm):
    """A purchase order and the quantity ordered per unit priced in its contract."""

    class Meta:
        model = PurchaseOrder
        fields = ["number", "issued_on"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args, contract, **kwargs):
        from followups.templatetags.followups import euros

        super().__init__(*args, **kwargs)
        self.contract = contract
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("issued_on", timezone.localdate())
        self.instance.contract = contract
        self.fields["issued_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        prices = dict(contract.prices.values_list("unit", "price"))
        current = {}
        if self.instance.pk:
            current = dict(self.instance.lines.values_list("unit", "quantity"))
        self.units = [unit for unit in UnitKind.values if unit in prices or unit in current]
        for unit in self.units:
            label = UnitKind(unit).label
            price = prices.get(unit)
            self.fields[_quantity_field_name(unit)] = FrenchDecimalField(
                label=_("Quantité : %(unit)s") % {"unit": label},
                required=False,
                max_digits=8,
                decimal_places=2,
                initial=current.get(unit),
                help_text=_("Prix unitaire : %(price)s") % {"price": euros(price)}
                if price is not None
                else _("Plus de prix unitaire dans le marché."),
            )

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def quantity_fields(self):
        return [self[_quantity_field_name(unit)] for unit in self.units]

    def stored_display(self, name: str, current: PurchaseOrder) -> str | None:
        """A quantity ordered as stored now, for the comparison after a stale save."""
        for unit in self.units:
            if name == _quantity_field_name(unit):
                lines = current.lines.filter(unit=unit)
                return _stored_number(lines.values_list("quantity", flat=True).first())
        return None

    def clean(self):
        data = super().clean()
        for unit in self.units:
            quantity = data.get(_quantity_field_name(unit))
            if quantity is not None and quantity <= 0:
                self.add_error(_quantity_field_name(unit), _("La quantité doit être positive."))
        if not self.lines() and not self.errors:
            self.add_error(None, _("Commandez au moins une unité d'œuvre."))
        return data

    def lines(self) -> dict:
        return {
            unit: self.cleaned_data[_quantity_field_name(unit)]
            for unit in self.units
            if self.cleaned_data.get(_quantity_field_name(unit)) is not None
        }


class CohortForm(UniqueClashMixin, VersionedFormMixin, forms.ModelForm):
    start_date = forms.DateField(
        label=_("Début"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    end_date = forms.DateField(
        label=_("Fin"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )

    class Meta:
        model = Cohort
        formfield_callback = french_formfield
        fields = ["name", "start_date", "end_date", "hours_allocated", "order", "projects"]
        widgets = {"projects": forms.SelectMultiple(attrs={"size": 12})}

    def __init__(self, *args, user, **kwargs):
        from crm.models import Project

        super().__init__(*args, **kwargs)
        projects = Project.objects.visible_to(user).current()
        if self.instance.pk:
            # A project already in the cohort stays choosable even if archived since.
            projects = Project.objects.visible_to(user).filter(
                Q(pk__in=projects) | Q(cohorts=self.instance)
            )
        self.fields["projects"].queryset = projects.order_by("name", "pk").distinct()
        self.fields["projects"].help_text = _("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.")
        self.fields["order"].queryset = (
            PurchaseOrder.objects.filter(contract__in=_contracts(user))
            .select_related("contract")
            .order_by("-issued_on", "number")
        )
        self.fields["order"].empty_label = _("— aucun —")

    def clean_hours_allocated(self):
        value = self.cleaned_data.get("hours_allocated")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Les heures allouées ne peuvent pas être négatives."))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin de la promotion doit être après son début."))
        return data


class NoteForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(label=_("Texte de la note"), widget=forms.Textarea(attrs={"rows": 5}))
    visibility = forms.ChoiceField(label=_("Visibilité"), choices=NoteVisibility.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Privacy by default: a new note starts at the most restrictive visibility allowed.
        self.fields["visibility"].initial = default_note_visibility(user)
        help_text = _(
            "Partagée : visible du prestataire. Partageable : peut figurer sur la fiche de "
            "suivi remise au porteur ou à la porteuse."
        )
        if permissions.can_write_internal_notes(user):
            help_text = _("Interne : chargé·es de mission seulement. %(rest)s") % {
                "rest": help_text
            }
        else:
            self.fields["visibility"].choices = [
                c for c in NoteVisibility.choices if c[0] != NoteVisibility.INTERNAL
            ]
        self.fields["visibility"].help_text = help_text

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("La note est vide."))
        return text
