"""Every model that relates to a person or holds text is declared to the erasure, field by
field: a new model or column fails here, by name, until someone decides what it holds."""

from django.apps import apps
from django.db import models

from contacts.gdpr.erasure import TEXT_FIELDS
from contacts.gdpr.places import PLACES
from contacts.models import Person


def _relates_to_person(model) -> bool:
    return any(
        field.is_relation and field.related_model is Person
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
    )


def _text_fields(model) -> set[str]:
    return {
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, TEXT_FIELDS) and not field.choices and not field.is_relation
    }


def test_every_model_holding_text_or_a_person_is_declared_field_by_field():
    problems = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        texts = _text_fields(model)
        if not (texts or _relates_to_person(model)):
            continue
        place = PLACES.get(label)
        if place is None:
            problems.append(f"{label}: not declared in contacts.gdpr.places.PLACES")
            continue
        for name in sorted(texts - place.fields()):
            problems.append(f"{label}.{name}: not classified (identity, scrub or safe)")
        for name in sorted(place.fields() - texts):
            problems.append(f"{label}.{name}: declared but not a text field of the model")
        if _relates_to_person(model) and place.of is None:
            problems.append(f"{label}: relates to Person but declares no `of` lookup")
        if place.safe and not place.why:
            problems.append(f"{label}: safe fields need a reason (`why`)")
    assert problems == []


def test_every_declared_lookup_reaches_a_person():
    for label, place in PLACES.items():
        model = apps.get_model(label)
        condition = place.rows_of([1, 2])
        if condition is not None:
            # Builds the SQL: a wrong lookup raises FieldError here, naming the model.
            str(model._base_manager.filter(condition).query)


def test_declared_text_fields_are_real_columns():
    for label, place in PLACES.items():
        model = apps.get_model(label)
        for name in place.fields():
            assert isinstance(model._meta.get_field(name), models.Field), label
