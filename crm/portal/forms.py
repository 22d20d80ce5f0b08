"""The portal's forms: the password set through an invitation, a step marked done, the
person's details, the erasure request."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from contacts.models import Person
from crm.core.concurrency import VersionedFormMixin
from crm.portal.services.space import COMMENT_MAX


class PasswordForm(forms.Form):
    """The password rules of the staff (AUTH_PASSWORD_VALIDATORS: 12 characters, not
    common, not only digits, not like the person's name or address)."""

    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("12 caractères au moins, pas seulement des chiffres, ni trop courant."),
    )
    password2 = forms.CharField(
        label=_("Confirmez le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("Les deux mots de passe ne sont pas identiques."))
        return second

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password and not self.errors:
            try:
                password_validation.validate_password(password, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ActionDoneForm(forms.Form):
    comment = forms.CharField(
        label=_("Un mot pour votre accompagnateur·rice (facultatif)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DetailsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email", "phone", "commune"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = self.fields["commune"].queryset.order_by(
            "-in_territory", "name"
        )
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "Nous vous écrivons à cette adresse ; votre identifiant de connexion ne change pas."
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        others = Person.objects.with_email(email).exclude(pk=self.instance.pk)
        if others.exists():
            # Never say whose it is: the address is simply refused.
            raise forms.ValidationError(
                _(
                    "Cette adresse ne peut pas être enregistrée ici : écrivez à votre "
                    "chargé·e de mission pour la changer."
                )
            )
        return email


class ErasureRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Précisions (facultatif)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Je demande l'effacement de mes données personnelles."),
        error_messages={"required": _("Cochez la case pour confirmer votre demande.")},
    )
