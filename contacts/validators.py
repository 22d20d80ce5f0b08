"""Validators and normalisers for French company and association identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crm.core.text import fold

# La Poste's SIREN predates the Luhn rule; its establishments' SIRETs are valid when their
# digit sum is a multiple of 5 (INSEE's published exception).
LA_POSTE_SIREN = "356000000"

NAF_RE = re.compile(r"^\d{4}[A-Z]$")
RNA_RE = re.compile(r"^W\d{9}$")


def digits_only(value: str) -> str:
    """Drop the spaces, dots and dashes people type inside identifiers."""
    return re.sub(r"[\s.\-\u00a0\u202f]", "", value or "")


def luhn_valid(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def validate_siren(value: str) -> None:
    if not re.fullmatch(r"\d{9}", value or ""):
        raise ValidationError(
            _("Le SIREN doit compter exactement 9 chiffres."), code="siren_format"
        )
    if value != LA_POSTE_SIREN and not luhn_valid(value):
        raise ValidationError(
            _("Ce SIREN n'est pas valide (clé de contrôle incorrecte)."), code="siren_checksum"
        )


def validate_siret(value: str) -> None:
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError(
            _("Le SIRET doit compter exactement 14 chiffres."), code="siret_format"
        )
    valid = luhn_valid(value) or (
        value.startswith(LA_POSTE_SIREN) and sum(int(d) for d in value) % 5 == 0
    )
    if not valid:
        raise ValidationError(
            _("Ce SIRET n'est pas valide (clé de contrôle incorrecte)."), code="siret_checksum"
        )


def normalize_rna(value: str) -> str:
    return digits_only(value).upper()


def validate_rna(value: str) -> None:
    if not RNA_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Le numéro RNA s'écrit W suivi de 9 chiffres (par exemple W941234567)."),
            code="rna_format",
        )


def normalize_naf(value: str) -> str:
    """'62.01z' -> '6201Z'."""
    return digits_only(value).upper()


def validate_naf(value: str) -> None:
    if not NAF_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Le code NAF/APE s'écrit 4 chiffres et une lettre (par exemple 8899B)."),
            code="naf_format",
        )


def normalize_phone(value: str) -> str:
    """French numbers to E.164 (+33612345678); other international numbers kept as typed
    without spaces. Returns the input stripped when it is not a recognisable number."""
    raw = (value or "").strip()
    compact = re.sub(r"[\s.\-()\u00a0\u202f]", "", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if re.fullmatch(r"0[1-9]\d{8}", compact):
        return "+33" + compact[1:]
    if re.fullmatch(r"\+330[1-9]\d{8}", compact):
        return "+33" + compact[4:]
    if re.fullmatch(r"\+\d{8,15}", compact):
        return compact
    return raw


def validate_phone(value: str) -> None:
    if value and not re.fullmatch(r"\+\d{8,15}", normalize_phone(value)):
        raise ValidationError(
            _("Numéro de téléphone non reconnu : écrivez-le comme 06 12 34 56 78 ou +33 6 …"),
            code="phone_format",
        )


def name_key(*parts: str) -> str:
    """A name reduced for duplicate detection: lower-case, accents and punctuation dropped,
    single spaces ("Hélène  Lefèvre-Dupont" → "helene lefevre dupont")."""
    without_accents = fold(" ".join(part or "" for part in parts))
    return " ".join(re.sub(r"[^\w]+|_", " ", without_accents).split())
