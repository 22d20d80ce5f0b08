"""Reference data the application needs from the first migrate: communes and themes.

The communes are the default territory's (crm.projects.territory).

The functions take an `apps` registry so that data migrations can call them with
historical models; called without it they use the current models (tests, seed_demo).
"""

from django.utils.translation import gettext_lazy as _

from crm.projects.territory import (
    DEFAULT_BOUNDARIES,
    DEFAULT_COMMUNES,
    read_communes,
    territory_load,
)

OUTSIDE_TERRITORY = _("Hors territoire")

THEMES = [
    ("strategy", _("Stratégie")),
    ("business_model", _("Modèle économique")),
    ("funding", _("Financement")),
    ("governance", _("Gouvernance")),
    ("hr", _("RH, fonction employeur")),
    ("cooperation", _("Coopération")),
    ("local_partnerships", _("Partenariats locaux")),
    ("digital", _("Numérique")),
    ("public_procurement", _("Commande publique")),
    ("premises", _("Locaux")),
    ("legal_status", _("Statut juridique")),
]


def _registry(apps):
    if apps is None:
        from django.apps import apps
    return apps


def load_communes(apps=None) -> None:
    """The default territory (GPSEA, crm.projects.territory) when no territory is loaded
    yet, and the "outside the territory" commune. A territory loaded since is left alone.

    Called by the first migration with the historical model (names and postal codes only;
    a later migration adds the outlines), and with the current model by seed_demo and the
    tests (outlines too)."""
    Commune = _registry(apps).get_model("crm", "Commune")
    if not Commune.objects.filter(in_territory=True).exists():
        if any(field.name == "boundary" for field in Commune._meta.get_fields()):
            territory_load(communes_csv=DEFAULT_COMMUNES, geojson=DEFAULT_BOUNDARIES, apps=apps)
        else:
            for commune in read_communes(DEFAULT_COMMUNES):
                Commune.objects.create(
                    insee_code=commune.insee_code,
                    name=commune.name,
                    postal_code=commune.postal_code,
                    in_territory=True,
                )
    Commune.objects.get_or_create(
        insee_code=None, in_territory=False, defaults={"name": str(OUTSIDE_TERRITORY)}
    )


def load_themes(apps=None) -> None:
    Theme = _registry(apps).get_model("crm", "Theme")
    for position, (code, label) in enumerate(THEMES):
        Theme.objects.update_or_create(
            code=code, defaults={"label": str(label), "position": position}
        )


def load_reference_data(apps=None) -> None:
    """Idempotent: safe to run after every flush (transactional tests do one)."""
    from crm.core.roles import sync_roles

    load_communes(apps)
    load_themes(apps)
    sync_roles(apps)
