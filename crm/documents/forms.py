"""Upload forms: several files at once, one category, date and visibility for all."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.core import permissions
from crm.core.bounds import BoundedDateField
from crm.core.widgets import DateInput
from crm.documents.models import DocumentCategory
from followups.models import NoteVisibility, default_note_visibility

MAX_FILES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Déposez au plus %(max)s fichiers à la fois.") % {"max": MAX_FILES}
            )
        cleaned, errors = [], []
        for file in files:
            try:
                cleaned.append(super().clean(file, initial))
            except forms.ValidationError as error:
                errors.append(f"{file.name} : {' '.join(error.messages)}")
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Fichiers"),
        help_text=_("Un ou plusieurs fichiers : PDF, images, documents bureautiques, textes, CSV."),
        widget=MultipleFileInput(attrs={"data-dropzone": "1"}),
    )
    category = forms.ModelChoiceField(
        label=_("Catégorie"), queryset=DocumentCategory.objects.filter(active=True)
    )
    title = forms.CharField(
        label=_("Titre"),
        max_length=200,
        required=False,
        help_text=_("Laissé vide : le nom de chaque fichier."),
    )
    date = BoundedDateField(label=_("Date du document"), widget=DateInput())
    visibility = forms.ChoiceField(label=_("Visibilité"), choices=NoteVisibility.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["visibility"].initial = default_note_visibility(user)
        if not permissions.can_write_internal_notes(user):
            self.fields["visibility"].choices = [
                choice for choice in NoteVisibility.choices if choice[0] != NoteVisibility.INTERNAL
            ]


class VersionForm(forms.Form):
    file = forms.FileField(label=_("Nouvelle version du fichier"))


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Nouvelle catégorie"), max_length=100)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if DocumentCategory.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("Cette catégorie existe déjà."))
        return name
