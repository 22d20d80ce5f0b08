"""What the preview shows of the records themselves: the first rows as they will be stored,
and for each update (up to a limit) the fields it changes, before and after.

The resources call `Samples.add` as they queue a row's record; nothing here queries the
database except, once per preview, the names of the related records shown (communes,
projects, users), in one query per related model."""

import datetime
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

# New rows shown as they will be stored; updates shown with their changes.
NEW_SHOWN = 10
UPDATES_SHOWN = 50
# Bookkeeping columns an officer does not type.
HIDDEN = {
    "name_key",
    "email_key",
    "sound_key",
    "address_key",
    "consent_newsletter_at",
    "consent_photos_at",
    "version",
    "updated_at",
}


def _text(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime.datetime):
        return date_format(value, "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


class Samples:
    """The records a run will write, as the preview shows them."""

    def __init__(self):
        self.items: list[dict] = []
        self.new = self.updates = 0
        self.related: dict = {}  # (model, pk) to look up -> its text, filled by `resolve`

    def wanted(self, is_create: bool) -> bool:
        return self.new < NEW_SHOWN if is_create else self.updates < UPDATES_SHOWN

    def add(self, line, record, fields, before: dict | None, *, is_create: bool, part=""):
        """Queue `record`'s `fields` (attribute names) for the preview of row `line`:
        every filled value of a new record, the changed ones of an updated record."""
        if not self.wanted(is_create):
            return
        rows = []
        model = type(record)
        for name in fields:
            if name in HIDDEN:
                continue
            after = getattr(record, name)
            old = None if before is None else before.get(name)
            if is_create and after in (None, ""):
                continue
            if not is_create and (before is None or old == after):
                continue
            field = model._meta.get_field(name.removesuffix("_id"))
            rows.append(
                [str(field.verbose_name), self._shown(field, old), self._shown(field, after)]
            )
        if not rows and not is_create:
            return
        self.items.append(
            {"line": line, "action": "new" if is_create else "update", "part": part, "fields": rows}
        )

    def add_done(self, is_create: bool) -> None:
        """Count one row's sample (a projects row adds its project, lead, organisation)."""
        if is_create:
            self.new += 1
        else:
            self.updates += 1

    def _shown(self, field, value):
        if value in (None, ""):
            return ""
        if field.is_relation:
            key = (field.related_model, value)
            self.related.setdefault(key, None)
            return {"related": [field.related_model._meta.label, value]}
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return _text(value)

    def resolve(self) -> list[dict]:
        """The samples with related records named (one query per related model)."""
        by_model: dict = {}
        for model, pk in self.related:
            by_model.setdefault(model, set()).add(pk)
        names = {}
        for model, pks in by_model.items():
            for record in model._default_manager.filter(pk__in=pks):
                names[(model._meta.label, record.pk)] = str(record)
        for item in self.items:
            for row in item["fields"]:
                for index in (1, 2):
                    if isinstance(row[index], dict):
                        label, pk = row[index]["related"]
                        row[index] = names.get((label, pk), "")
        return self.items


class RowWarnings:
    """What the preview points out on a row without refusing it (a SIRET known under another
    name, a probable duplicate): `warn(key, message)` from a resource's row code, collected
    by the runner as (line, column key, message)."""

    def warn(self, key: str, message: str) -> None:
        self.__dict__.setdefault("warnings", []).append(
            (self.row_context["line"], key, str(message))
        )
