from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from crm.core.concurrency import VersionedFormMixin
from crm.core.forms import UniqueClashMixin
from crm.models import Branding

# What Pillow must find in the file: a bitmap format browsers and WeasyPrint both show,
# never SVG (a script may hide in it).
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}
LOGO_MAX_PIXELS = 4000


class BrandingForm(UniqueClashMixin, VersionedFormMixin, forms.ModelForm):
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)

    class Meta:
        model = Branding
        fields = ["name", "address", "signatory_name", "signatory_title", "logo", "colour"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
            "colour": forms.TextInput(attrs={"placeholder": "#1d3f8f", "size": 8}),
        }
        help_texts = {
            "name": _("Par exemple : Établissement public territorial Grand Paris Sud Est."),
            "address": _("Une ligne par ligne de l'adresse, telle qu'en tête des lettres."),
            "signatory_title": _("Par exemple : Le vice-président chargé de l'ESS."),
            "logo": _("PNG ou JPEG, 1 Mo au plus ; il apparaît en tête des PDF et des pages."),
            "colour": _(
                "Celle du bandeau, des liens et des boutons ; assez foncée pour rester lisible "
                "sur fond blanc (4,5:1)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].widget = forms.FileInput(attrs={"accept": "image/png,image/jpeg"})
        if not self.instance.logo:
            del self.fields["remove_logo"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo == self.instance.logo:
            return logo
        if logo.size > settings.BRAND_LOGO_MAX_SIZE:
            raise forms.ValidationError(
                _("Le logo pèse %(size)s ; la limite est de %(limit)s.")
                % {
                    "size": filesizeformat(logo.size),
                    "limit": filesizeformat(settings.BRAND_LOGO_MAX_SIZE),
                }
            )
        image = getattr(logo, "image", None)  # opened and verified by Django's ImageField
        kind = getattr(image, "format", None)
        if kind not in LOGO_FORMATS:
            raise forms.ValidationError(_("Le logo doit être une image PNG ou JPEG."))
        if max(image.size) > LOGO_MAX_PIXELS:
            raise forms.ValidationError(
                _("Le logo mesure plus de %(max)s pixels de côté : réduisez-le.")
                % {"max": LOGO_MAX_PIXELS}
            )
        logo.name = f"logo.{LOGO_FORMATS[kind]}"
        return logo
