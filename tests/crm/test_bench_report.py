"""docs/benchmarks.md judges issue 25's and 18's targets from the run's figures."""

import datetime

from crm.devtools.bench.report import report

OPTIONS = {
    "scales": "1000",
    "requests": 30,
    "workers": 4,
    "load_users": 50,
    "load_seconds": 20,
    "think_seconds": 3.0,
    "import_rows": 0,
    "database_url": "postgres://postgres@127.0.0.1:5432/crm_bench",
}


def row(key, label, role="officer", median=10.0, **extra):
    return {
        "key": key,
        "label": label,
        "role": role,
        "requests": 30,
        "median": median,
        "p95": median * 1.2,
        "queries": 9,
        "status": "200",
        "peak_mb": 90.0,
        **extra,
    }


def load(rps, p95):
    return {
        "users": 50,
        "think": 3.0,
        "ramp_up": 5.0,
        "seconds": 20.0,
        "requests": 400,
        "reads": 320,
        "writes": 80,
        "meetings": 80,
        "rps": rps,
        "median": p95 / 2,
        "p95": p95,
        "write_p95": 30.0,
        "errors": 0,
        "peak_mb": 150.0,
    }


def result(pages, ceiling=(120.0, 400.0)):
    return {
        "scale": 1000,
        "projects": 60000,
        "seed_seconds": 3.0,
        "pages": pages,
        "raw_sql_ms": None,
        "raw_sql_queries": 0,
        "load": load(20.0, 60.0),
        "saturation": load(*ceiling),
        "import": None,
        "worker_peak_mb": 160.0,
    }


def written(pages, **kwargs) -> str:
    now = datetime.datetime(2026, 12, 8, tzinfo=datetime.UTC)
    return report([result(pages, **kwargs)], OPTIONS, started=now, finished=now, machine="2 cores")


def test_the_export_is_judged_against_postgresql_copy_of_its_rows():
    pages = [
        row(
            "export_csv",
            "Project export, CSV, every row",
            rows=60000,
            rows_per_s=9000.0,
            copy_rows_per_s=30000.0,
        ),
        row(
            "export_xlsx",
            "Project export, XLSX, every row",
            rows=60000,
            rows_per_s=3000.0,
            copy_rows_per_s=30000.0,
        ),
    ]
    text = written(pages)
    assert "- met: Project export (CSV) at least 25% of PostgreSQL's COPY" in text
    assert "CSV 30%, XLSX 10%" in text
    assert "9 000 rows/s (median), worker peak 90 MB; 30% of PostgreSQL's COPY" in text
    assert "COPY (…) TO STDOUT" in text  # the method says how the baseline is taken


def test_search_dashboard_and_ceiling_targets_say_met_or_not():
    pages = [
        row("search_prefix", "Search, word start", median=40.0),
        row("search_commune", "Search, commune", role="coach", median=180.0),
        row("dashboard_computed", "Dashboard, figures computed (cache off)", median=250.0),
    ]
    text = written(pages, ceiling=(80.0, 700.0))
    assert "- **not met**: Search median < 150 ms: worst 180 ms (Search, commune, coach)" in text
    assert "- met: Dashboard computed cold for an officer (this year) < 300 ms: median 250" in text
    assert (
        "- **not met**: Ceiling without pauses > 100 requests/s with p95 < 500 ms: "
        "80.0 requests/s, p95 700 ms" in text
    )
