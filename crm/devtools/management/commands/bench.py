"""`make bench`: seed PostgreSQL at several scales, serve the app with gunicorn in production
settings, and measure each page from a separate process (see docs/benchmarks.md)."""

import os

from django.core.management.base import BaseCommand

from crm.devtools.bench.environment import ROOT
from crm.devtools.bench.runner import BenchRun


class Command(BaseCommand):
    help = "Benchmark the CRM at several scales on PostgreSQL and write docs/benchmarks.md."

    def add_arguments(self, parser):
        parser.add_argument("--scales", default="1,100,1000")
        parser.add_argument(
            "--database-url",
            default=os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm_bench"
            ),
            help="Base URL; each scale uses its own database (name suffixed with _s<scale>).",
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=30,
            help="Timed requests per page and role; heavy pages (exports, reports) take "
            "fewer of their own (crm/devtools/bench/pages.py), never more than this.",
        )
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--load-users", type=int, default=50)
        parser.add_argument("--load-seconds", type=int, default=20)
        parser.add_argument(
            "--think-seconds",
            type=float,
            default=3.0,
            help="Mean pause of a load-step user between two actions, drawn uniformly from a "
            "third to five thirds of it (3: 1 to 5 s, Locust's between(1, 5)). A second load "
            "step without pauses measures the most the server sustains.",
        )
        parser.add_argument(
            "--import-rows",
            type=int,
            default=10_000,
            help="New projects in the generated CSV imported (into a throwaway copy of the "
            "database) with import_data; 0 skips the import.",
        )
        parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))

    def handle(self, *args, **options):
        BenchRun(self.stdout, self.stderr).run(options)
