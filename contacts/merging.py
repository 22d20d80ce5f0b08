"""Move every row that points at a merged record to the record kept.

The relations are read from the model graph at run time (`apps` and `_meta`), so contacts
needs no import of the apps that point at people and organisations (followups, intake), and
a relation added later is moved without anyone remembering to. Each relation is a concrete
foreign key onto the merged model: a reverse foreign key, the through table of a
many-to-many (auto-created or explicit), a one-to-one. Historical tables
(django-simple-history) are left alone: they record what was, dropped record included.

Where the kept record already holds the same row (it attends the same event, sits on the same
project), a unique constraint would break: the dropped record's row is combined into the
kept one (`combine`) and deleted. The default combination fills the kept row's blank fields
and ORs its booleans (a lead on either side stays lead); an app with a better rule registers
it with `register_clash_rule` from its `AppConfig.ready`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from crm.core.concurrency import VersionedModel

# Relations deliberately left on the dropped record, "app.Model.field" -> why. Checked by
# tests/contacts/test_merge_relations.py: a relation must be moved or listed here.
LEFT_ON_DROPPED: dict[str, str] = {
    # The pairs the dropped record was in are over once merged (services delete them).
    "contacts.DuplicatePair.first_person": "a duplicate pair ends with the merge",
    "contacts.DuplicatePair.second_person": "a duplicate pair ends with the merge",
    "contacts.DuplicatePair.first_organisation": "a duplicate pair ends with the merge",
    "contacts.DuplicatePair.second_organisation": "a duplicate pair ends with the merge",
    "contacts.Erasure.person": "an erasure is the record of what happened to the record erased",
    "contacts.EliminationList_people.person": (
        "an elimination list names the records the archives service approved, as drawn up"
    ),
}

# "app.Model" -> combine(kept_row, dropped_row) -> list of changed field names.
_CLASH_RULES: dict[str, Callable] = {}


def register_clash_rule(label: str, combine: Callable) -> None:
    """Let the app owning `label` decide how a dropped row folds into the kept one."""
    _CLASH_RULES[label] = combine


@dataclass(frozen=True)
class Relation:
    """A foreign key `field` of `model` pointing at the merged model."""

    model: type[models.Model]
    field: models.ForeignKey

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def label(self) -> str:
        """The relation in French for the merge preview and record, e.g. "inscriptions"."""
        opts = self.model._meta
        target = self.field.remote_field.model
        if opts.auto_created:
            # The through table of a many-to-many: name it after the field that declares it.
            owner = opts.auto_created._meta
            m2m = next(
                f
                for f in owner.local_many_to_many
                if f.remote_field.through._meta.label == opts.label
            )
            return f"{owner.verbose_name_plural} ({m2m.verbose_name})"
        if self.model is target:
            return str(_("fiches fusionnées auparavant dans celle-ci"))
        links = [f for f in opts.local_fields if f.is_relation and f.remote_field.model is target]
        if len(links) > 1:
            return f"{opts.verbose_name_plural} ({self.field.verbose_name})"
        return str(opts.verbose_name_plural)

    def rows(self, record):
        return self.model._base_manager.filter(**{self.field.name: record})


def _is_historical(model) -> bool:
    return issubclass(model, HistoricalChanges)


def relations(target: type[models.Model]) -> list[Relation]:
    """Every concrete foreign key onto `target` outside historical tables, in a stable
    order (app, model, field)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if _is_historical(model) or model._meta.proxy:
            continue
        for field in model._meta.local_fields:
            if field.is_relation and (field.many_to_one or field.one_to_one):
                if field.remote_field.model is target:
                    found.append(Relation(model, field))
    return sorted(found, key=lambda r: r.key)


def relations_to_move(target: type[models.Model]) -> list[Relation]:
    return [r for r in relations(target) if r.key not in LEFT_ON_DROPPED]


def _unique_keys(relation: Relation) -> list[tuple[tuple[str, ...], Q | None]]:
    """The other columns of each unique rule that includes the relation's field (with the
    rule's condition, if partial): where two rows would clash once both point at one record."""
    model, name = relation.model, relation.field.name
    keys = []
    if relation.field.unique:
        keys.append(((), None))
    for together in model._meta.unique_together:
        if name in together:
            keys.append((tuple(f for f in together if f != name), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            if constraint.fields and name in constraint.fields:
                others = tuple(f for f in constraint.fields if f != name)
                keys.append((others, constraint.condition))
            elif name in _referenced(constraint.expressions):
                # A model declaring one must say how its rows fold (register_clash_rule
                # cannot see the clash), so refuse at once rather than merge half-way.
                raise ImproperlyConfigured(
                    f"{relation.key}: a unique constraint on expressions cannot be merged"
                )
    return keys


def _referenced(expressions) -> set[str]:
    """The field names an index expression reads (Lower("email") reads "email")."""
    return {
        node.name
        for expression in expressions
        for node in expression.flatten()
        if isinstance(node, models.F)
    }


def _attnames(model, names) -> tuple[str, ...]:
    return tuple(model._meta.get_field(n).attname for n in names)


def default_combine(kept, dropped) -> list[str]:
    """Fill the kept row's blank fields from the dropped one; a boolean true on either side
    stays true."""
    changed = []
    for field in kept._meta.concrete_fields:
        if field.primary_key or not field.editable:
            continue
        mine, theirs = getattr(kept, field.attname), getattr(dropped, field.attname)
        if isinstance(field, models.BooleanField):
            if theirs and not mine:
                setattr(kept, field.attname, True)
                changed.append(field.attname)
        elif mine in (None, "") and theirs not in (None, ""):
            setattr(kept, field.attname, theirs)
            changed.append(field.attname)
    return changed


def _tracked(model) -> bool:
    """Rows whose changes are in a history or guarded by a version are saved one by one."""
    return issubclass(model, VersionedModel) or hasattr(model, "history")


def _save(row, fields: list[str], by, reason: str) -> None:
    model = type(row)
    if _tracked(model):
        if isinstance(row, VersionedModel):
            # The version changes so that anybody editing the row meanwhile is warned.
            row.version += 1
            fields = [*fields, "version"]
        row._history_user = by
        row._change_reason = reason
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            fields = [*fields, "updated_at"]
    row.save(update_fields=fields)


def move_relation(relation: Relation, *, keep, drop, by, reason: str) -> int:
    """Point every row of `relation` at `keep`; a row `keep` already has (same unique key)
    is combined into `keep`'s and deleted. Returns the number of the dropped record's rows."""
    model, field = relation.model, relation.field
    keys = _unique_keys(relation)
    rows = list(relation.rows(drop).select_for_update().order_by("pk"))
    if not rows:
        return 0
    if not keys and not _tracked(model):
        return relation.rows(drop).update(**{field.name: keep})

    # The kept record's rows by each unique key, to find clashes in memory.
    kept_by_key: list[dict] = []
    for others, condition in keys:
        kept_rows = relation.rows(keep).select_for_update()
        if condition is not None:
            kept_rows = kept_rows.filter(condition)
        attnames = _attnames(model, others)
        kept_by_key.append({tuple(getattr(r, a) for a in attnames): r for r in kept_rows})
    in_condition = [
        set(relation.rows(drop).filter(condition).values_list("pk", flat=True))
        if condition is not None
        else None
        for _others, condition in keys
    ]

    combine = _CLASH_RULES.get(model._meta.label, default_combine)
    for row in rows:
        clash = None
        for (others, _unused), kept_rows, eligible in zip(
            keys, kept_by_key, in_condition, strict=True
        ):
            if eligible is not None and row.pk not in eligible:
                continue
            clash = kept_rows.get(tuple(getattr(row, a) for a in _attnames(model, others)))
            if clash is not None:
                break
        if clash is None:
            setattr(row, field.name, keep)
            _save(row, [field.name], by, reason)
            for (others, _unused), kept_rows in zip(keys, kept_by_key, strict=True):
                kept_rows[tuple(getattr(row, a) for a in _attnames(model, others))] = row
        else:
            changed = combine(clash, row)
            row.delete()
            if changed:
                _save(clash, changed, by, reason)
    return len(rows)


def count_rows(target, record) -> list[dict]:
    """The rows of each relation pointing at `record` (one count query per relation)."""
    counted = []
    for relation in relations_to_move(target):
        count = relation.rows(record).count()
        if count:
            counted.append({"key": relation.key, "label": relation.label, "count": count})
    return counted


def move_all(target, *, keep, drop, by, reason: str) -> list[dict]:
    """Move every relation of `target` from `drop` to `keep`; what moved, per relation."""
    moved = []
    for relation in relations_to_move(target):
        count = move_relation(relation, keep=keep, drop=drop, by=by, reason=reason)
        if count:
            moved.append({"key": relation.key, "label": str(relation.label), "count": count})
    return moved
