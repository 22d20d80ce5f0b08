"""Reads of documents for the pages: a record's documents, the project panel, the timeline."""

from django.apps import apps
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from crm.core import antivirus, permissions
from crm.documents.models import RECORD_KINDS, Document, DocumentVersion

PANEL_LIMIT = 10
TIMELINE_LIMIT = 20


def visible_documents(user):
    return Document.objects.visible_to(user).select_related("category")


def with_latest(documents):
    """Each document with its versions newest first (`document.latest`: versions[0])."""
    return documents.prefetch_related(
        Prefetch(
            "versions",
            queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"),
        )
    )


def record_for(user, kind: str, pk: int):
    """The record of `kind` the user may see, or 404."""
    if kind not in RECORD_KINDS:
        raise Http404
    model = apps.get_model(RECORD_KINDS[kind][1])
    try:
        return model.objects.visible_to(user).get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None


def document_for(user, pk: int) -> Document:
    try:
        return visible_documents(user).get(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None


def version_for(user, pk: int) -> DocumentVersion:
    try:
        return DocumentVersion.objects.select_related("document").get(
            pk=pk, document__in=Document.objects.visible_to(user)
        )
    except DocumentVersion.DoesNotExist:
        raise Http404 from None


def record_documents(user, kind: str, record) -> dict:
    """What a record's documents tab shows (3 queries)."""
    from crm.documents.services import record_project

    documents = list(with_latest(visible_documents(user).of_record(kind, record.pk)))
    return {
        "kind": kind,
        "record": record,
        "documents": documents,
        "can_upload": permissions.can_upload_document(user, record_project(kind, record)),
        "scanning": antivirus.scanning_enabled(),
    }


def project_documents(project, user) -> dict:
    """The project page's documents panel: its latest documents (2 queries)."""
    documents = with_latest(visible_documents(user).of_record("project", project.pk))
    return {
        "project": project,
        "documents": list(documents[:PANEL_LIMIT]),
        "can_upload": permissions.can_upload_document(user, project),
    }


def timeline_entries(project, user) -> list[dict]:
    """Each upload (version) of the project's visible documents, newest first (1 query)."""
    versions = (
        DocumentVersion.objects.filter(
            document__in=Document.objects.visible_to(user).of_record("project", project.pk)
        )
        .select_related("document", "uploaded_by")
        .order_by("-uploaded_at", "-pk")[:TIMELINE_LIMIT]
    )
    return [
        {
            "kind": "document",
            "at": version.uploaded_at,
            "who": str(version.uploaded_by or ""),
            "title": _("Document déposé : %(title)s") % {"title": version.document.title}
            if version.number == 1
            else _("Nouvelle version (v%(number)s) : %(title)s")
            % {"number": version.number, "title": version.document.title},
            "detail": version.original_name,
            "url": reverse("documents:detail", args=[version.document_id]),
        }
        for version in versions
    ]
