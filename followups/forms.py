import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, OrganisationKind, Person
from crm import roles
from crm.models import Theme, User
from followups.models import (
    AttendanceStatus,
    Cohort,
    Event,
    MeetingFormat,
    MeetingMode,
    NoteVisibility,
    PurchaseOrder,
    TimeKind,
)

MAX_NEXT_STEPS = 5


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def project_staff(project):
    """Users who may appear on a project's meeting: its coach and officer, active ones."""
    return User.objects.filter(
        Q(pk=project.coach_id) | Q(pk=project.officer_id), is_active=True
    ).order_by("last_name", "first_name", "pk")


class MeetingForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Date et heure"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=1, max_value=24 * 60, initial=60
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
        initial=NoteVisibility.PROVIDER,
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
        if not roles.is_officer(user):
            # Internal notes are the officers' own; nobody else writes or reads them.
            self.fields["note_visibility"].choices = [
                c for c in NoteVisibility.choices if c[0] != NoteVisibility.INTERNAL
            ]

    def clean(self):
        data = super().clean()
        if data.get("time_kind") == TimeKind.COLLECTIVE and not data.get("cohort"):
            self.add_error("cohort", _("Choisissez la promotion du temps collectif."))
        return data


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


class EventForm(forms.ModelForm):
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
    person = forms.ModelChoiceField(
        label=_("Personne"), queryset=Person.objects.none(), empty_label=_("— choisir —")
    )
    project = forms.ModelChoiceField(
        label=_("Pour le projet"), queryset=None, required=False, empty_label=_("— aucun —")
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
    month = forms.DateField(
        label=_("Mois"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def month_or_current(self) -> datetime.date:
        if self.is_valid():
            return self.cleaned_data["month"].replace(day=1)
        return timezone.localdate().replace(day=1)
