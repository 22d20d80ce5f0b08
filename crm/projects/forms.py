"""Forms of the project pages: create (with the lead and organisation), edit, move."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import LegalForm, Organisation, Person
from crm.core import roles
from crm.core.concurrency import VersionedFormMixin
from crm.core.forms import UniqueClashMixin, french_formfield
from crm.core.widgets import AutocompleteSelect, DateInput
from crm.models import Commune, ExitReason, Project, Stage, Status, User

# What an officer edits on a project. Stage and status are not here: they change only
# through a move (crm.projects.services.project_move), which records it.
OFFICER_FIELDS = [
    "name",
    "summary",
    "sector",
    "themes",
    "social_impact",
    "environmental_impact",
    "organisation",
    "commune",
    "in_qpv",
    "source",
    "officer",
    "coach",
    "hours_allocated",
    "entry_date",
    "exit_date",
    "situation_at_exit",
    "situation_6_months_after_exit",
    "esf_funded",
]
# A coach describes the projects they follow; who follows it, its hours and its dates are
# the officers' decisions.
COACH_FIELDS = ["summary", "sector", "themes", "social_impact", "environmental_impact"]


def _staff(role, keep_pk=None):
    """Active users of `role`, plus the one already on the project (who may have left)."""
    users = User.objects.filter(Q(groups__name=role, is_active=True) | Q(pk=keep_pk))
    return users.distinct().order_by("last_name", "first_name", "pk")


class ProjectFieldsMixin:
    """Scoped choices and date widgets shared by the project forms.

    Choices keep the project's current officer, coach and organisation even if they were
    deactivated or archived since: saving an unrelated field must not fail on them."""

    def setup_project_fields(self):
        project = self.instance
        if "officer" in self.fields:
            self.fields["officer"].queryset = _staff(roles.Role.OFFICER, project.officer_id)
        if "coach" in self.fields:
            self.fields["coach"].queryset = _staff(roles.Role.COACH, project.coach_id)
        if "organisation" in self.fields:
            # The widget first: setting the queryset hands it the choices.
            self.fields["organisation"].widget = AutocompleteSelect("contacts:organisation-search")
            self.fields["organisation"].queryset = Organisation.objects.filter(
                Q(archived_at__isnull=True) | Q(pk=project.organisation_id)
            )
        if "themes" in self.fields:
            self.fields["themes"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["themes"].choices
            )
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
        for name in ("entry_date", "exit_date"):
            if name in self.fields:
                self.fields[name].widget = DateInput()


class ProjectEditForm(UniqueClashMixin, ProjectFieldsMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = OFFICER_FIELDS
        formfield_callback = french_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_project_fields()


class CoachProjectEditForm(ProjectEditForm):
    class Meta:
        model = Project
        fields = COACH_FIELDS
        formfield_callback = french_formfield


class ProjectCreateForm(UniqueClashMixin, ProjectFieldsMixin, forms.ModelForm):
    """The project, its lead entrepreneur (new or existing) and its organisation (none, new
    or existing) in one form; crm.projects.services.project_create saves them together."""

    lead_mode = forms.ChoiceField(
        label=_("Qui porte le projet ?"),
        choices=[
            ("new", _("Nouvelle personne")),
            ("existing", _("Personne déjà enregistrée")),
        ],
        initial="new",
        widget=forms.RadioSelect,
    )
    lead_person = forms.ModelChoiceField(
        label=_("Personne déjà enregistrée"),
        queryset=Person.objects.none(),
        required=False,
        widget=AutocompleteSelect("contacts:person-search"),
    )
    lead_first_name = forms.CharField(label=_("Prénom du porteur·se"), required=False)
    lead_last_name = forms.CharField(label=_("Nom du porteur·se"), required=False)
    lead_email = forms.CharField(label=_("Courriel du porteur·se"), required=False)
    lead_phone = forms.CharField(label=_("Téléphone du porteur·se"), required=False)
    lead_commune = forms.ModelChoiceField(
        label=_("Commune de résidence du porteur·se"),
        queryset=Commune.objects.all(),
        required=False,
    )
    organisation_mode = forms.ChoiceField(
        label=_("Quelle structure ?"),
        choices=[
            ("none", _("Pas de structure pour l'instant")),
            ("new", _("Nouvelle structure")),
            ("existing", _("Structure déjà enregistrée")),
        ],
        initial="none",
        widget=forms.RadioSelect,
    )
    organisation_name = forms.CharField(label=_("Nom de la structure"), required=False)
    organisation_legal_form = forms.ChoiceField(
        label=_("Forme juridique"), choices=[("", "---------"), *LegalForm.choices], required=False
    )
    organisation_siret = forms.CharField(label=_("SIRET"), required=False)

    class Meta:
        model = Project
        formfield_callback = french_formfield
        fields = [
            "name",
            "summary",
            "sector",
            "themes",
            "stage",
            "status",
            "organisation",
            "commune",
            "in_qpv",
            "source",
            "officer",
            "coach",
            "hours_allocated",
            "entry_date",
        ]
        labels = {"organisation": _("Structure déjà enregistrée")}

    LEAD_FIELDS = ("first_name", "last_name", "email", "phone", "commune")
    ORGANISATION_FIELDS = ("name", "legal_form", "siret")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_project_fields()
        self.fields["lead_person"].queryset = Person.objects.visible_to(user).current()
        # A project starts as an application or directly in accompaniment; leaving is a move.
        self.fields["status"].choices = [
            (value, label)
            for value, label in Status.choices
            if value in (Status.APPLICANT, Status.ACTIVE, Status.ON_HOLD)
        ]
        if not self.is_bound:
            self.initial.setdefault("officer", user.pk if roles.is_officer(user) else None)

    def section(self, names):
        return [self[name] for name in names]

    def project_section(self):
        return self.section(
            [n for n in self._meta.fields if n not in ("organisation", "themes")] + ["themes"]
        )

    def lead_section(self):
        return self.section([f"lead_{name}" for name in self.LEAD_FIELDS])

    def organisation_section(self):
        return self.section([f"organisation_{name}" for name in self.ORGANISATION_FIELDS])

    def clean(self):
        data = super().clean()
        if data.get("lead_mode") == "existing":
            if not data.get("lead_person"):
                self.add_error("lead_person", _("Choisissez la personne porteuse du projet."))
        else:
            for name, message in (
                ("lead_first_name", _("Indiquez le prénom du porteur·se.")),
                ("lead_last_name", _("Indiquez le nom du porteur·se.")),
            ):
                if not data.get(name, "").strip():
                    self.add_error(name, message)
        mode = data.get("organisation_mode")
        if mode == "existing" and not data.get("organisation"):
            self.add_error("organisation", _("Choisissez la structure."))
        if mode == "new" and not data.get("organisation_name", "").strip():
            self.add_error("organisation_name", _("Indiquez le nom de la structure."))
        return data

    def service_arguments(self) -> dict:
        """Keyword arguments for crm.projects.services.project_create."""
        data = self.cleaned_data
        arguments = {name: data[name] for name in self._meta.fields if name in data}
        arguments["themes"] = list(arguments.pop("themes", []) or [])
        if data["lead_mode"] == "existing":
            arguments["lead"] = data["lead_person"]
        else:
            arguments["new_lead"] = {name: data[f"lead_{name}"] for name in self.LEAD_FIELDS}
        if data["organisation_mode"] == "new":
            arguments["organisation"] = None
            arguments["new_organisation"] = {
                name: data[f"organisation_{name}"] or "" for name in self.ORGANISATION_FIELDS
            }
        elif data["organisation_mode"] == "none":
            arguments["organisation"] = None
        return arguments


class ProjectMoveForm(forms.Form):
    """Move a project to another stage and/or status; services.project_move validates."""

    # Not required: a card of the board sends only the stage.
    stage = forms.ChoiceField(label=_("Étape"), choices=Stage.choices, required=False)
    status = forms.ChoiceField(label=_("Statut du suivi"), choices=Status.choices, required=False)
    exit_reason = forms.ChoiceField(
        label=_("Motif de sortie"),
        choices=[("", "---------"), *ExitReason.choices],
        required=False,
        help_text=_("Obligatoire pour un projet sorti."),
    )
    note = forms.CharField(label=_("Note (facultative)"), widget=forms.Textarea, required=False)

    def __init__(self, *args, project: Project, **kwargs):
        kwargs.setdefault(
            "initial",
            {"stage": project.stage, "status": project.status, "exit_reason": project.exit_reason},
        )
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["rows"] = 2
