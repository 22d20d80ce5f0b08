import pytest
from django.core.exceptions import ValidationError

from contacts.validators import (
    normalize_naf,
    normalize_phone,
    validate_naf,
    validate_phone,
    validate_rna,
    validate_siren,
    validate_siret,
)


@pytest.mark.parametrize(
    "siren",
    [
        "732829320",  # a real SIREN, Luhn-valid
        "552100554",
        "356000000",  # La Poste: the documented exception to the Luhn rule
    ],
)
def test_valid_sirens_are_accepted(siren):
    validate_siren(siren)


@pytest.mark.parametrize(
    ("siren", "message"),
    [
        ("732829321", "clé de contrôle"),
        ("73282932", "9 chiffres"),
        ("7328293200", "9 chiffres"),
        ("73282932A", "9 chiffres"),
    ],
)
def test_invalid_sirens_are_refused_with_a_french_message(siren, message):
    with pytest.raises(ValidationError, match=message):
        validate_siren(siren)


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # Luhn-valid
        "35600000000048",  # La Poste head office, Luhn-valid
        "35600000049837",  # a La Poste establishment: not Luhn-valid, digit sum 50
    ],
)
def test_valid_sirets_are_accepted(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000075",  # Luhn fails
        "35600000049838",  # La Poste prefix, neither Luhn nor a digit sum multiple of 5
        "7328293200007",  # 13 digits
    ],
)
def test_invalid_sirets_are_refused(siret):
    with pytest.raises(ValidationError):
        validate_siret(siret)


def test_rna_is_w_and_nine_digits():
    validate_rna("W941234567")
    for bad in ["941234567", "W94123456", "X941234567", "W94123456A"]:
        with pytest.raises(ValidationError, match="W suivi de 9 chiffres"):
            validate_rna(bad)


def test_naf_code_is_normalised_then_validated():
    assert normalize_naf("62.01z") == "6201Z"
    validate_naf("8899B")
    with pytest.raises(ValidationError, match="4 chiffres et une lettre"):
        validate_naf("889B")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033 1 45 67 89 10", "+33145678910"),
        ("+32 2 123 45 67", "+3221234567"),
    ],
)
def test_phone_numbers_are_stored_in_e164(typed, stored):
    assert normalize_phone(typed) == stored
    validate_phone(typed)


def test_unrecognisable_phone_is_refused():
    with pytest.raises(ValidationError, match="Numéro de téléphone"):
        validate_phone("appeler le matin")
