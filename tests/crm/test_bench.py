"""`make bench` keeps working: a tiny end-to-end run (the real one is `make bench`)."""

from django.core.management import call_command


def test_bench_runs_end_to_end_on_a_tiny_scale(tmp_path):
    output = tmp_path / "benchmarks.md"
    call_command(
        "bench",
        scales="1",
        database_url=f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        requests=1,
        workers=1,
        load_users=2,
        load_seconds=1,
        output=str(output),
    )
    report = output.read_text()
    assert "## Scale 1: 60 projects" in report
    assert "| Project list | officer |" in report
    assert "Django admin changelist" in report
    assert "0 errors" in report
