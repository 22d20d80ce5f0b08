"""Chunked bulk writes for the import kinds that write one record per row (people,
organisations, meetings). The projects kind (projects.ProjectRowResource) writes several
records per row and queues them for its own per-chunk bulk write (project_writer.py).

The runner hands the resource the file in chunks of CHUNK_SIZE rows. For each chunk the
resource looks up every natural key of the chunk in a few queries (`prefetch`), then
django-import-export runs the rows against those dictionaries (no query per row) and
writes the accepted ones with one bulk_create and one bulk_update per chunk, through
django-simple-history so that each record still gets its history line.

A preview (dry run) runs the same reading, matching and validation but writes nothing, so
it needs no transaction and its progress is visible at once. Rows that repeat a natural
key already accepted earlier in the same file are refused with the first line's number:
two lines cannot both create the same person.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import resources
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from crm.core.constraints import constraint_errors
from crm.importing.preview import RowWarnings, Samples
from crm.importing.undo import Journal

CHUNK_SIZE = 500


class BulkRowResource(RowWarnings, resources.ModelResource):
    """Base of the one-record-per-row kinds. Subclasses implement:

    - `prefetch(rows)`: load the existing records the chunk's rows may match;
    - `read_row(row, fail)`: parse the row into `self.row_context` (calling `fail(key,
      message)` for each bad cell);
    - `find(row)`: the existing record for the row, from the prefetched dictionaries;
    - `natural_key(instance)`: what makes two rows the same record;
    - `fill(instance, row)`: copy the parsed values onto the instance.
    """

    # Fields compared to decide "unchanged" and written by bulk_update.
    compared_fields: tuple[str, ...] = ()
    # Model field -> the file's column key, where they differ, so a field's error is filed
    # under the column the officer typed it in.
    field_keys: dict[str, str] = {}

    def __init__(self, *, by, mode="update", update_lines=None):
        super().__init__()
        self.by = by
        self.mode = mode  # "update", "keep", or "review" (update only `update_lines`)
        self.update_lines = set(update_lines or ())
        self.dry_run = True
        # Natural key -> line of the row that first claimed it in this file.
        self.claimed: dict = {}
        self.snapshots: dict = {}
        self.samples = Samples()
        self.journal = Journal()

    # -- per chunk ---------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        rows = [dict(zip(dataset.headers, values, strict=False)) for values in dataset]
        self.prefetch(rows)

    def remember(self, instance) -> None:
        """Keep the stored values of a prefetched record, to tell "unchanged" later."""
        self.snapshots[(type(instance), instance.pk)] = {
            f: getattr(instance, f) for f in self.compared_fields
        }

    # -- per row -----------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        errors: dict[str, list[str]] = {}
        self.row_context = {"errors": errors, "line": row.get("__line__")}

        def fail(key, message):
            errors.setdefault(key, []).append(str(message))

        self.read_row(row, fail)

    def parsed(self, row, key, parser):
        try:
            return parser(row.get(key))
        except ValidationError as error:
            self.row_context["errors"].setdefault(key, []).append(error.messages[0])
            return None

    def get_instance(self, instance_loader, row):
        return self.find(row)

    def import_instance(self, instance, row, **kwargs):
        # The values were parsed once, by read_row, with the French parsers of values.py.
        self.fill(instance, row)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        for key, messages in self.row_context["errors"].items():
            errors.setdefault(key, []).extend(messages)
        try:
            # Field validation only: uniqueness is the natural keys' job (no query per row),
            # and the database constraints stay the last guard.
            instance.clean_fields(exclude=self.clean_exclude(errors))
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                errors.setdefault(self.field_keys.get(field_name, field_name), []).extend(messages)
        try:
            # The database's CHECKs, in memory (full_clean would ask with a query per row):
            # a row breaking one is refused in the preview, it never aborts the import.
            constraint_errors(instance, exclude=self.clean_exclude(errors))
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                errors.setdefault(field_name, []).extend(messages)
        key = self.natural_key(instance)
        if not errors and key is not None and key in self.claimed:
            errors.setdefault("__all__", []).append(
                _("même fiche que la ligne %(line)s du fichier : ligne ignorée")
                % {"line": self.claimed[key]}
            )
        if errors:
            raise ValidationError(errors)

    def clean_exclude(self, errors) -> list[str]:
        # Related records come from the prefetched dictionaries, so they exist: checking
        # each foreign key again would cost one query per row.
        relations = [f.name for f in self._meta.model._meta.concrete_fields if f.is_relation]
        refused = [name for name, key in self.field_keys.items() if key in errors]
        return [*errors, *refused, *relations]

    def changed(self, instance) -> bool:
        before = self.snapshots.get((type(instance), instance.pk))
        if before is None:
            return True
        return any(getattr(instance, f) != value for f, value in before.items())

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self.row_context["errors"] or instance.pk is None:
            return False
        key = self.natural_key(instance)
        if key in self.claimed:
            return False  # a repeated line: validate_instance refuses it
        if self.mode == "keep":
            skip = True
        elif self.mode == "review" and self.row_context["line"] not in self.update_lines:
            skip = True
        else:
            skip = not self.changed(instance) and not self.row_context.get("extra_changes")
        if skip and key is not None:
            self.claimed[key] = self.row_context["line"]
        return skip

    def save_instance(self, instance, is_create, row, **kwargs):
        key = self.natural_key(instance)
        if key is not None:
            self.claimed[key] = self.row_context["line"]
        if self.samples.wanted(is_create):
            before = self.snapshots.get((type(instance), instance.pk))
            line = self.row_context["line"]
            self.samples.add(line, instance, self.compared_fields, before, is_create=is_create)
            self.samples.add_done(is_create)
        if not is_create:
            instance.version = getattr(instance, "version", 0) + 1
            instance.updated_at = timezone.now()
        super().save_instance(instance, is_create, row, **kwargs)
        self.after_row_saved(instance, is_create)

    def after_row_saved(self, instance, is_create) -> None:
        """Hook: queue what goes with the row (a meeting's note) for the chunk's write."""

    def save_m2m(self, instance, row, **kwargs):
        pass

    # -- the chunk's writes ------------------------------------------------------------

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        try:
            if self.create_instances and not self.dry_run:
                bulk_create_with_history(
                    self.create_instances,
                    self._meta.model,
                    batch_size=batch_size,
                    default_user=self.by,
                    default_change_reason=_("Import de fichier"),
                )
                self.journal.add_created(self._meta.model, self.create_instances)
                self.after_bulk_write()
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        try:
            if self.update_instances and not self.dry_run:
                fields = [*self.compared_fields, "version", "updated_at"]
                for instance in self.update_instances:
                    before = self.snapshots.get((type(instance), instance.pk), {})
                    self.journal.add_updated(instance, before)
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    fields,
                    batch_size=batch_size,
                    default_user=self.by,
                    default_change_reason=_("Import de fichier"),
                )
                self.after_bulk_write()
        finally:
            self.update_instances.clear()

    def after_bulk_write(self) -> None:
        """Hook: write what depends on the records just written (their new ids)."""
