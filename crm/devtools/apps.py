from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo data, the scaled seed and the benchmarks: management commands only.

    Installed so that `seed_demo` and `bench` are found; no production module imports it
    (the import-linter contract in pyproject.toml)."""

    name = "crm.devtools"
    label = "devtools"
    verbose_name = "Outils de développement"
