"""Keys and scores that say two records are probably the same person or organisation.

The keys are stored on each record (kept by its `normalize()`), indexed, and used as blocks:
two records are compared only when they share a key or sit next to each other in a sorted
order of their names, never every record against every other one. The score of a pair
combines the evidence found (each reason has a weight; independent reasons add up as
probabilities do: 1 - (1 - a)(1 - b)), and the name similarity is pg_trgm's own measure,
computed here the same way so that PostgreSQL and SQLite give the same score.
"""

import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.core.text import fold

# A pair at or above this score is listed on the duplicates page.
LISTED_SCORE = 0.6
# Two names at least this similar (trigrams shared over trigrams of either) are "close".
SIMILAR_NAME = 0.5


class Reason(models.TextChoices):
    SAME_EMAIL = "email", _("même courriel")
    SAME_EMAIL_KEY = "email_key", _("courriel presque identique (points, majuscules, accents)")
    SAME_PHONE = "phone", _("même téléphone")
    SAME_SIRET = "siret", _("même SIRET")
    SAME_SIREN = "siren", _("même SIREN")
    SAME_NAME = "name", _("même nom (sans tenir compte des majuscules ni des accents)")
    SIMILAR_NAME = "similar_name", _("nom proche")
    SOUNDS_ALIKE = "sound", _("nom qui se prononce pareil")
    SAME_COMMUNE = "commune", _("même commune")
    SAME_ADDRESS = "address", _("même adresse")


# How much each reason weighs alone; the same commune only strengthens a name.
WEIGHTS = {
    Reason.SAME_EMAIL: 0.95,
    Reason.SAME_EMAIL_KEY: 0.85,
    Reason.SAME_PHONE: 0.8,
    Reason.SAME_SIRET: 1.0,
    Reason.SAME_SIREN: 0.6,
    Reason.SAME_NAME: 0.7,
    Reason.SOUNDS_ALIKE: 0.55,
    Reason.SAME_COMMUNE: 0.25,
    Reason.SAME_ADDRESS: 0.5,
}


def email_key(email: str) -> str:
    """An address reduced to what identifies its mailbox for a person typing it: case,
    accents, dots of the local part and a "+tag" ignored ("Ines.Lefevre+crm@x.fr" and
    "ineslefevre@x.fr" are one key)."""
    text = fold((email or "").strip())
    local, at, domain = text.rpartition("@")
    if not at:
        return ""
    local = local.split("+", 1)[0].replace(".", "").replace(" ", "")
    return f"{local}@{domain.replace(' ', '')}" if local and domain else ""


_SOUNDS = [
    (r"ph", "f"),
    (r"(?<=[aeiouy])s(?=[aeiouy])", "z"),
    (r"qu|ck|q|c(?=[aou])|k", "k"),
    (r"c(?=[eiy])", "s"),
    (r"g(?=[ei])", "j"),
    (r"(?<!c)h", ""),
    (r"y", "i"),
    (r"w", "v"),
    (r"ei|ai", "e"),
    (r"au|eau", "o"),
    (r"(.)\1+", r"\1"),
]


def _sound(word: str) -> str:
    for pattern, replacement in _SOUNDS:
        word = re.sub(pattern, replacement, word)
    # Silent endings: Dupont/Dupond, Martine/Martin are not told apart by ear in a file.
    word = re.sub(r"(?<=.)(e|es|s|x|t|d|nt)$", "", word)
    return word


def sound_key(*parts: str) -> str:
    """A rough French phonetic key of a name ("Lefèvre Hélène", "LEFEVRE Helene" and
    "Lefebvre Hélenne" give close keys; double letters, silent endings, ph/f, c/k/qu
    merged), used as a block for names a typo apart."""
    words = re.sub(r"[^a-z ]+", " ", fold(" ".join(p or "" for p in parts))).split()
    return " ".join(filter(None, (_sound(word) for word in words)))


_ADDRESS_WORDS = {
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "bvd": "boulevard",
    "r": "rue",
    "pl": "place",
    "all": "allee",
    "imp": "impasse",
    "che": "chemin",
    "ch": "chemin",
    "rte": "route",
    "st": "saint",
    "ste": "sainte",
}


def address_key(address: str, postal_code: str = "") -> str:
    """A street address reduced for comparison: case, accents, punctuation and the usual
    abbreviations ("12 bd J. Jaurès" = "12, boulevard J Jaures"), with the postal code."""
    first_line = (address or "").strip().splitlines()[0] if (address or "").strip() else ""
    words = [_ADDRESS_WORDS.get(w, w) for w in re.sub(r"[^a-z0-9]+", " ", fold(first_line)).split()]
    text = " ".join(words)
    return f"{text} {postal_code or ''}".strip() if text else ""


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    found = set()
    for word in re.findall(r"[a-z0-9]+", (text or "").lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)`: shared trigrams over the trigrams of either."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


@dataclass
class Evidence:
    """What two records share: the reasons, and the score they add up to."""

    reasons: list = field(default_factory=list)
    weights: list = field(default_factory=list)

    def add(self, reason, weight=None) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
            self.weights.append(WEIGHTS[reason] if weight is None else weight)

    @property
    def labels(self) -> list[str]:
        return [str(Reason(r).label) for r in self.reasons]

    @property
    def score(self) -> float:
        if not any(r != Reason.SAME_COMMUNE for r in self.reasons):
            return 0.0
        remaining = 1.0
        for weight in self.weights:
            remaining *= 1 - weight
        return round(1 - remaining, 3)


def _name_evidence(evidence: Evidence, a: dict, b: dict) -> None:
    if a["name_key"] and a["name_key"] == b["name_key"]:
        evidence.add(Reason.SAME_NAME)
        return
    close = similarity(a["name_key"], b["name_key"])
    if close >= SIMILAR_NAME:
        evidence.add(Reason.SIMILAR_NAME, round(0.8 * close, 3))
    elif a["sound_key"] and a["sound_key"] == b["sound_key"]:
        evidence.add(Reason.SOUNDS_ALIKE)


def compare_people(a: dict, b: dict) -> Evidence:
    """The evidence that two people (dicts of their keys) are one: see PERSON_KEYS."""
    evidence = Evidence()
    if a["email"] and a["email"] == b["email"]:
        evidence.add(Reason.SAME_EMAIL)
    elif a["email_key"] and a["email_key"] == b["email_key"]:
        evidence.add(Reason.SAME_EMAIL_KEY)
    if a["phone"] and a["phone"] == b["phone"]:
        evidence.add(Reason.SAME_PHONE)
    _name_evidence(evidence, a, b)
    if evidence.reasons and a["commune_id"] and a["commune_id"] == b["commune_id"]:
        evidence.add(Reason.SAME_COMMUNE)
    return evidence


def compare_organisations(a: dict, b: dict) -> Evidence:
    """The evidence that two organisations (dicts of their keys) are one."""
    evidence = Evidence()
    if a["siret"] and a["siret"] == b["siret"]:
        evidence.add(Reason.SAME_SIRET)
    elif a["siren"] and a["siren"] == b["siren"]:
        evidence.add(Reason.SAME_SIREN)
    if a["email"] and a["email"] == b["email"]:
        evidence.add(Reason.SAME_EMAIL)
    if a["phone"] and a["phone"] == b["phone"]:
        evidence.add(Reason.SAME_PHONE)
    if a["address_key"] and a["address_key"] == b["address_key"]:
        evidence.add(Reason.SAME_ADDRESS)
    _name_evidence(evidence, a, b)
    if a["siret"] and b["siret"] and a["siret"] != b["siret"] and a["siren"] != b["siren"]:
        # Two different companies' identifiers: a shared name or phone is a coincidence.
        return Evidence()
    if evidence.reasons and a["commune_id"] and a["commune_id"] == b["commune_id"]:
        evidence.add(Reason.SAME_COMMUNE)
    return evidence


# The columns each comparison reads, also what the duplicates scan loads per record.
PERSON_KEYS = ("pk", "name_key", "sound_key", "email", "email_key", "phone", "commune_id")
ORGANISATION_KEYS = (
    "pk",
    "name_key",
    "sound_key",
    "siret",
    "siren",
    "email",
    "phone",
    "address_key",
    "commune_id",
)


def keys_of(record, names) -> dict:
    return {name: getattr(record, name) for name in names}
