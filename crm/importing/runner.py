"""One import, shared by the page and `manage.py import_data`: read, map, preview or write.

The dry run and the real run are the same code; the real run writes the accepted rows in
one transaction and hands back the refused rows, with their line number, column and a
French message, as a file to correct and import again."""

import csv
import io
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.core.spreadsheets import neutralise
from crm.importing.fixes import Proposal, apply, propose
from crm.importing.reading import ERRORS_COLUMN, Table, map_headers
from crm.importing.resources.bulk import CHUNK_SIZE, BulkRowResource

KINDS = {}


def register(kind: str, *, label, headers: dict, fields: dict, resource, row_label=()):
    KINDS[str(kind)] = {
        "label": label,
        "headers": headers,
        "fields": fields,
        "resource": resource,
        # The columns that name a row in the review list ("Ligne 12 : Léa Martin").
        "row_label": row_label,
    }


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    errors: list[RowError] = field(default_factory=list)
    refused_lines: list[int] = field(default_factory=list)
    conflicts: list[int] = field(default_factory=list)  # lines that would update a record
    # What the preview points out without refusing the row (a SIRET known under another
    # name, a probable duplicate of a stored person).
    warnings: list[RowError] = field(default_factory=list)
    # The corrections offered (fixes.Proposal), with the decision taken on each.
    proposals: list = field(default_factory=list)
    # The first records as they will be stored, and updates before/after (preview.py).
    samples: list = field(default_factory=list)
    journal: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged + self.refused

    def to_dict(self) -> dict:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": self.refused,
            "errors": [[e.line, e.column, e.message] for e in self.errors],
            "refused_lines": self.refused_lines,
            "conflicts": self.conflicts,
            "warnings": [[w.line, w.column, w.message] for w in self.warnings],
            "proposals": [[*p.to_list(), p.decision, p.decided_by_rule] for p in self.proposals],
            "samples": self.samples,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        return cls(
            new=data.get("new", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            refused=data.get("refused", 0),
            errors=[RowError(*e) for e in data.get("errors", [])],
            refused_lines=data.get("refused_lines", []),
            conflicts=data.get("conflicts", []),
            warnings=[RowError(*w) for w in data.get("warnings", [])],
            proposals=[Proposal(*p) for p in data.get("proposals", [])],
            samples=data.get("samples", []),
        )


class ImportAborted(Exception):
    """A write failed for a reason no row check foresaw: the whole import was rolled back."""


def _ensure_registered():
    if not KINDS:
        from crm.importing.resources.contacts import (
            ORGANISATION_FIELDS,
            ORGANISATION_HEADERS,
            PEOPLE_FIELDS,
            PEOPLE_HEADERS,
            OrganisationResource,
            PersonResource,
        )
        from crm.importing.resources.meetings import (
            MEETING_FIELDS,
            MEETING_HEADERS,
            MeetingResource,
        )
        from crm.importing.resources.project_columns import PROJECT_FIELDS, PROJECT_HEADERS
        from crm.importing.resources.projects import ProjectRowResource
        from crm.models import ImportKind

        register(
            ImportKind.PROJECTS,
            label=ImportKind.PROJECTS.label,
            headers=PROJECT_HEADERS,
            fields=PROJECT_FIELDS,
            resource=ProjectRowResource,
            row_label=("project_name",),
        )
        register(
            ImportKind.PEOPLE,
            label=ImportKind.PEOPLE.label,
            headers=PEOPLE_HEADERS,
            fields=PEOPLE_FIELDS,
            resource=PersonResource,
            row_label=("first_name", "last_name", "email"),
        )
        register(
            ImportKind.ORGANISATIONS,
            label=ImportKind.ORGANISATIONS.label,
            headers=ORGANISATION_HEADERS,
            fields=ORGANISATION_FIELDS,
            resource=OrganisationResource,
            row_label=("name", "siret"),
        )
        register(
            ImportKind.MEETINGS,
            label=ImportKind.MEETINGS.label,
            headers=MEETING_HEADERS,
            fields=MEETING_FIELDS,
            resource=MeetingResource,
            row_label=("project_name", "project_id", "date", "time"),
        )


def kinds() -> dict:
    _ensure_registered()
    return KINDS


def build_dataset(table: Table, mapping: dict[str, str], rows=None) -> tablib.Dataset:
    keys = list(dict.fromkeys(mapping.values()))
    dataset = tablib.Dataset(headers=["__line__", *keys])
    for line, values in table.rows if rows is None else rows:
        row = dict.fromkeys(keys, "")
        for header, key in mapping.items():
            value = values.get(header, "")
            if value not in ("", None) or not row[key]:
                row[key] = value if value is not None else ""
        dataset.append([line, *[row[k] for k in keys]])
    return dataset


def check_may_import(by) -> None:
    """Only officers import (the command may run without a user: it is the server's
    operator). Imports write every project's records, internal notes included."""
    if by is not None and not permissions.can_import(by):
        raise PermissionDenied(_("Seul·es les chargé·es de mission importent des fichiers."))


def run_import(
    *,
    kind: str,
    table: Table,
    by,
    dry_run: bool,
    mode: str = "update",
    update_lines=None,
    saved_mapping: dict | None = None,
    fixes: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int = CHUNK_SIZE,
    time_limit: float | None = None,
) -> ImportReport:
    """Read, match and validate every row; write the accepted ones unless `dry_run`.

    The file goes through in chunks of `chunk_size` rows: each chunk looks up its natural
    keys in a few queries and writes in bulk (people, organisations, meetings), and
    `progress(processed, total)` is called after each chunk. A confirmed import writes
    all its chunks in one transaction: either every accepted row is written, or (if a
    write fails unexpectedly, ImportAborted) none is. Past `time_limit` seconds, checked
    between chunks, the run stops with ImportAborted (nothing written either).

    The corrections `fixes` accepts ({"rows": …, "rules": …}, see fixes.py) are put in
    their cells first; every correction offered is listed in the report."""
    check_may_import(by)
    config = kinds()[kind]
    if kind == "meetings" and by is None:
        raise PermissionDenied(_("Indiquez le·la chargé·e de mission qui importe les rendez-vous."))
    mapping, _unknown = map_headers(table.headers, config["headers"], saved_mapping)
    header_of = {key: header for header, key in mapping.items()}
    proposals = propose(table, mapping, fixes)
    table = apply(table, proposals)
    resource = config["resource"](by=by, mode=mode, update_lines=update_lines)
    bulk = isinstance(resource, BulkRowResource)
    resource.dry_run = dry_run
    # Errors come keyed by model attribute ("entry_date") or by column key ("lead_email").
    column_of = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    report = ImportReport(proposals=proposals)
    total = len(table.rows)
    # A bulk kind's preview writes nothing: no transaction, so its progress shows at once.
    # Otherwise one transaction for the whole file: rolled back for a preview (the projects
    # kind writes through its services, then undoes it), committed for a confirmed import.
    began = time.monotonic()
    with nullcontext() if bulk and dry_run else transaction.atomic():
        for start in range(0, total, chunk_size):
            if start and time_limit is not None and time.monotonic() - began >= time_limit:
                raise ImportAborted(
                    _(
                        "la vérification a dépassé %(seconds)s secondes après %(done)s lignes "
                        "sur %(total)s ; découpez le fichier en plusieurs parties"
                    )
                    % {"seconds": int(time_limit), "done": start, "total": total}
                )
            rows = table.rows[start : start + chunk_size]
            dataset = build_dataset(table, mapping, rows)
            # Rows refused for validation never abort the others.
            result = resource.import_data(
                dataset,
                dry_run=False,
                raise_errors=False,
                use_transactions=True,
                collect_failed_rows=False,
                rollback_on_validation_errors=False,
            )
            if result.has_errors() and not dry_run:
                messages = [str(e.error) for e in result.base_errors] + [
                    str(error.error) for _number, errors in result.row_errors() for error in errors
                ]
                raise ImportAborted("; ".join(messages[:3]))
            _collect(
                report, result, [line for line, _values in rows], mode, config, header_of, column_of
            )
            if progress is not None:
                progress(min(start + chunk_size, total), total)
        if dry_run and not bulk:
            transaction.set_rollback(True)
    report.errors.sort(key=lambda e: e.line)
    refused = set(report.refused_lines)
    for line, key, message in getattr(resource, "warnings", []):
        if line not in refused:
            column = header_of.get(key, str(config["fields"].get(key, key)))
            report.warnings.append(RowError(line, column, message))
    report.warnings.sort(key=lambda w: w.line)
    report.samples = resource.samples.resolve()
    # What a confirmed import wrote, kept on its batch to undo it (not part of to_dict).
    report.journal = {} if dry_run else resource.journal.to_dict()
    return report


def _collect(report, result, lines, mode, config, header_of, column_of) -> None:
    for index, row_result in enumerate(result.rows):
        line = lines[index]
        kind_of = row_result.import_type
        if kind_of == "new":
            report.new += 1
        elif kind_of == "update":
            report.updated += 1
            report.conflicts.append(line)
        elif kind_of == "skip":
            report.unchanged += 1
            if mode in ("keep", "review"):
                report.conflicts.append(line)
        else:
            report.refused += 1
            report.refused_lines.append(line)
    for invalid in result.invalid_rows:
        line = lines[invalid.number - 1]
        for key, messages in invalid.error_dict.items():
            key = column_of.get(key, key)
            if key in ("__all__", NON_FIELD_ERRORS):
                column = ""
            else:
                column = header_of.get(key, str(config["fields"].get(key, key)))
            for message in messages:
                report.errors.append(RowError(line, column, str(message)))
    for number, row_errors in result.row_errors():
        line = lines[number - 1]
        for error in row_errors:
            report.errors.append(RowError(line, "", str(error.error)))


def refused_rows_csv(table: Table, report: ImportReport) -> bytes:
    """The refused rows as the office wrote them, plus an "Erreurs" column: correct the
    cells and import the file again (the column is ignored on import)."""
    by_line: dict[int, list[str]] = {}
    for error in report.errors:
        text = f"{error.column} : {error.message}" if error.column else error.message
        by_line.setdefault(error.line, []).append(text)
    # Each refused row names the row it was in the uploaded file, as the spreadsheet
    # numbers it (in this file it moves up, the accepted rows being left out).
    origin = {line: _("ligne %(line)s du fichier d'origine") % {"line": line} for line in by_line}
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    headers = [h for h in table.headers if h and h != ERRORS_COLUMN]
    # The headers come from the uploaded file too: a "=HYPERLINK(…)" header is a formula.
    writer.writerow([neutralise(header) for header in [*headers, ERRORS_COLUMN]])
    refused = set(report.refused_lines)
    for line, values in table.rows:
        if line in refused:
            messages = [origin.get(line, ""), *by_line.get(line, [])]
            cells = [*(values.get(h, "") for h in headers), " | ".join(filter(None, messages))]
            writer.writerow([neutralise(cell) for cell in cells])
    return output.getvalue().encode("utf-8-sig")
