"""French numbers in every form, and unique clashes told as sentences."""

import importlib
import inspect
from decimal import Decimal

import pytest
from django import forms

from contacts.forms import OrganisationForm, PersonForm
from crm.core.forms import FrenchDecimalField, UniqueClashMixin
from tests.factories import OrganisationFactory, PersonFactory

FORM_MODULES = [
    "contacts.forms",
    "contacts.gdpr.forms",
    "crm.intake.forms.calls",
    "crm.intake.forms.registration",
    "crm.intake.forms.reconcile",
    "crm.projects.forms",
    "followups.forms",
    "followups.forms_certification",
    "reports.forms",
]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("6000", Decimal("6000")),
        ("6 000", Decimal("6000")),
        ("6\u00a0000", Decimal("6000")),  # no-break space
        ("6\u202f000", Decimal("6000")),  # narrow no-break space
        ("1 500,00 €", Decimal("1500.00")),
        ("1 500,50€", Decimal("1500.50")),
        ("1.500,50", Decimal("1500.50")),
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("7,5 h", Decimal("7.5")),
        (" 25 000 EUR ", Decimal("25000")),
    ],
)
def test_the_number_field_reads_what_french_users_type(typed, value):
    assert FrenchDecimalField(max_digits=12, decimal_places=2).clean(typed) == value


@pytest.mark.parametrize("typed", ["abc", "12,5,3", "1e400", "nan", "€"])
def test_the_number_field_refuses_what_is_no_number(typed):
    with pytest.raises(forms.ValidationError):
        FrenchDecimalField(max_digits=12, decimal_places=2).clean(typed)


def test_the_number_field_keeps_its_bounds():
    field = FrenchDecimalField(max_digits=6, decimal_places=1, min_value=0)
    with pytest.raises(forms.ValidationError):
        field.clean("-3")
    with pytest.raises(forms.ValidationError):
        field.clean("12,55")


@pytest.mark.parametrize(
    ("stored", "places", "shown"),
    [
        (Decimal("6000.00"), 2, "6\u00a0000"),
        (Decimal("1500.50"), 2, "1\u00a0500,50"),
        (Decimal("1500.5"), 2, "1\u00a0500,50"),
        (Decimal("12.50"), 1, "12,5"),
        (Decimal("7.25"), 2, "7,25"),
        (Decimal("1234567.8"), 1, "1\u00a0234\u00a0567,8"),
    ],
)
def test_the_number_field_shows_values_the_french_way(stored, places, shown):
    field = FrenchDecimalField(max_digits=12, decimal_places=places)
    assert field.prepare_value(stored) == shown
    # What it shows, it reads back.
    assert field.clean(shown) == stored


class _AmountForm(forms.Form):
    amount = FrenchDecimalField(max_digits=12, decimal_places=2)


def test_the_number_field_is_a_text_input_with_a_decimal_keyboard():
    html = str(_AmountForm(initial={"amount": Decimal("25000.00")})["amount"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert 'value="25\u00a0000"' in html


def _form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls


def test_every_amount_and_hours_field_of_every_form_is_the_french_number_field():
    plain = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DecimalField) and not isinstance(field, FrenchDecimalField)
    ]
    assert plain == []


def test_every_model_form_tells_a_unique_clash_as_a_sentence():
    missing = [
        f"{cls.__module__}.{cls.__name__}"
        for cls in _form_classes()
        if issubclass(cls, forms.BaseModelForm) and not issubclass(cls, UniqueClashMixin)
    ]
    assert missing == []


@pytest.mark.django_db
def test_a_siret_already_used_names_the_other_organisation_with_a_link():
    other = OrganisationFactory(name="Recyclerie du Val", siret="73282932000074")
    form = OrganisationForm(
        data={"name": "Nouvelle structure", "kind": other.kind, "siret": "732 829 320 00074"}
    )
    assert not form.is_valid()
    (message,) = form.errors["siret"]
    assert "Recyclerie du Val" in message
    assert f'href="{other.get_absolute_url()}"' in message
    assert "contacts_org_siret_unique" not in str(form.errors)


@pytest.mark.django_db
def test_an_email_already_used_names_the_other_person_whatever_the_case():
    other = PersonFactory(first_name="Omar", last_name="Diallo", email="omar@exemple.fr")
    form = PersonForm(data={"first_name": "O", "last_name": "D", "email": "OMAR@exemple.fr"})
    assert not form.is_valid()
    (message,) = form.errors["email"]
    assert str(other) in message and other.get_absolute_url() in message


@pytest.mark.django_db
def test_saving_a_record_with_its_own_siret_is_no_clash():
    organisation = OrganisationFactory(name="Recyclerie du Val", siret="73282932000074")
    form = OrganisationForm(
        instance=organisation,
        data={"name": "Recyclerie du Val", "kind": organisation.kind, "siret": "73282932000074"},
    )
    assert "siret" not in form.errors
