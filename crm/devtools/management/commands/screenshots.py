"""Regenerate docs/screenshots/: every main page for every role, desktop and phone."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from crm.devtools import screenshots


class Command(BaseCommand):
    help = (
        "Photograph the home page, the project list, the board, a project, the meeting form "
        "and the dashboard for each demo role at 1366×768 and 375×812, on a throwaway demo "
        "database, into docs/screenshots/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(screenshots.ROOT / "docs" / "screenshots"))
        parser.add_argument(
            "--url",
            default="",
            help="Photograph a server already running with the demo data instead of "
            "starting one (for example http://127.0.0.1:8000).",
        )

    def handle(self, *args, **options):
        start = time.monotonic()
        out = Path(options["out"])
        if options["url"]:
            written = screenshots.take(out, options["url"], log=self.stdout.write)
            screenshots.write_index(out, written)
        else:
            written = screenshots.run(out, log=self.stdout.write)
        total = sum(path.stat().st_size for path in written)
        self.stdout.write(
            f"{len(written)} screenshots, {total // 1024} KB, in {out} "
            f"({time.monotonic() - start:.0f} s)"
        )
