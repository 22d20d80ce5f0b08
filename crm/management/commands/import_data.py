"""Import a spreadsheet from the command line: the same code as the import page."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crm import roles
from crm.importing.reading import read_upload
from crm.importing.runner import kinds, refused_rows_csv, run_import
from crm.models import User


class Command(BaseCommand):
    help = (
        "Import projects (with their lead entrepreneur and organisation) from a CSV, XLSX "
        "or ODS file. Prints the counts and every refused row; --dry-run writes nothing."
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

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None or not roles.is_officer(by):
                raise CommandError(f"{options['user']!r} is not an officer.")
        try:
            table = read_upload(path.name, path.read_bytes())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        report = run_import(
            kind=options["kind"],
            table=table,
            by=by,
            dry_run=options["dry_run"],
            mode=options["existing"],
        )
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            f"{verb}: {report.new} new, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.refused} refused (of {report.total} rows)."
        )
        for error in report.errors:
            column = f" [{error.column}]" if error.column else ""
            self.stdout.write(f"  line {error.line}{column}: {error.message}")
        if options["refused_out"] and report.refused:
            Path(options["refused_out"]).write_bytes(refused_rows_csv(table, report))
            self.stdout.write(f"Refused rows written to {options['refused_out']}")
