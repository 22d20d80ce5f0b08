"""Forms of the e-mails to entrepreneurs: the templates officers keep, and the message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contacts.models import Person
from crm.core.concurrency import VersionedFormMixin
from crm.models import Project
from followups import messaging
from followups.models import MessageTemplate


def _checked(text: str) -> str:
    messaging.check_template(text)
    return text


class MessageTemplateForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["name", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def clean_subject(self):
        return _checked(self.cleaned_data["subject"])

    def clean_body(self):
        return _checked(self.cleaned_data["body"])


class ComposeForm(forms.Form):
    """From a project: to which of its entrepreneurs. From a person: about which of their
    projects, if any."""

    person = forms.ModelChoiceField(label=_("Destinataire"), queryset=Person.objects.none())
    project = forms.ModelChoiceField(
        label=_("Au sujet du projet"), queryset=Project.objects.none(), required=False
    )
    subject = forms.CharField(label=_("Objet"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, user, project=None, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            del self.fields["project"]
            self.fields["person"].queryset = Person.objects.filter(
                project_memberships__project=project
            ).order_by("last_name", "first_name", "pk")
            lead = project.members.filter(is_lead=True).values_list("person", flat=True).first()
            self.fields["person"].initial = lead
        else:
            del self.fields["person"]
            self.fields["project"].queryset = (
                Project.objects.visible_to(user).filter(members__person=person).order_by("name")
            )

    def clean_subject(self):
        return _checked(self.cleaned_data["subject"])

    def clean_body(self):
        return _checked(self.cleaned_data["body"])
