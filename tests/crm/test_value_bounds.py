"""Every number and date a user can enter is bounded by what its column and the domain
allow, in the model, so forms, services and imports all refuse the same values; the bulk
imports check the database's CHECK constraints in memory as full_clean() would
(issue 16, findings 2 and 3)."""

import datetime
import itertools
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from crm.core.bounds import DateRangeValidator
from crm.core.constraints import check_constraints, violated_constraints

APPS = ("crm", "contacts", "followups", "reports")

# Written by the application itself (now(), a counter, a copy of an id), never typed.
EXEMPT = {
    "crm.User.last_login",
    "crm.User.date_joined",
    "crm.AccessEvent.at",
    "crm.AccessEvent.person_pk",
    "crm.ImportBatch.done_at",
    "crm.ImportBatch.processed",
    "crm.ImportBatch.total",
    "crm.Registration.submitted_at",
    "crm.Registration.reconciled_at",
    "crm.TriageDecision.at",
    "crm.Application.decided_at",
    "crm.Project.archived_at",
    "crm.StageChange.at",
    "contacts.Organisation.archived_at",
    "contacts.Person.archived_at",
    "contacts.Person.consent_newsletter_at",
    "contacts.Person.consent_photos_at",
    "contacts.MergeRecord.dropped_id",
    "contacts.MergeRecord.at",
    "contacts.Consent.given_at",
    "contacts.Consent.withdrawn_at",
    "followups.Action.escalated_on",
    "followups.ReminderLog.day",
    "followups.ServiceCertification.revoked_at",
    "followups.ReminderLog.action_count",
}

NUMBER_KINDS = (models.IntegerField, models.DecimalField, models.FloatField)
DATE_KINDS = (models.DateField,)  # DateTimeField is a DateField
KINDS = (*NUMBER_KINDS, *DATE_KINDS, models.DurationField)


def _models():
    for model in apps.get_models():
        if model._meta.app_label in APPS and not model.__name__.startswith("Historical"):
            yield model


def _enterable_fields():
    for model in _models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, KINDS) or field.primary_key or field.is_relation:
                continue
            if not field.editable or getattr(field, "auto_now", False):
                continue
            if getattr(field, "auto_now_add", False):
                continue
            yield f"{model._meta.label}.{field.name}", field


def _bounds_missing(field) -> str:
    if isinstance(field, DATE_KINDS):
        if not any(isinstance(v, DateRangeValidator) for v in field.validators):
            return "no DateRangeValidator (crm.core.bounds.validate_date_range)"
        return ""
    if isinstance(field, models.IntegerField):
        # field.validators adds the database's own range (2**63 on SQLite): not a bound.
        if not any(isinstance(v, MaxValueValidator) for v in field._validators):
            return "no maximum of its own (crm.core.bounds.in_range)"
        if not any(isinstance(v, MinValueValidator) for v in field.validators):
            return "no minimum"
        return ""
    if isinstance(field, models.DecimalField):
        if not any(isinstance(v, MinValueValidator) for v in field.validators):
            return "no minimum (crm.core.bounds.non_negative)"
        return ""  # max_digits caps it
    return f"{type(field).__name__}: no bound is defined for this kind"


def test_every_number_and_date_a_user_can_enter_is_bounded():
    missing = [
        f"{name}: {problem}"
        for name, field in _enterable_fields()
        if name not in EXEMPT and (problem := _bounds_missing(field))
    ]
    assert not missing, "\n".join(missing)


def test_exempt_fields_exist():
    names = {name for name, _field in _enterable_fields()}
    assert EXEMPT <= names, EXEMPT - names


def test_walk_sees_the_fields_of_forms_and_imports():
    names = {name for name, _field in _enterable_fields()}
    assert {
        "crm.Project.hours_allocated",
        "crm.Project.entry_date",
        "crm.ProjectMeasure.funds_grant",
        "followups.Meeting.start",
        "followups.Meeting.duration_minutes",
        "followups.Action.due_on",
        "contacts.Person.birth_year",
    } <= names


# -- CHECK constraints in memory ---------------------------------------------------------


def _pool(field):
    if field.is_relation:
        return [None, 1] if field.null else [1]
    if field.choices:
        values = ["", *[value for value, _label in field.flatchoices]]
    elif isinstance(field, models.BooleanField):
        values = [True, False]
    elif isinstance(field, models.DateTimeField):
        values = [
            datetime.datetime(2020, 1, 1, 9, tzinfo=datetime.UTC),
            datetime.datetime(2021, 1, 1, 9, tzinfo=datetime.UTC),
        ]
    elif isinstance(field, models.DateField):
        values = [datetime.date(2020, 1, 1), datetime.date(2021, 6, 30)]
    elif isinstance(field, models.DecimalField):
        values = [Decimal("-1"), Decimal("0"), Decimal("1"), Decimal("5.5")]
    elif isinstance(field, models.IntegerField):
        values = [-1, 0, 1, 5, 6, 1899, 2000, 2100, 2101]
    else:
        values = ["", "732829320", "73282932000074", "1"]
    return [None, *values] if field.null else values


def _condition_fields(model, condition) -> list:
    names = set()
    for child in condition.children:
        if isinstance(child, models.Q):
            names |= {f.name for f in _condition_fields(model, child)}
        else:
            lookup, expected = child
            names.add(lookup.split("__")[0])
            if isinstance(expected, models.F):
                names.add(expected.name)
    return [model._meta.get_field(name) for name in sorted(names)]


CONSTRAINTS = [
    (model, constraint) for model in _models() for constraint in check_constraints(model)
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "constraint"), CONSTRAINTS, ids=[c.name for _model, c in CONSTRAINTS]
)
def test_check_constraint_in_memory_agrees_with_the_database(model, constraint):
    """Every CheckConstraint of every model, on combinations of values around its limits:
    the in-memory verdict is the database's (Django's query-based validate())."""
    fields = _condition_fields(model, constraint.condition)
    combinations = list(itertools.product(*[_pool(f) for f in fields]))
    random.Random(constraint.name).shuffle(combinations)
    for values in combinations[:150]:
        instance = model()
        for field, value in zip(fields, values, strict=True):
            setattr(instance, field.attname, value)
        try:
            constraint.validate(model, instance)
        except ValidationError:
            database_refuses = True
        else:
            database_refuses = False
        in_memory_refuses = constraint in violated_constraints(instance)
        assert in_memory_refuses == database_refuses, dict(zip(fields, values, strict=True))
