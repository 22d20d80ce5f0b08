"""The territory: communes (keyed by INSEE code) and the themes of accompaniment."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import in_range


class Commune(models.Model):
    """A commune, keyed by its INSEE code (postal codes are shared between communes)."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True, null=True, blank=True)
    name = models.CharField(_("nom"), max_length=100)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    in_territory = models.BooleanField(_("dans le territoire"), default=True)
    # The commune's outline for the dashboard's map: a GeoJSON Polygon or MultiPolygon in
    # WGS84 longitude/latitude, and whom to credit for it. Loaded with the territory
    # (crm.projects.territory, `manage.py load_territory`).
    boundary = models.JSONField(_("contour (GeoJSON)"), null=True, blank=True)
    boundary_source = models.CharField(_("source du contour"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        # Territory communes first, alphabetical; "outside the territory" last.
        ordering = ["-in_territory", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_territory=False) | Q(insee_code__isnull=False),
                name="crm_commune_territory_has_insee_code",
            ),
            models.UniqueConstraint(fields=["name"], name="crm_commune_name_unique"),
        ]

    def __str__(self):
        # Reference names the app ships ("Hors territoire") read in the user's language;
        # a commune's own name has no translation and stays as it is.
        return gettext(self.name)


class Theme(models.Model):
    """An accompaniment theme (strategy, funding, governance…): reference data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=100)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0, validators=in_range(0, 1000))

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "label"]

    def __str__(self):
        # The shipped themes (crm.projects.reference.THEMES) read in the user's language; a
        # theme an administrator added or renamed is shown as entered.
        return gettext(self.label)
