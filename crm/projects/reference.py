"""Reference data the application needs from the first migrate: communes and themes.

The functions take an `apps` registry so that data migrations can call them with
historical models; called without it they use the current models (tests, seed_demo).
"""

import csv
from pathlib import Path

from django.utils.translation import gettext_lazy as _

COMMUNES_CSV = Path(__file__).parent / "data" / "communes-gpsea.csv"
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
    Commune = _registry(apps).get_model("crm", "Commune")
    with COMMUNES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Commune.objects.update_or_create(
                insee_code=row["insee_code"],
                defaults={
                    "name": row["name"],
                    "postal_code": row["postal_code"],
                    "in_territory": True,
                },
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
