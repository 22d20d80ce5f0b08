"""One import, shared by the page and `manage.py import_data`: read, map, preview or write.

The dry run and the real run are the same code; the real run writes the accepted rows in
one transaction and hands back the refused rows, with their line number, column and a
French message, as a file to correct and import again."""

import csv
import io
from dataclasses import dataclass, field

import tablib
from django.db import transaction

from crm.importing.reading import ERRORS_COLUMN, Table, map_headers
from crm.spreadsheets import neutralise

KINDS = {}


def register(kind: str, *, label, headers: dict, fields: dict, resource):
    KINDS[kind] = {"label": label, "headers": headers, "fields": fields, "resource": resource}


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
        )


def _ensure_registered():
    if not KINDS:
        from django.utils.translation import gettext_lazy as _

        from crm.resources import PROJECT_FIELDS, PROJECT_HEADERS, ProjectRowResource

        register(
            "projects",
            label=_("Projets, porteur·ses et structures"),
            headers=PROJECT_HEADERS,
            fields=PROJECT_FIELDS,
            resource=ProjectRowResource,
        )


def kinds() -> dict:
    _ensure_registered()
    return KINDS


def build_dataset(table: Table, mapping: dict[str, str]) -> tablib.Dataset:
    keys = list(dict.fromkeys(mapping.values()))
    dataset = tablib.Dataset(headers=["__line__", *keys])
    for line, values in table.rows:
        row = dict.fromkeys(keys, "")
        for header, key in mapping.items():
            value = values.get(header, "")
            if value not in ("", None) or not row[key]:
                row[key] = value if value is not None else ""
        dataset.append([line, *[row[k] for k in keys]])
    return dataset


def run_import(
    *,
    kind: str,
    table: Table,
    by,
    dry_run: bool,
    mode: str = "update",
    update_lines=None,
    saved_mapping: dict | None = None,
) -> ImportReport:
    config = kinds()[kind]
    mapping, _unknown = map_headers(table.headers, config["headers"], saved_mapping)
    header_of = {key: header for header, key in mapping.items()}
    dataset = build_dataset(table, mapping)
    resource = config["resource"](by=by, mode=mode, update_lines=update_lines)
    # Errors come keyed by model attribute ("entry_date") or by column key ("lead_email").
    column_of = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    # Rows refused for validation never abort the others; the accepted ones are written in
    # one transaction (import-export's), or rolled back entirely for a preview.
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            collect_failed_rows=False,
            rollback_on_validation_errors=False,
        )
    report = ImportReport()
    lines = [row[0] for row in dataset]
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
            column = header_of.get(key, str(config["fields"].get(key, key)))
            for message in messages:
                report.errors.append(RowError(line, column, str(message)))
    for number, row_errors in result.row_errors():
        line = lines[number - 1]
        for error in row_errors:
            report.errors.append(RowError(line, "", str(error.error)))
    report.errors.sort(key=lambda e: e.line)
    return report


def refused_rows_csv(table: Table, report: ImportReport) -> bytes:
    """The refused rows as the office wrote them, plus an "Erreurs" column: correct the
    cells and import the file again (the column is ignored on import)."""
    by_line: dict[int, list[str]] = {}
    for error in report.errors:
        text = f"{error.column} : {error.message}" if error.column else error.message
        by_line.setdefault(error.line, []).append(text)
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    headers = [h for h in table.headers if h and h != ERRORS_COLUMN]
    writer.writerow([*headers, ERRORS_COLUMN])
    refused = set(report.refused_lines)
    for line, values in table.rows:
        if line in refused:
            cells = [*(values.get(h, "") for h in headers), " | ".join(by_line.get(line, []))]
            writer.writerow([neutralise(cell) for cell in cells])
    return output.getvalue().encode("utf-8-sig")
