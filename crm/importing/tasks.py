"""The preview and the confirmed import of an uploaded batch, as background tasks.

With `TASKS_BACKEND=database` a large file is queued and `manage.py db_worker` runs it
while the page shows its progress; with the default immediate backend (development,
tests, `make run`) and for small files, the same function runs inside the request.

Progress is written once per chunk. A confirmed import writes in one transaction, which
other connections cannot see into: on PostgreSQL the counters are then written through a
second connection (autocommit), so the page sees them move; SQLite allows one writer at a
time, so there the counters are written only outside the transaction (a preview of a bulk
kind, and the end of the import).
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from crm.importing import fixes
from crm.importing.reading import map_headers, read_upload
from crm.importing.runner import ImportAborted, kinds, run_import
from crm.models import ImportBatch, ImportColumnMapping, ImportStatus, User
from crm.security.audit import log_access_event

logger = logging.getLogger(__name__)


class ProgressReporter:
    """Writes `processed`/`total` on the batch, where other connections can read them."""

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.side = None

    def __call__(self, processed: int, total: int) -> None:
        self.batch.processed, self.batch.total = processed, total
        if not connection.in_atomic_block:
            ImportBatch.objects.filter(pk=self.batch.pk).update(processed=processed, total=total)
        elif connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection("default")
            with self.side.cursor() as cursor:
                cursor.execute(
                    "UPDATE crm_importbatch SET processed = %s, total = %s WHERE id = %s",
                    [processed, total, self.batch.pk],
                )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def saved_mapping(batch: ImportBatch) -> dict:
    saved = dict(
        ImportColumnMapping.objects.filter(kind=batch.kind).values_list("header", "target")
    )
    saved.update(batch.mapping)
    return saved


def batch_mapping(batch: ImportBatch, table) -> dict[str, str]:
    """The file's headers and the fields they were matched to, as the import reads them."""
    mapping, _unknown = map_headers(
        table.headers, kinds()[batch.kind]["headers"], saved_mapping(batch)
    )
    return mapping


def remembered_rules(batch: ImportBatch, table) -> dict[str, str]:
    return fixes.remembered(batch.kind, batch_mapping(batch, table))


def batch_table(batch: ImportBatch):
    with batch.file.open("rb") as handle:
        return read_upload(batch.original_name, handle.read())


def process_batch(batch_id: int, user_id: int, *, confirm: bool, update_lines=()) -> None:
    """Preview (confirm=False) or import (confirm=True) a batch, recording the outcome on
    it: counts and refusals, or the reason it failed (nothing written then)."""
    batch = ImportBatch.objects.get(pk=batch_id)
    expected = ImportStatus.IMPORTING if confirm else ImportStatus.PREVIEWING
    if batch.status != expected:
        return  # cancelled meanwhile, or run twice by the queue
    by = User.objects.get(pk=user_id)
    reporter = ProgressReporter(batch)
    # The run this task stands for: a retry or a cancel meanwhile makes its result moot.
    claim = {"pk": batch.pk, "status": expected, "started_at": batch.started_at}
    try:
        table = batch_table(batch)
        if not confirm and "rules" not in batch.fixes:
            # The first preview starts from the decisions taken on the last file with the
            # same columns; the import then applies exactly what the preview showed.
            batch.fixes = {**batch.fixes, "rules": remembered_rules(batch, table)}
            ImportBatch.objects.filter(pk=batch.pk).update(fixes=batch.fixes)
        report = run_import(
            kind=batch.kind,
            table=table,
            by=by,
            dry_run=not confirm,
            # A review-mode preview counts every matching row as an update to choose from.
            mode=batch.mode if confirm or batch.mode != "review" else "update",
            update_lines=update_lines,
            saved_mapping=saved_mapping(batch),
            fixes=batch.fixes,
            progress=reporter,
            # A preview that would hold the worker (or the request) for ever stops.
            time_limit=None if confirm else settings.IMPORT_PREVIEW_TIMEOUT_SECONDS,
        )
    except Exception as error:  # recorded on the batch for the officer, and logged
        if isinstance(error, ValidationError):  # the file itself: past a limit, unreadable
            message = " ".join(error.messages)
        else:
            logger.exception("import batch %s failed", batch_id)
            message = str(error) if isinstance(error, ImportAborted) else error.__class__.__name__
        failure = _("L'import s'est arrêté (%(error)s) : rien n'a été enregistré.") % {
            "error": message
        }
        ImportBatch.objects.filter(**claim).update(status=ImportStatus.FAILED, failure=failure)
        return
    finally:
        reporter.close()
    if confirm:
        log_access_event(
            kind="import",
            user=by,
            detail=f"{batch.original_name}: {report.new} new, {report.updated} updated, "
            f"{report.refused} refused",
        )
        ImportBatch.objects.filter(**claim).update(
            result=report.to_dict(),
            undo=report.journal,
            status=ImportStatus.DONE,
            done_at=timezone.now(),
            processed=report.total,
            total=report.total,
        )
    else:
        ImportBatch.objects.filter(**claim).update(
            preview=report.to_dict(),
            status=ImportStatus.PREVIEWED,
            processed=report.total,
            total=report.total,
        )


@task()
def preview_batch(batch_id: int, user_id: int) -> None:
    process_batch(batch_id, user_id, confirm=False)


@task()
def confirm_batch(batch_id: int, user_id: int, update_lines: list[int]) -> None:
    process_batch(batch_id, user_id, confirm=True, update_lines=update_lines)


def start(batch: ImportBatch, user, *, confirm: bool, update_lines=()) -> None:
    """Run the preview or the import now if the file is small or no worker is configured,
    else queue it for the worker. The batch must already be PREVIEWING or IMPORTING."""
    inline = settings.TASKS_BACKEND == "immediate" or batch.total <= settings.IMPORT_INLINE_MAX_ROWS
    if inline:
        process_batch(batch.pk, user.pk, confirm=confirm, update_lines=update_lines)
    elif confirm:
        lines = list(update_lines)
        transaction.on_commit(lambda: confirm_batch.enqueue(batch.pk, user.pk, lines))
    else:
        transaction.on_commit(lambda: preview_batch.enqueue(batch.pk, user.pk))
