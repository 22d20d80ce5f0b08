"""Where document files live: the "documents" entry of Django's STORAGES (local disk under
VAR_DIR, or an S3-compatible store with STORAGE_URL). Nothing is served from a public URL:
downloads stream through the access-checked view."""

import hashlib
import uuid

from django.core.files.base import File
from django.core.files.storage import storages
from django.utils import timezone

CHUNK = 64 * 1024


def documents_storage():
    return storages["documents"]


def store(file, extension: str) -> tuple[str, str]:
    """Write `file` under a fresh, unguessable name; return (storage name, sha256)."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    name = f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
    saved = documents_storage().save(name, File(file, name=name))
    return saved, digest.hexdigest()


def delete(name: str) -> None:
    storage = documents_storage()
    if storage.exists(name):
        storage.delete(name)


def open_file(name: str):
    return documents_storage().open(name, "rb")


def all_names(folder: str = ""):
    """Every stored file's name, walking the folders."""
    storage = documents_storage()
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from all_names(f"{folder}/{directory}" if folder else directory)
