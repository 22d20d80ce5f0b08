"""Documents in the personal-data lifecycle (registered in contacts.gdpr.hooks).

The documents that concern a person: those attached to the person, and those attached to
a project they are a member of (or to its meetings and applications). The access export
adds their files (every version); the erasure (asked, or applied by retention) deletes
them, rows at once and files from the storage once the erasure commits.
"""

from django.db import transaction
from django.db.models import Q

from crm.documents import storage
from crm.documents.models import Document, DocumentVersion
from crm.models import ProjectMember
from followups.models import NoteVisibility


def documents_concerning(pks: list[int]):
    projects = ProjectMember.objects.filter(person__in=pks).values("project")
    return Document.objects.filter(
        Q(person__in=pks)
        | Q(project__in=projects)
        | Q(meeting__project__in=projects)
        | Q(application__project__in=projects)
    )


def archive_files(person, *, include_internal: bool = True):
    documents = documents_concerning([person.pk])
    if not include_internal:
        documents = documents.exclude(visibility=NoteVisibility.INTERNAL)
    versions = (
        DocumentVersion.objects.filter(document__in=documents)
        .select_related("document")
        .order_by("document_id", "number")
    )
    for version in versions:
        path = f"documents/{version.document_id}-v{version.number}-{version.original_name}"
        yield path, (lambda name=version.storage_name: storage.open_file(name))


def erase_documents(pks: list[int], counts) -> None:
    documents = documents_concerning(pks)
    names = list(
        DocumentVersion.objects.filter(document__in=documents).values_list(
            "storage_name", flat=True
        )
    )
    if not names:
        return
    counts["documents.DocumentVersion"] += len(names)
    counts["documents.Document"] += documents.count()
    Document.objects.filter(pk__in=documents.values("pk")).delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
