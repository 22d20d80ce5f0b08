"""`make bench` keeps working: a tiny end-to-end run (the real one is `make bench`)."""

import re

import pytest
from django.core.management import call_command


# About a minute: it migrates and seeds a database and serves it with gunicorn in subprocesses.
@pytest.mark.slow
def test_bench_runs_end_to_end_on_a_tiny_scale(tmp_path):
    output = tmp_path / "benchmarks.md"
    output.write_text("# Old results\n\nA session's notes.\n")
    call_command(
        "bench",
        scales="1",
        database_url=f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        requests=1,
        workers=1,
        load_users=2,
        load_seconds=2,
        think_seconds=0.1,
        import_rows=20,
        output=str(output),
    )
    report = output.read_text()
    assert "## Scale 1: 60 projects" in report
    assert "| Project list | officer | 1 |" in report
    assert "Django admin changelist" in report
    # Reports, the provider's statement and the dashboard with its cache off, all served.
    for label in (
        "Activity report, XLSX",
        "Activity report, PDF",
        "Follow-up sheet, PDF",
        "Follow-up sheet, XLSX",
        "Provider monthly statement",
        "Dashboard, figures cached",
        "Dashboard, figures computed (cache off)",
    ):
        assert re.search(
            rf"\| {re.escape(label)} \| \w+ \| 1 \| [\d.]+ \| [\d.]+ \| \d+ \| (?:[\d.]+|–) "
            rf"\| \d+ \| 200 \|",
            report,
        ), label
    assert re.search(r"Project export, CSV, every row: \d+ rows, [\d ]+ rows/s", report)
    # Every page weighed (HTML plus its CSS and JavaScript, gzipped) and the limit checked.
    assert re.search(
        r"\| Dashboard, figures cached \| officer \| 1 \| [\d.]+ \| [\d.]+ \| \d+ \| [\d.]+ \|",
        report,
    )
    assert re.search(
        r"- met: Every page < 150 KB of HTML, CSS and JavaScript \(gzip\): heaviest", report
    )
    # The REST API's project list as a token (issue 24); 60 projects fit in its first page,
    # so the cursor page is measured from scale 2 up.
    assert re.search(r"\| API project list, page of 100 \| officer \| 1 \| .* \| 200 \|", report)
    # Documents uploaded and downloaded through the pages (issue 20).
    assert re.search(r"Documents, .*: 1 MB: upload \d+ ms .* 5 MB: upload \d+ ms", report), report
    assert re.search(r"Import: 20 new project rows .*: 20 new, 0 updated, 0 refused", report)
    load = re.search(r"\((\d+) reads, (\d+) writes, (\d+) meetings logged\).* (\d+) errors", report)
    assert load, report
    reads, writes, meetings, errors = map(int, load.groups())
    assert reads > 0 and writes > 0 and meetings == writes and errors == 0
    ceiling = re.search(r"Ceiling: .* ([\d.]+) requests/s sustained .* (\d+) errors", report)
    assert ceiling and float(ceiling.group(1)) > 0 and ceiling.group(2) == "0", report
    assert "## Targets at the largest scale (scale 1)" in report
    assert "## Method" in report
    # The whole file is the latest run's: earlier ones live in its git history.
    assert "# Old results" not in report
    assert "A session's notes" not in report
