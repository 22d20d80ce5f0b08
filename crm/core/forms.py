"""Form plumbing shared by every app."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def add_service_errors(form, error: ValidationError, aliases: dict | None = None) -> None:
    """Show a service's ValidationError on the form: each message under the field it names
    (through `aliases` when the service and the form name it differently), the rest, and
    errors without a field, above the form. What the user typed stays in the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        name = aliases.get(name, name)
        form.add_error(name if name in form.fields else None, messages)


# --- French numbers -------------------------------------------------------------------------

# What people type between the digits of a French number: spaces (a plain one, the no-break
# space and the narrow no-break space that word processors and browsers put in "6 000"),
# and the unit they may add after it.
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER_UNITS = re.compile(r"(€|eur(os?)?|h(eures?)?)$", re.IGNORECASE)


def parse_french_number(value: str) -> str:
    """ "1 500,00 €" → "1500.00", "12,5" → "12.5", "12.5" → "12.5", "1.500,50" → "1500.50":
    the digits with a point for decimals, for Decimal() to read (or refuse)."""
    text = _NUMBER_SPACES.sub("", str(value).strip())
    text = _NUMBER_UNITS.sub("", text)
    if "," in text and "." in text:
        # The last separator is the decimal one, the other groups thousands.
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "")
    return text.replace(",", ".")


def format_french_number(value, decimal_places: int | None = None) -> str:
    """Decimal("6000.00") → "6 000", Decimal("1500.5") with 2 places → "1 500,50",
    Decimal("12.50") with 1 place → "12,5": no-break spaces between thousands, a comma for
    decimals, and no ",00" on a round amount."""
    number = Decimal(value)
    if number == number.to_integral_value():
        places = 0
    elif decimal_places == 2:
        places = 2
    else:
        places = max(0, -number.normalize().as_tuple().exponent)
    text = f"{number:,.{places}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


class FrenchDecimalField(forms.DecimalField):
    """A money or hours field that reads what French users type ("6 000", "1 500,00 €",
    "12,5", "12.5") and shows the value back the same way ("6 000", "12,5").

    A text input, not a number input: a browser's number input refuses the comma and the
    spaces. Every form's amounts and hours use it (ModelForms through `french_formfield`)."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "decimal"
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            value = parse_french_number(value)
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            try:
                return format_french_number(value, self.decimal_places)
            except InvalidOperation:
                return value
        return value


def french_formfield(db_field, **kwargs):
    """A ModelForm's `Meta.formfield_callback`: its decimal fields become FrenchDecimalField."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", FrenchDecimalField)
    return db_field.formfield(**kwargs)


# --- Unique clashes as sentences ------------------------------------------------------------


def _unique_checks(model):
    """(fields, condition, case_insensitive, constraint) of each uniqueness rule of `model`
    a form can clash with: unique fields (constraint None) and UniqueConstraints on fields
    or on Lower(field)."""
    from django.db.models.functions import Lower

    for field in model._meta.local_fields:
        if field.unique and not field.primary_key:
            yield (field.name,), None, False, None
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint):
            continue
        if constraint.fields:
            yield tuple(constraint.fields), constraint.condition, False, constraint
        elif len(constraint.expressions) == 1 and isinstance(constraint.expressions[0], Lower):
            (source,) = constraint.expressions[0].get_source_expressions()
            if isinstance(source, models.F):
                yield (source.name,), constraint.condition, True, constraint


def unique_clashes(instance, exclude=()) -> list[tuple[tuple[str, ...], models.Model, object]]:
    """The (fields, other record, constraint) of each uniqueness rule `instance` would
    break: one query per rule. Rules reading an excluded field are skipped, like Django's
    own validation; a NULL never clashes."""
    from crm.core.constraints import UnsupportedConstraint, evaluate

    model = type(instance)
    clashes = []
    for fields, condition, case_insensitive, constraint in _unique_checks(model):
        if set(fields) & set(exclude):
            continue
        values = {name: getattr(instance, model._meta.get_field(name).attname) for name in fields}
        if any(value is None for value in values.values()):
            continue
        if condition is not None:
            try:
                if evaluate(condition, instance) is not True:
                    continue
            except UnsupportedConstraint:
                continue
        lookup = {
            (f"{name}__iexact" if case_insensitive else model._meta.get_field(name).attname): value
            for name, value in values.items()
        }
        others = model._default_manager.filter(**lookup)
        if condition is not None:
            others = others.filter(condition)
        if instance.pk is not None:
            others = others.exclude(pk=instance.pk)
        other = others.first()
        if other is not None:
            clashes.append((fields, other, constraint))
    return clashes


def clash_sentence(instance, fields, other) -> str:
    """ "SIRET : cette valeur est déjà celle de « Recyclerie du Val » (a link)…" — never the
    database's message; the link opens the other record (its page still checks access)."""
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    labels = ", ".join(str(type(instance)._meta.get_field(name).verbose_name) for name in fields)
    url = getattr(other, "get_absolute_url", None)
    record = format_html('<a href="{}">{}</a>', url(), other) if url else format_html("{}", other)
    return format_html(
        _(
            "{labels} : cette valeur est déjà celle de « {record} ». Ouvrez cette fiche pour "
            "vérifier s'il s'agit du même enregistrement, ou corrigez la valeur."
        ),
        labels=labels[:1].upper() + labels[1:],
        record=record,
    )


class UniqueClashMixin:
    """For a ModelForm: a value another record already holds (a SIRET, an e-mail address,
    a call's year) is refused with a sentence naming that record, with a link to it, under
    the field concerned, in place of what the model's validation said about that clash
    (the constraint's name, "already exists", a model's own message)."""

    def _post_clean(self):
        refused_by_form = set(self._errors or ())
        super()._post_clean()
        # Fields the form refused are not checked; those only the model refused are.
        exclude = refused_by_form | (set(self._get_validation_exclusions()) - set(self._errors))
        for fields, other, constraint in unique_clashes(self.instance, exclude):
            for name in fields:
                self._errors.pop(name, None)
            if constraint is not None and NON_FIELD_ERRORS in self._errors:
                said = str(constraint.get_violation_error_message())
                kept = [e for e in self._errors[NON_FIELD_ERRORS].as_data() if said not in e]
                if kept:
                    self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield")
                else:
                    del self._errors[NON_FIELD_ERRORS]
            field = fields[0] if len(fields) == 1 and fields[0] in self.fields else None
            self.add_error(field, clash_sentence(self.instance, fields, other))
