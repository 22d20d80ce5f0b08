"""Undo a confirmed import, within IMPORT_UNDO_DAYS: the records it created are removed and
the records it updated get their previous values back, unless someone changed them since
(those are listed and left as they are). Both are recorded in the records' history.

The import keeps a journal of what it wrote (`Journal`, stored on the batch as `undo`):
the records it created, by model, and for each record it updated the fields it changed,
with their values before and after.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from crm.core import permissions
from crm.models import ImportBatch, ImportStatus


def _json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class Journal:
    """What a confirmed import wrote, in a form the batch can store (JSON)."""

    def __init__(self):
        self.created: dict[str, list] = {}
        self.updated: dict[str, dict] = {}  # label -> {pk: {attname: [before, after]}}

    def add_created(self, model, records) -> None:
        pks = [record.pk for record in records if record.pk is not None]
        if pks:
            self.created.setdefault(model._meta.label, []).extend(pks)

    def add_updated(self, record, before: dict) -> None:
        """`before`: {attname: value} as stored before the import, of the fields it changed
        (a record updated twice by one import keeps its first "before")."""
        model = type(record)
        if record.pk in self.created.get(model._meta.label, ()):
            return  # created by this import: removing it undoes every change
        changes = self.updated.setdefault(model._meta.label, {}).setdefault(str(record.pk), {})
        for attname, value in before.items():
            after = getattr(record, attname)
            if attname in changes:
                changes[attname][1] = _json(after)
            elif value != after:
                changes[attname] = [_json(value), _json(after)]

    def to_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated}


@dataclass
class UndoReport:
    removed: int = 0
    restored: int = 0
    kept: list[str] = field(default_factory=list)  # records changed since, left as they are


def undo_deadline(batch: ImportBatch):
    return batch.done_at + timedelta(days=settings.IMPORT_UNDO_DAYS) if batch.done_at else None


def can_undo(batch: ImportBatch) -> bool:
    deadline = undo_deadline(batch)
    return (
        batch.status == ImportStatus.DONE
        and bool(batch.undo)
        and deadline is not None
        and timezone.now() <= deadline
    )


def _changed_since(model, pks, since) -> set:
    """The records of `pks` with a history line after `since` (someone saved them)."""
    if not hasattr(model, "history") or not pks:
        return set()
    return set(
        model.history.filter(id__in=pks, history_date__gt=since).values_list("id", flat=True)
    )


def _label(record) -> str:
    return f"{record._meta.verbose_name} « {record} »"


def _protects_created(label: str, created_labels) -> bool:
    """Whether `label` holds a protecting key to another model the import created."""
    model = apps.get_model(label)
    return any(
        f.is_relation
        and f.remote_field.on_delete is models.PROTECT
        and f.related_model._meta.label in created_labels
        and f.related_model is not model
        for f in model._meta.concrete_fields
    )


def _remove_created(created: dict, since, by, reason: str, report: UndoReport) -> None:
    """Delete what the import created, unless deleting it would take along something the
    import did not create (a meeting added since) or someone saved it since. Records that
    protect others (an award protects its project) go first, in a pass of their own."""
    first = {label: pks for label, pks in created.items() if _protects_created(label, created)}
    if first and len(first) < len(created):
        _remove_created(first, since, by, reason, report)
        removed = report.removed
        rest = {label: pks for label, pks in created.items() if label not in first}
        _remove_created(rest, since, by, reason, report)
        report.removed += removed
        return
    ours = {(label, pk) for label, pks in created.items() for pk in pks}
    roots = []
    for label, pks in created.items():
        model = apps.get_model(label)
        changed = _changed_since(model, pks, since)
        for record in model._default_manager.filter(pk__in=pks).order_by("pk"):
            if record.pk in changed:
                report.kept.append(_label(record))
            else:
                roots.append(record)
    using = router.db_for_write(ImportBatch)
    removable = []
    for record in roots:
        collector = Collector(using=using)
        collector.collect([record])
        others = [
            obj
            for model, objs in collector.data.items()
            for obj in objs
            if (model._meta.label, obj.pk) not in ours
        ]
        if others:
            report.kept.append(_label(record))
        else:
            removable.append(record)
    if removable:
        for record in removable:  # the deletion's history line says who and why
            record._history_user, record._change_reason = by, reason
        collector = Collector(using=using)
        by_model: dict = {}
        for record in removable:
            by_model.setdefault(type(record), []).append(record)
        for records in by_model.values():  # one model at a time, as Collector wants
            collector.collect(records)
        collector.delete()
        report.removed = len(removable)


def _restore_updated(updated: dict, since, by, reason: str, report: UndoReport) -> None:
    for label, changes in updated.items():
        model = apps.get_model(label)
        pks = [int(pk) for pk in changes]
        changed = _changed_since(model, pks, since)
        restored = []
        fields = set()
        for record in model._default_manager.filter(pk__in=pks).order_by("pk"):
            values = changes[str(record.pk)]
            by_attname = {f.attname: f for f in model._meta.concrete_fields}
            current = {a: _json(getattr(record, a)) for a in values}
            if record.pk in changed or any(
                current[a] != after for a, (_b, after) in values.items()
            ):
                report.kept.append(_label(record))
                continue
            for attname, (before, _after) in values.items():
                setattr(record, attname, by_attname[attname].to_python(before))
                fields.add(attname)
            if "version" in by_attname:
                record.version += 1
                fields.add("version")
            restored.append(record)
        if not restored:
            continue
        names = [model._meta.get_field(a.removesuffix("_id")).name for a in fields]
        if hasattr(model, "history"):
            bulk_update_with_history(
                restored, model, names, default_user=by, default_change_reason=reason
            )
        else:
            model._default_manager.bulk_update(restored, names)
        report.restored += len(restored)


def undo_import(batch: ImportBatch, by) -> UndoReport:
    """Undo `batch` (see the module's docstring). PermissionDenied past the deadline or
    for a batch that wrote nothing that can be undone."""
    if not permissions.can_import(by):
        raise PermissionDenied(_("Seul·es les chargé·es de mission importent des fichiers."))
    if not can_undo(batch):
        raise PermissionDenied(_("Cet import ne peut plus être annulé."))
    report = UndoReport()
    reason = _("Annulation de l'import « %(name)s »") % {"name": batch.original_name}
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not can_undo(locked):
            raise PermissionDenied(_("Cet import ne peut plus être annulé."))
        since = locked.done_at
        _remove_created(locked.undo.get("created", {}), since, by, reason, report)
        _restore_updated(locked.undo.get("updated", {}), since, by, reason, report)
        locked.status = ImportStatus.UNDONE
        locked.undone_at = timezone.now()
        locked.undone_by = by
        locked.result = {
            **locked.result,
            "undo": {"removed": report.removed, "restored": report.restored, "kept": report.kept},
        }
        locked.save(update_fields=["status", "undone_at", "undone_by", "result"])
    batch.refresh_from_db()
    return report
