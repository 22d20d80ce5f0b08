"""Indexes that only PostgreSQL has, declared in models so that SQLite still migrates."""

from django.contrib.postgres.indexes import GinIndex


class PostgresGinIndex(GinIndex):
    """A GIN index on PostgreSQL (full-text vectors, pg_trgm trigrams); nothing on other
    databases, where the schema editor then runs an empty statement. The searches these
    indexes serve have a plain fallback there (see crm.search.selectors)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().remove_sql(model, schema_editor, **kwargs)
