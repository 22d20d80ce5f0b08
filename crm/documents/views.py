"""Pages of documents: a record's documents tab (and upload), a document's versions, the
download, the list of every visible document, and the categories officers keep."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm.core import antivirus, permissions
from crm.core.lists import FilteredTableView
from crm.documents import selectors, services, storage
from crm.documents.filters import DocumentFilter
from crm.documents.forms import CategoryForm, UploadForm, VersionForm
from crm.documents.models import RECORD_FIELDS, DocumentCategory, RecordKind
from crm.documents.tables import DocumentTable


class DocumentListView(FilteredTableView):
    title = gettext_lazy("Documents")
    table_class = DocumentTable
    filterset_class = DocumentFilter
    template_name = "documents/document_list.html"
    default_ordering = ("-created_at", "-pk")

    def scoped_queryset(self):
        return selectors.visible_documents(self.request.user).select_related(
            "created_by",
            *[field for field in RECORD_FIELDS if field not in {"meeting", "application"}],
            "meeting__project",
            "application__project",
            "application__call",
        )


def _check_files(form) -> list[tuple]:
    """Every file's checked type, or errors naming each refused file (nothing is stored
    unless every file is accepted)."""
    checked, errors = [], []
    for file in form.cleaned_data["files"]:
        try:
            checked.append((file, services.check_file(file)))
        except ValidationError as error:
            errors.append(f"{file.name} : {' '.join(error.messages)}")
    for error in errors:
        form.add_error("files", error)
    return checked


@login_required
def record_documents(request, kind, pk):
    """A record's documents (the tab), with the upload form for who may upload."""
    record = selectors.record_for(request.user, kind, pk)
    context = selectors.record_documents(request.user, kind, record)
    form = None
    if context["can_upload"]:
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    elif request.method == "POST":
        permissions.require(False)
    if request.method == "POST" and form.is_valid():
        checked = _check_files(form)
        if form.is_valid():
            permissions.require(
                permissions.can_set_document_visibility(
                    request.user, form.cleaned_data["visibility"]
                )
            )
            for file, file_type in checked:
                services.document_upload(
                    record_kind=kind,
                    record=record,
                    file=file,
                    by=request.user,
                    category=form.cleaned_data["category"],
                    title=form.cleaned_data["title"] if len(checked) == 1 else "",
                    date=form.cleaned_data["date"],
                    visibility=form.cleaned_data["visibility"],
                    checked=file_type,
                )
            messages.success(
                request,
                _("%(count)s document(s) enregistré(s).") % {"count": len(checked)},
            )
            return redirect(request.path)
    context.update(form=form, kind_label=RecordKind(kind).label)
    return render(request, "documents/record_documents.html", context)


@login_required
def document_detail(request, pk):
    document = selectors.document_for(request.user, pk)
    versions = document.versions.select_related("uploaded_by").order_by("-number")
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "versions": versions,
            "kind_label": RecordKind(document.record_kind).label,
            "can_upload": permissions.can_upload_document(request.user, document.record_project),
            "can_delete": permissions.can_delete_document(request.user),
            "form": VersionForm(),
            "scanning": antivirus.scanning_enabled(),
        },
    )


@login_required
@require_POST
def version_add(request, pk):
    document = selectors.document_for(request.user, pk)
    permissions.require(permissions.can_upload_document(request.user, document.record_project))
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.document_new_version(
                document, form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request, _("Version %(number)s enregistrée.") % {"number": version.number}
            )
            return redirect("documents:detail", pk=document.pk)
    versions = document.versions.select_related("uploaded_by").order_by("-number")
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "versions": versions,
            "kind_label": RecordKind(document.record_kind).label,
            "can_upload": True,
            "can_delete": permissions.can_delete_document(request.user),
            "form": form,
            "scanning": antivirus.scanning_enabled(),
        },
        status=400,
    )


@login_required
@require_POST
def document_delete(request, pk):
    document = selectors.document_for(request.user, pk)
    permissions.require(permissions.can_delete_document(request.user))
    kind, record = document.record_kind, document.record
    services.document_delete(document, by=request.user)
    messages.success(request, _("Document supprimé, avec toutes ses versions."))
    return redirect("documents:record", kind=kind, pk=record.pk)


@login_required
def download(request, pk):
    """The file of one version, after the access check: always an attachment, never
    sniffed, streamed from the storage in chunks (memory does not grow with the file)."""
    return version_file_response(selectors.version_for(request.user, pk))


def version_file_response(version):
    """A version's file as a download, for whoever was checked to see it (the staff's
    page above, the entrepreneur space)."""
    response = FileResponse(
        storage.open_file(version.storage_name),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@permissions.permission_required(permissions.can_manage_document_categories)
def categories(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        DocumentCategory.objects.create(name=form.cleaned_data["name"])
        messages.success(request, _("Catégorie ajoutée."))
        return redirect("documents:categories")
    return render(
        request,
        "documents/categories.html",
        {"form": form, "categories": DocumentCategory.objects.order_by("name")},
    )


@login_required
@require_POST
@permissions.permission_required(permissions.can_manage_document_categories)
def category_toggle(request, pk):
    category = get_object_or_404(DocumentCategory, pk=pk)
    category.active = not category.active
    category.save(update_fields=["active"])
    return redirect("documents:categories")
