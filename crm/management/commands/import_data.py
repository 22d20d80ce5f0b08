"""Import a spreadsheet from the command line: the same code as the import page."""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crm.core import permissions
from crm.importing.reading import read_upload
from crm.importing.resources.bulk import CHUNK_SIZE
from crm.importing.runner import ImportAborted, kinds, refused_rows_csv, run_import
from crm.importing.sample import csv_bytes
from crm.models import User


class Command(BaseCommand):
    help = (
        "Import projects (with their lead entrepreneur and organisation), people, "
        "organisations or meetings from a CSV, XLSX or ODS file: the same code as the import "
        "page. Prints the counts and every refused row; --dry-run writes nothing. "
        "--generate N writes a synthetic file of N rows to FILE instead (for measurements)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=sorted(kinds()))
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--existing",
            choices=["update", "keep"],
            default="update",
            help="What to do with a row that matches an existing record.",
        )
        parser.add_argument("--user", default="", help="Officer recorded as the author.")
        parser.add_argument(
            "--refused-out", default="", help="Write the refused rows to this CSV file."
        )
        parser.add_argument(
            "--generate",
            type=int,
            default=0,
            metavar="N",
            help="Write a synthetic file of N rows of this kind to FILE, import nothing.",
        )
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)

    def handle(self, *args, **options):
        path = Path(options["file"])
        if options["generate"]:
            path.write_bytes(csv_bytes(options["kind"], options["generate"]))
            self.stdout.write(f"Wrote {options['generate']} {options['kind']} rows to {path}")
            return
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None or not permissions.can_import(by):
                raise CommandError(f"{options['user']!r} is not an officer.")
        try:
            table = read_upload(path.name, path.read_bytes())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["kind"] == "meetings" and by is None:
            raise CommandError("Meetings need --user: the officer who imports them.")

        def progress(processed, total):
            self.stderr.write(f"  {processed}/{total} rows ({time.monotonic() - began:.1f} s)")

        began = time.monotonic()
        try:
            report = run_import(
                kind=options["kind"],
                table=table,
                by=by,
                dry_run=options["dry_run"],
                mode=options["existing"],
                progress=progress if options["verbosity"] > 1 else None,
                chunk_size=options["chunk_size"],
            )
        except ImportAborted as error:
            raise CommandError(f"Import aborted, nothing written: {error}") from None
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            f"{verb}: {report.new} new, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.refused} refused (of {report.total} rows) "
            f"in {time.monotonic() - began:.1f} s."
        )
        for error in report.errors:
            column = f" [{error.column}]" if error.column else ""
            self.stdout.write(f"  line {error.line}{column}: {error.message}")
        if options["refused_out"] and report.refused:
            Path(options["refused_out"]).write_bytes(refused_rows_csv(table, report))
            self.stdout.write(f"Refused rows written to {options['refused_out']}")
