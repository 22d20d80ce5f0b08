"""The body's letterhead: its name, address, logo and signatory, on every PDF and in the
header of the app. One row (pk 1), edited by officers on the branding page; a field left
empty falls back to the BRAND_* settings (crm.branding.services.current_brand)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.core.colours import validate_brand_colour
from crm.core.concurrency import VersionedModel

BRANDING_PK = 1
ADDRESS_MAX_LENGTH = 500


class Branding(VersionedModel):
    name = models.CharField(_("nom de l'organisme"), max_length=200, blank=True)
    address = models.TextField(
        _("adresse"), blank=True, validators=[MaxLengthValidator(ADDRESS_MAX_LENGTH)]
    )
    signatory_name = models.CharField(_("nom du·de la signataire"), max_length=200, blank=True)
    signatory_title = models.CharField(_("qualité du·de la signataire"), max_length=200, blank=True)
    # PNG or JPEG only, checked by crm.branding.forms (an SVG could carry a script).
    logo = models.ImageField(_("logo"), upload_to="branding/", blank=True, max_length=200)
    # The header, links and buttons; empty: BRAND_COLOUR, else the app's own blue.
    colour = models.CharField(
        _("couleur principale"), max_length=7, blank=True, validators=[validate_brand_colour]
    )

    class Meta:
        verbose_name = _("identité de l'organisme")
        verbose_name_plural = _("identité de l'organisme")
        constraints = [
            models.CheckConstraint(condition=Q(id=BRANDING_PK), name="crm_branding_single_row"),
        ]

    def __str__(self):
        return self.name or str(_("Identité de l'organisme"))
