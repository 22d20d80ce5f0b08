"""Forms of next steps set on their own: create, postpone (with a reason), reassign."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import BoundedDateField
from crm.core.concurrency import VersionedFormMixin
from crm.core.roles import Role
from crm.core.widgets import AutocompleteSelect, DateInput
from crm.models import Project, User
from followups.services import action_owners

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def staff_owners(user):
    """Owners offered before a project is chosen: the user and active officers and coaches
    (the service checks the choice against the project)."""
    return (
        User.objects.filter(
            Q(pk=user.pk) | Q(groups__name__in=[Role.OFFICER, Role.COACH]), is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


class ActionForm(forms.Form):
    """A new step; without `project`, the form asks which project (among those the user
    may see: the service checks they may change it)."""

    project = forms.ModelChoiceField(
        label=_("Projet"),
        queryset=Project.objects.none(),
        widget=AutocompleteSelect("crm:project-search"),
    )
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Responsable"), queryset=User.objects.none())
    due_on = BoundedDateField(label=_("Échéance"), widget=DateInput(), input_formats=DATE_FORMATS)

    def __init__(self, *args, user, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is None:
            self.fields["project"].queryset = Project.objects.visible_to(user).current()
            self.fields["owner"].queryset = staff_owners(user)
        else:
            del self.fields["project"]
            self.fields["owner"].queryset = action_owners(project, user)
        self.fields["owner"].initial = user.pk


class ActionPostponeForm(VersionedFormMixin, forms.Form):
    due_on = BoundedDateField(
        label=_("Nouvelle échéance"), widget=DateInput(), input_formats=DATE_FORMATS
    )
    reason = forms.CharField(
        label=_("Raison du report"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Elle figure dans l'historique du projet."),
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("due_on", record.due_on)


class ActionReassignForm(VersionedFormMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("Nouveau responsable"), queryset=User.objects.none())

    def __init__(self, *args, record, user, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        # The current owner stays in the list (the service says they already own it): a
        # form loaded before somebody else's reassignment still reads as it was.
        self.fields["owner"].queryset = action_owners(record.project, user)
