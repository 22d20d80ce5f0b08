"""Forms of the personal-data lifecycle pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crm.core.widgets import DateInput


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme l'effacement définitif des données d'identification"),
        error_messages={"required": _("Cochez la case pour confirmer l'effacement.")},
    )
    force = forms.BooleanField(
        label=_("Effacer malgré le projet en cours"),
        required=False,
        help_text=_("Réservé aux demandes qui ne peuvent attendre la clôture du projet."),
    )
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un effacement forcé ; conservé sans les données effacées."),
    )

    def __init__(self, *args, open_projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.open_projects = list(open_projects)
        if not self.open_projects:
            del self.fields["force"]

    def clean(self):
        data = super().clean()
        if self.open_projects and not data.get("force"):
            self.add_error(
                "force",
                _(
                    "Cette personne porte un projet en cours : clôturez-le, changez de porteur·se, "
                    "ou cochez cette case et donnez un motif."
                ),
            )
        if data.get("force") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Un effacement forcé demande un motif."))
        return data


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("Conserver jusqu'au"), widget=DateInput)
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.due = due

    def clean_until(self):
        until = self.cleaned_data["until"]
        if self.due is not None and until <= self.due:
            raise ValidationError(
                _("La date doit être postérieure à l'échéance actuelle (%(due)s).")
                % {"due": self.due.strftime("%d/%m/%Y")}
            )
        return until

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError(_("Indiquez le motif de la prolongation."))
        return reason


class ApprovalForm(forms.Form):
    approved_on = forms.DateField(label=_("Date du visa"), widget=DateInput)
    reference = forms.CharField(label=_("Référence du visa des archives"), max_length=100)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            raise ValidationError(_("Indiquez la référence du visa."))
        return reference
