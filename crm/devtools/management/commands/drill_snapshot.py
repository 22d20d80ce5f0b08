"""What a restore must give back, as one JSON document: the number of rows of every table
the app knows, a digest of every file in the media storage, and a digest of sample pages
as an officer sees them. The restore drill (.ci/restore-drill, docs/operations.md) runs it
before the dump and after the restore and compares the two outputs.

Writes nothing: the pages are rendered inside a transaction that is rolled back (the login
and what the pages log are undone with it)."""

import hashlib
import json
import re

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from crm.models import Project, User

# Per-request values that differ between two renderings of the same data.
VOLATILE = [
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(rb'nonce="[^"]*"'),
]


def table_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        table = model._meta.db_table
        if table in counts or table not in connection.introspection.table_names():
            continue
        counts[table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def media_files(directory: str = "") -> dict[str, str]:
    """{path: sha256} of every file of the default storage under `directory`."""
    files = {}
    try:
        folders, names = default_storage.listdir(directory)
    except FileNotFoundError:
        return files
    for name in names:
        path = f"{directory}/{name}" if directory else name
        with default_storage.open(path, "rb") as handle:
            files[path] = hashlib.sha256(handle.read()).hexdigest()
    for folder in folders:
        files.update(media_files(f"{directory}/{folder}" if directory else folder))
    return dict(sorted(files.items()))


class Rollback(Exception):
    pass


def sample_pages() -> dict[str, str]:
    """{url: sha256 of the page}: the project list and the first project's page, as the
    first officer (or superuser) sees them."""
    officer = (
        User.objects.filter(is_active=True, groups__name="officer").order_by("pk").first()
        or User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
    )
    project = Project.objects.order_by("pk").first()
    if officer is None or project is None:
        raise CommandError("The drill needs an officer and a project (seed_demo gives both).")
    pages = {}
    try:
        with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"]):
            client = Client()
            client.force_login(officer)
            for url in ("/projects/", project.get_absolute_url()):
                response = client.get(url, secure=True)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
                body = response.content
                for pattern in VOLATILE:
                    body = pattern.sub(b"", body)
                pages[url] = hashlib.sha256(body).hexdigest()
            raise Rollback
    except Rollback:
        pass
    return pages


class Command(BaseCommand):
    help = "Print row counts, media digests and sample page digests (the restore drill)."

    def handle(self, *args, **options):
        snapshot = {"tables": table_counts(), "media": media_files(), "pages": sample_pages()}
        self.stdout.write(json.dumps(snapshot, indent=1, sort_keys=True))
