"""`make bench`: seed PostgreSQL at several scales, serve the app with gunicorn in production
settings, and measure each page from a separate process (see docs/benchmarks.md).

runner: the run, scale by scale; environment: the per-scale databases and manage.py in a
subprocess; server: gunicorn and the timed HTTP client; load: the load step; import_timing:
the timed import; pages: the pages measured (shared with bench_probe and bench_explain);
report: docs/benchmarks.md from the results.
"""
