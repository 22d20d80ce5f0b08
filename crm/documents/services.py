"""Writing documents: upload, new version, deletion and erasure of their files.

A file and its row appear together or not at all: the file is written first under a fresh
name, then the row in a transaction; if the transaction fails the file is deleted at once,
and if an enclosing transaction rolls back later the file is left for
`manage.py cleanup_orphan_files` (which deletes stored files no version names).
"""

from django.db import IntegrityError, transaction
from django.db.models import Max

from crm.core import antivirus, permissions
from crm.core.uploads import attachment_type, sanitised_name
from crm.documents import storage
from crm.documents.models import RECORD_KINDS, Document, DocumentVersion

VERSION_RETRIES = 3


def check_file(file) -> tuple[str, str]:
    """Type (by content), size and antivirus; ValidationError names the reason."""
    extension, content_type = attachment_type(file)
    antivirus.scan(file)
    return extension, content_type


def next_number(document: Document) -> int:
    return (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1


def _add_version(document: Document, file, *, by, checked: tuple[str, str]) -> DocumentVersion:
    extension, content_type = checked
    name, sha256 = storage.store(file, extension)
    try:
        for attempt in range(VERSION_RETRIES):
            try:
                with transaction.atomic():
                    # The lock orders two simultaneous new versions: each gets its number.
                    Document.objects.select_for_update().filter(pk=document.pk).first()
                    return DocumentVersion.objects.create(
                        document=document,
                        number=next_number(document),
                        storage_name=name,
                        original_name=sanitised_name(file.name, extension),
                        content_type=content_type,
                        size=file.size,
                        sha256=sha256,
                        uploaded_by=by,
                    )
            except IntegrityError:
                # SQLite has no row locks: the unique (document, number) refuses the
                # second writer, who takes the next number.
                if attempt == VERSION_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")
    except BaseException:
        storage.delete(name)
        raise


def document_upload(
    *,
    record_kind: str,
    record,
    file,
    by,
    category,
    title: str,
    date,
    visibility: str,
    checked: tuple[str, str] | None = None,
) -> Document:
    """Attach a new document (its version 1) to `record`. `checked`: what check_file()
    returned when the caller already checked the file (a form of several files)."""
    permissions.require(permissions.can_upload_document(by, record_project(record_kind, record)))
    permissions.require(permissions.can_set_document_visibility(by, visibility))
    checked = checked or check_file(file)
    field, _label = RECORD_KINDS[record_kind]
    document = Document(
        title=title.strip() or sanitised_name(file.name, checked[0]),
        category=category,
        date=date,
        visibility=visibility,
        created_by=by,
        **{field: record},
    )
    document.full_clean()
    with transaction.atomic():
        document.save()
        _add_version(document, file, by=by, checked=checked)
    return document


def document_new_version(document: Document, file, *, by) -> DocumentVersion:
    """A new file for `document`; the previous versions are kept."""
    permissions.require(permissions.can_upload_document(by, document.record_project))
    if document.is_internal:
        permissions.require(permissions.can_set_document_visibility(by, document.visibility))
    return _add_version(document, file, by=by, checked=check_file(file))


def document_delete(document: Document, *, by) -> None:
    """Delete a document, every version and its files (after the rows are gone)."""
    permissions.require(permissions.can_delete_document(by))
    names = list(document.versions.values_list("storage_name", flat=True))
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: delete_files(names))


def delete_files(names) -> None:
    for name in names:
        storage.delete(name)


def record_project(record_kind: str, record):
    """The project a record belongs to (its coach may attach to it), or None."""
    if record_kind == "project":
        return record
    return getattr(record, "project", None) if record_kind in {"meeting", "application"} else None
