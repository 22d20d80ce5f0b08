"""The import page: upload, associate unknown columns, preview, confirm, download refusals."""

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.audit import log_access_event
from crm.forms_imports import ColumnMappingForm, ImportUploadForm
from crm.importing.reading import map_headers, read_upload
from crm.importing.runner import ImportReport, kinds, refused_rows_csv, run_import
from crm.models import ImportBatch, ImportColumnMapping, ImportStatus
from crm.roles import officer_required


def _table(batch: ImportBatch):
    with batch.file.open("rb") as handle:
        return read_upload(batch.original_name, handle.read())


def _saved_mapping(batch: ImportBatch) -> dict:
    saved = dict(
        ImportColumnMapping.objects.filter(kind=batch.kind).values_list("header", "target")
    )
    saved.update(batch.mapping)
    return saved


def _preview(batch: ImportBatch, table, by) -> None:
    report = run_import(
        kind=batch.kind,
        table=table,
        by=by,
        dry_run=True,
        mode="update" if batch.mode == "review" else batch.mode,
        saved_mapping=_saved_mapping(batch),
    )
    batch.preview = report.to_dict()
    batch.status = ImportStatus.PREVIEWED
    batch.save(update_fields=["preview", "status"])


@officer_required
def import_list(request):
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            batch = ImportBatch(
                kind=form.cleaned_data["kind"],
                mode=form.cleaned_data["mode"],
                original_name=upload.name,
                created_by=request.user,
            )
            extension = upload.name.rsplit(".", 1)[-1].lower()
            # Stored under a generated name, outside the static files, never served.
            batch.file.save(f"{slugify(upload.name)[:40]}.{extension}", ContentFile(upload.read()))
            _mapping, unknown = map_headers(
                form.table.headers, kinds()[batch.kind]["headers"], _saved_mapping(batch)
            )
            if unknown:
                batch.status = ImportStatus.MAPPING
                batch.save(update_fields=["status"])
            else:
                _preview(batch, form.table, request.user)
            return redirect("crm:import-detail", pk=batch.pk)
    else:
        form = ImportUploadForm()
    batches = ImportBatch.objects.select_related("created_by")[:20]
    return render(request, "imports/import_list.html", {"form": form, "batches": batches})


@officer_required
def import_detail(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    config = kinds()[batch.kind]
    context = {"batch": batch, "kind": config}
    if batch.status == ImportStatus.MAPPING:
        table = _table(batch)
        _mapping, unknown = map_headers(table.headers, config["headers"], _saved_mapping(batch))
        form = ColumnMappingForm(request.POST or None, headers=unknown, fields=config["fields"])
        if request.method == "POST" and form.is_valid():
            mapping = form.mapping()
            batch.mapping = {**batch.mapping, **mapping}
            batch.save(update_fields=["mapping"])
            if form.cleaned_data["remember"]:
                for header, target in mapping.items():
                    ImportColumnMapping.objects.update_or_create(
                        kind=batch.kind,
                        header=header,
                        defaults={"target": target, "saved_by": request.user},
                    )
            _preview(batch, table, request.user)
            return redirect("crm:import-detail", pk=batch.pk)
        context["mapping_form"] = form
    else:
        report = ImportReport.from_dict(batch.result or batch.preview)
        context["report"] = report
        if batch.mode == "review" and batch.status == ImportStatus.PREVIEWED:
            table = _table(batch)
            mapping, _unknown = map_headers(table.headers, config["headers"], _saved_mapping(batch))
            name_header = next((h for h, key in mapping.items() if key == "project_name"), None)
            rows = dict(table.rows)
            context["conflicts"] = [
                (line, rows.get(line, {}).get(name_header, "")) for line in report.conflicts
            ]
    return render(request, "imports/import_detail.html", context)


@officer_required
@require_POST
def import_confirm(request, pk):
    with transaction.atomic():
        batch = get_object_or_404(ImportBatch.objects.select_for_update(), pk=pk)
        if batch.status != ImportStatus.PREVIEWED:
            messages.warning(request, _("Cet import a déjà été traité."))
            return redirect("crm:import-detail", pk=batch.pk)
        update_lines = [int(line) for line in request.POST.getlist("update_line") if line.isdigit()]
        report = run_import(
            kind=batch.kind,
            table=_table(batch),
            by=request.user,
            dry_run=False,
            mode=batch.mode,
            update_lines=update_lines,
            saved_mapping=_saved_mapping(batch),
        )
        batch.result = report.to_dict()
        log_access_event(
            kind="import",
            request=request,
            detail=f"{batch.original_name}: {report.new} new, {report.updated} updated, "
            f"{report.refused} refused",
        )
        batch.status = ImportStatus.DONE
        batch.done_at = timezone.now()
        batch.save(update_fields=["result", "status", "done_at"])
    messages.success(
        request,
        _("Import terminé : %(new)s créée(s), %(updated)s mise(s) à jour, %(refused)s refusée(s).")
        % {"new": report.new, "updated": report.updated, "refused": report.refused},
    )
    return redirect("crm:import-detail", pk=batch.pk)


@officer_required
@require_POST
def import_cancel(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch.status in (ImportStatus.MAPPING, ImportStatus.PREVIEWED):
        batch.status = ImportStatus.CANCELLED
        batch.save(update_fields=["status"])
        messages.info(request, _("Import annulé : rien n'a été enregistré."))
    return redirect("crm:import-list")


@officer_required
def import_refused(request, pk):
    """The refused rows as the office wrote them, plus an "Erreurs" column."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    report = ImportReport.from_dict(batch.result or batch.preview)
    content = refused_rows_csv(_table(batch), report)
    stem = batch.original_name.rsplit(".", 1)[0]
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(stem)}-refusees.csv"'
    return response
