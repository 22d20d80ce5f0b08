"""The fast path of list exports: rows read as tuples (`values_list`) instead of model
instances, each cell turned into what the table shows by a converter chosen once per column.

Building a model instance per row, and calling `get_FOO_display` for every choice cell
(which hashes the choices and calls gettext each time), took most of an export's time: at
60,000 projects the export ran at a few per cent of PostgreSQL's COPY of the same rows. Here
the choice labels are resolved once per export, in the language active when the rows are
written (the one `get_FOO_display` would have used), and a related record's text (`str()`)
is computed once per distinct record.

A table opts in with `export_from_values = True`; `export_str_fields` may name, per column
ending on a foreign key, the fields of the related model its `__str__` reads (by default every
concrete field is fetched). The output is the same, cell for cell, as the model-instance
path of crm.core.exports (tested on both paths, in both languages); a table whose columns
this module cannot read from values (a `value_<name>` method, a property, a many-to-many)
keeps the model-instance path."""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import DateTimeField, ForeignObjectRel, Model
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

# Rows fetched per round trip (a server-side cursor on PostgreSQL).
CHUNK = 2000


class NotPlannable(Exception):
    """A column the values path cannot read: the export keeps the model-instance path."""


def _field_path(model, accessor: str):
    """The fields along `accessor` (tables2 separates with "__" or "."), or NotPlannable."""
    fields = []
    for name in accessor.replace(".", "__").split("__"):
        if model is None:
            raise NotPlannable(accessor)
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist as error:
            raise NotPlannable(accessor) from error
        if isinstance(field, ForeignObjectRel) or field.many_to_many:
            raise NotPlannable(accessor)
        fields.append(field)
        model = field.related_model if field.is_relation else None
    return fields


def _plain(value):
    """An annotation's value, turned as crm.core.exports.cell_value turns any value."""
    if isinstance(value, list | tuple | set):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


class _Column:
    """How one export column is read: the values it needs and the function of them."""

    def __init__(self, names: list[str], convert):
        self.names = names
        self.convert = convert


def _choices_column(path: str, field) -> _Column:
    labels = {}

    def convert(value):
        # Resolved on the first row, in the language the rows are written in.
        if not labels:
            labels[None] = None
            labels.update(
                (key, force_str(label, strings_only=True)) for key, label in field.flatchoices
            )
        try:
            return labels.get(value, value)
        except TypeError:  # an unhashable value: as get_FOO_display would show it
            return value

    return _Column([path], convert)


def _related_column(path: str, field, str_fields) -> _Column:
    """A foreign key shown as its record's text: the record built from the fields its
    `__str__` reads, once per distinct record."""
    model = field.related_model
    wanted = set(str_fields) if str_fields is not None else None
    concrete = [
        f
        for f in model._meta.concrete_fields
        if wanted is None or f.primary_key or f.name in wanted
    ]
    attnames = [f.attname for f in concrete]
    names = [path if f.primary_key else f"{path}__{f.name}" for f in concrete]
    at = attnames.index(model._meta.pk.attname)
    texts: dict = {}

    def convert(*values):
        pk = values[at]
        if pk is None:
            return None
        text = texts.get(pk)
        if text is None:
            text = texts[pk] = str(model.from_db(None, attnames, list(values)))
        return text

    return _Column(names, convert)


def _datetime(value):
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def _bool(value):
    if value is None:
        return None
    return _("Oui") if value else _("Non")


def _column(table, column, queryset) -> _Column:
    if getattr(table, f"value_{column.name}", None) is not None:
        raise NotPlannable(column.name)
    accessor = str(column.accessor)
    if accessor in queryset.query.annotations:
        return _Column([accessor], _plain)
    fields = _field_path(queryset.model, accessor)
    path, field = "__".join(f.name for f in fields), fields[-1]
    if field.is_relation:
        str_fields = getattr(table, "export_str_fields", {}).get(column.name)
        return _related_column(path, field, str_fields)
    if len(fields) == 1 and field.choices:
        return _choices_column(path, field)
    if isinstance(field, DateTimeField):
        return _Column([path], _datetime)
    if field.get_internal_type() == "BooleanField":
        return _Column([path], _bool)
    if field.get_internal_type() in ("JSONField", "ArrayField"):
        return _Column([path], _plain)
    return _Column([path], None)


def plan(table, queryset, columns) -> list[_Column] | None:
    """The values plan of the export's columns, or None for the model-instance path."""
    if not getattr(table, "export_from_values", False):
        return None
    try:
        return [_column(table, column, queryset) for column in columns]
    except NotPlannable:
        return None


def values_queryset(queryset, planned: list[_Column]):
    """The list's queryset (filters, annotations, order) reading only the plan's values.

    The primary key comes last: under DISTINCT (some filters add it) two records showing
    the same cells stay two rows, as they are two instances on the model path."""
    names = [name for column in planned for name in column.names]
    return queryset.prefetch_related(None).values_list(*names, "pk")


def iter_values(queryset, planned: list[_Column]):
    """The export's data rows, each a list of the values a person reads in its cells."""
    readers = []
    start = 0
    for column in planned:
        width = len(column.names)
        readers.append((start, width, column.convert))
        start += width
    for row in values_queryset(queryset, planned).iterator(chunk_size=CHUNK):
        cells = []
        for index, width, convert in readers:
            if width == 1:
                value = row[index]
                cells.append(convert(value) if convert is not None else value)
            else:
                cells.append(convert(*row[index : index + width]))
        yield cells
