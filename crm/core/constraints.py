"""A model's CheckConstraints evaluated in memory, for the bulk writes.

`Model.full_clean()` checks each CheckConstraint with one query; an import writing 500 rows
per chunk cannot afford 500 × N queries, yet a row breaking a constraint must be refused
in the preview like any other bad cell, not abort the whole import with the database's
message. `violated_constraints(instance)` evaluates the same conditions in Python with the
database's three-valued logic (a comparison with NULL is unknown, and a CHECK fails only
when its condition is false). Lookups it does not know raise `UnsupportedConstraint`; a
test walks every model's constraints, so a new one cannot slip past it.
"""

import operator

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import CheckConstraint, F, Q

COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class UnsupportedConstraint(Exception):
    """The condition uses a lookup or an expression this module does not evaluate."""


def _value(instance, name):
    field = instance._meta.get_field(name)
    return getattr(instance, field.attname)


def _leaf(instance, lookup: str, expected):
    name, _sep, kind = lookup.partition("__")
    kind = kind or "exact"
    if "__" in kind:
        raise UnsupportedConstraint(lookup)
    value = _value(instance, name)
    if isinstance(expected, F):
        expected = _value(instance, expected.name)
    elif hasattr(expected, "resolve_expression"):
        raise UnsupportedConstraint(lookup)
    if kind == "isnull":
        return (value is None) == bool(expected)
    if kind == "range":
        low, high = expected
        if value is None:
            return None
        return low <= value <= high
    if kind == "startswith":
        if value is None or expected is None:
            return None
        return str(value).startswith(str(expected))
    if kind == "in":
        return None if value is None else value in expected
    compare = COMPARISONS.get(kind)
    if compare is None:
        raise UnsupportedConstraint(lookup)
    if value is None or expected is None:
        return None
    return compare(value, expected)


def evaluate(condition: Q, instance):
    """True, False or None (unknown), as SQL would evaluate `condition` on `instance`."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(evaluate(child, instance))
        else:
            results.append(_leaf(instance, *child))
    if condition.connector == Q.AND:
        result = False if False in results else None if None in results else True
    else:
        result = True if True in results else None if None in results else False
    if condition.negated:
        result = None if result is None else not result
    return result


def check_constraints(model) -> list:
    return [c for c in model._meta.constraints if isinstance(c, CheckConstraint)]


def violated_constraints(instance, exclude=()) -> list:
    """The model's CheckConstraints whose condition is false for `instance`, skipping those
    that read a field in `exclude` (a field already refused for its own reason)."""
    violated = []
    for constraint in check_constraints(type(instance)):
        fields = _fields(constraint.condition)
        if fields & set(exclude):
            continue
        if evaluate(constraint.condition, instance) is False:
            violated.append(constraint)
    return violated


def _fields(condition: Q) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _fields(child)
        else:
            lookup, expected = child
            names.add(lookup.split("__")[0])
            if isinstance(expected, F):
                names.add(expected.name)
    return names


def constraint_errors(instance, exclude=()) -> None:
    """Raise ValidationError (non-field, the constraint's message) for each CheckConstraint
    `instance` breaks, as `full_clean()` would, without a query."""
    violated = violated_constraints(instance, exclude=exclude)
    if violated:
        raise ValidationError(
            {NON_FIELD_ERRORS: [c.get_violation_error_message() for c in violated]}
        )
