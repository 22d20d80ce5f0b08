"""Forms of the project's side panel: stage and status, coach and officer, changed in place.

Both carry the version of the project the panel was opened on (optimistic locking): a
change made meanwhile elsewhere is a conflict the panel tells, never a silent overwrite."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.core.concurrency import VersionedFormMixin
from crm.core.forms import french_formfield
from crm.models import ExitReason, Project, Stage, Status
from crm.projects.forms import ProjectFieldsMixin


class PanelMoveForm(VersionedFormMixin, forms.Form):
    """Stage and status of a project; services.project_move validates and records it."""

    stage = forms.ChoiceField(label=_("Étape"), choices=Stage.choices)
    status = forms.ChoiceField(label=_("Statut du suivi"), choices=Status.choices)
    exit_reason = forms.ChoiceField(
        label=_("Motif de sortie"),
        choices=[("", "---------"), *ExitReason.choices],
        required=False,
        help_text=_("Obligatoire pour un projet sorti."),
    )

    def __init__(self, *args, project: Project, **kwargs):
        kwargs.setdefault(
            "initial",
            {"stage": project.stage, "status": project.status, "exit_reason": project.exit_reason},
        )
        kwargs.setdefault("prefix", "move")
        super().__init__(*args, record=project, **kwargs)


class ProjectAssignForm(ProjectFieldsMixin, VersionedFormMixin, forms.ModelForm):
    """Who follows the project: its coach and its officer."""

    class Meta:
        model = Project
        fields = ["coach", "officer"]
        formfield_callback = french_formfield

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        self.setup_project_fields()
