"""Sector names as offices write them, matched to the sectors of the model consistently.

`sector_key` reduces a name to what identifies it: accents and case folded, punctuation
and small words ("de", "la", "et"…) dropped, each word in the singular ("Épiceries
solidaires" and "epicerie solidaire" are one key). Each sector is known by its label, by
each part of its label ("Alimentation, épicerie solidaire" gives "alimentation" and
"epicerie solidaire"), by the import's aliases and by the synonyms below. `normalise_sector`
gives the sector a name stands for, or the closest one within a typo or two; the import's
fix machinery (fixes.py) offers it as a correction, never imposes it.
"""

import difflib
import re

from crm.importing.values import SECTOR_ALIASES, fold
from crm.models import Sector

SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "au", "aux"}

# Words offices use for a sector that its label does not hold.
SECTOR_SYNONYMS = {
    "alimentaire": Sector.FOOD,
    "restauration": Sector.FOOD,
    "epicerie cooperative": Sector.RETAIL,
    "maraichage": Sector.AGRICULTURE,
    "agriculture": Sector.AGRICULTURE,
    "jardin partage": Sector.AGRICULTURE,
    "tiers lieux": Sector.THIRD_PLACE,
    "espace partage": Sector.THIRD_PLACE,
    "mobilite douce": Sector.MOBILITY,
    "velo": Sector.MOBILITY,
    "cycle": Sector.MOBILITY,
    "cyclologistique": Sector.LOGISTICS,
    "livraison": Sector.LOGISTICS,
    "livraison velo": Sector.LOGISTICS,
    "tourisme": Sector.TOURISM,
    "economie circulaire": Sector.CIRCULAR,
    "reemploi": Sector.CIRCULAR,
    "recyclage": Sector.CIRCULAR,
    "compost": Sector.CIRCULAR,
    "dechet": Sector.CIRCULAR,
    "epargne solidaire": Sector.FINANCE,
    "microcredit": Sector.FINANCE,
    "commerce equitable": Sector.RETAIL,
    "media": Sector.CULTURE,
    "spectacle": Sector.CULTURE,
    "sante": Sector.CARE,
    "aide domicile": Sector.CARE,
    "service personne": Sector.CARE,
    "formation": Sector.EDUCATION,
    "insertion": Sector.EDUCATION,
    "insertion professionnelle": Sector.EDUCATION,
    "informatique": Sector.DIGITAL,
    "batiment": Sector.CONSTRUCTION,
    "habitat": Sector.CONSTRUCTION,
    "logement": Sector.CONSTRUCTION,
    "ecoconstruction": Sector.CONSTRUCTION,
}


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"  # "locaux" -> "local"
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def sector_key(value) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", fold(str(value or ""))).split()
    return " ".join(_singular(w) for w in words if w not in SMALL_WORDS)


def _names() -> dict[str, str]:
    """Every known name's key -> its sector's value (built per call: labels follow the
    active language)."""
    names: dict[str, str] = {}
    for value, label in Sector.choices:
        names[sector_key(value)] = value
        names[sector_key(label)] = value
        for part in str(label).split(","):
            names.setdefault(sector_key(part), value)
    for alias, value in {**SECTOR_ALIASES, **SECTOR_SYNONYMS}.items():
        names.setdefault(sector_key(alias), str(value))
    names.pop("", None)
    return names


def normalise_sector(value) -> str | None:
    """The sector `value` stands for (same key, or a key a typo or two away), or None."""
    key = sector_key(value)
    if not key:
        return None
    names = _names()
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None
