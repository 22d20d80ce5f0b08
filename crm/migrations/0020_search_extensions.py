"""The global search's database functions (crm.search).

On PostgreSQL: the unaccent and pg_trgm extensions (creating them needs a role allowed to,
see README "Search") and `crm_fold(text)`, an immutable `lower(unaccent())` that expression
indexes may use. On SQLite nothing: the crm app registers a Python `crm_fold` on each
connection (crm.core.text).
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE_FOLD = """
CREATE OR REPLACE FUNCTION crm_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
"""
DROP_FOLD = "DROP FUNCTION IF EXISTS crm_fold(text)"


def create_fold(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FOLD)


def drop_fold(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FOLD)


class Migration(migrations.Migration):
    dependencies = [("crm", "0019_access_event_erasure_kind")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_fold, drop_fold),
    ]
