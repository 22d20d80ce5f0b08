"""The import page: upload, associate unknown columns, preview, confirm, download refusals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.core import permissions
from crm.core.permissions import permission_required
from crm.core.spreadsheets import set_download_name
from crm.importing import fixes, tasks, undo
from crm.importing.forms import ColumnMappingForm, FixDecisionsForm, ImportUploadForm
from crm.importing.reading import map_headers
from crm.importing.runner import ImportReport, kinds, refused_rows_csv
from crm.models import ImportBatch, ImportColumnMapping, ImportStatus
from crm.security.audit import log_access_event


def _table(batch: ImportBatch):
    return tasks.batch_table(batch)


def _saved_mapping(batch: ImportBatch) -> dict:
    return tasks.saved_mapping(batch)


def _mark_previewing(batch: ImportBatch) -> None:
    batch.status = ImportStatus.PREVIEWING
    batch.processed = 0
    batch.started_at = timezone.now()
    batch.failure = ""
    batch.save(update_fields=["status", "processed", "started_at", "failure"])


def _start_preview(batch: ImportBatch, user) -> None:
    _mark_previewing(batch)
    tasks.start(batch, user, confirm=False)


@permission_required(permissions.can_import)
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
                total=len(form.table.rows),
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
                _start_preview(batch, request.user)
            return redirect("crm:import-detail", pk=batch.pk)
    else:
        form = ImportUploadForm()
    batches = ImportBatch.objects.select_related("created_by")[:20]
    return render(request, "imports/import_list.html", {"form": form, "batches": batches})


@permission_required(permissions.can_import)
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
            _start_preview(batch, request.user)
            return redirect("crm:import-detail", pk=batch.pk)
        context["mapping_form"] = form
    elif batch.status in ImportStatus.running() or batch.status == ImportStatus.FAILED:
        pass  # the progress bar, or the failure, is all there is to show
    else:
        report = ImportReport.from_dict(batch.result or batch.preview)
        context["report"] = report
        context["can_undo"] = undo.can_undo(batch)
        context["undo_deadline"] = undo.undo_deadline(batch)
        context["undo_result"] = (batch.result or {}).get("undo")
        if batch.status == ImportStatus.PREVIEWED and report.proposals:
            context["fixes_form"] = FixDecisionsForm(proposals=report.proposals)
        if batch.mode == "review" and batch.status == ImportStatus.PREVIEWED:
            table = _table(batch)
            mapping, _unknown = map_headers(table.headers, config["headers"], _saved_mapping(batch))
            headers = [
                next((h for h, k in mapping.items() if k == key), None)
                for key in config["row_label"]
            ]
            rows = dict(table.rows)

            def label(line):
                values = rows.get(line, {})
                return " · ".join(str(values[h]) for h in headers if h and values.get(h))

            context["conflicts"] = [(line, label(line)) for line in report.conflicts]
    return render(request, "imports/import_detail.html", context)


@permission_required(permissions.can_import)
@require_POST
def import_confirm(request, pk):
    with transaction.atomic():
        batch = get_object_or_404(ImportBatch.objects.select_for_update(), pk=pk)
        if batch.status != ImportStatus.PREVIEWED:
            messages.warning(request, _("Cet import a déjà été traité."))
            return redirect("crm:import-detail", pk=batch.pk)
        batch.status = ImportStatus.IMPORTING
        batch.processed = 0
        batch.started_at = timezone.now()
        batch.save(update_fields=["status", "processed", "started_at"])
    update_lines = [int(line) for line in request.POST.getlist("update_line") if line.isdigit()]
    tasks.start(batch, request.user, confirm=True, update_lines=update_lines)
    batch.refresh_from_db()
    if batch.status == ImportStatus.DONE:
        report = ImportReport.from_dict(batch.result)
        messages.success(
            request,
            _(
                "Import terminé : %(new)s créée(s), %(updated)s mise(s) à jour, "
                "%(refused)s refusée(s)."
            )
            % {"new": report.new, "updated": report.updated, "refused": report.refused},
        )
    return redirect("crm:import-detail", pk=batch.pk)


@permission_required(permissions.can_import)
@require_POST
def import_fixes(request, pk):
    """Record the officer's decisions on the corrections offered, remember the column-wide
    ones for the next file with the same columns, and preview again with them applied."""
    with transaction.atomic():
        batch = get_object_or_404(ImportBatch.objects.select_for_update(), pk=pk)
        if batch.status != ImportStatus.PREVIEWED:
            messages.warning(request, _("Cet import a déjà été traité."))
            return redirect("crm:import-detail", pk=batch.pk)
        report = ImportReport.from_dict(batch.preview)
        form = FixDecisionsForm(request.POST, proposals=report.proposals)
        if not form.is_valid():
            messages.error(request, _("Choix de correction invalide : rien n'a été changé."))
            return redirect("crm:import-detail", pk=batch.pk)
        decisions = form.decisions()
        # Rows beyond those listed keep the decision they had.
        listed = {proposal.row_key for _name, proposal in form.listed}
        kept = {k: v for k, v in batch.fixes.get("rows", {}).items() if k not in listed}
        batch.fixes = {"rows": {**kept, **decisions["rows"]}, "rules": decisions["rules"]}
        batch.save(update_fields=["fixes"])
        fixes.remember(
            batch.kind, tasks.batch_mapping(batch, _table(batch)), decisions["rules"], request.user
        )
        _mark_previewing(batch)
    tasks.start(batch, request.user, confirm=False)
    messages.success(request, _("Corrections enregistrées : la prévisualisation en tient compte."))
    return redirect("crm:import-detail", pk=batch.pk)


@permission_required(permissions.can_import)
@require_POST
def import_undo(request, pk):
    """Undo a confirmed import (crm.importing.undo): what it created is removed, what it
    updated gets its previous values back, except the records changed since."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        report = undo.undo_import(batch, request.user)
    except PermissionDenied as error:
        messages.warning(request, str(error))
        return redirect("crm:import-detail", pk=batch.pk)
    log_access_event(
        kind="import",
        user=request.user,
        detail=f"{batch.original_name}: undone, {report.removed} removed, "
        f"{report.restored} restored, {len(report.kept)} kept",
    )
    messages.success(
        request,
        _(
            "Import défait : %(removed)s fiche(s) supprimée(s), %(restored)s remise(s) "
            "dans leur état d'avant, %(kept)s modifiée(s) depuis et laissée(s) telles quelles."
        )
        % {"removed": report.removed, "restored": report.restored, "kept": len(report.kept)},
    )
    return redirect("crm:import-detail", pk=batch.pk)


@permission_required(permissions.can_import)
def import_progress(request, pk):
    """The counters the detail page polls while a preview or an import runs."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    return JsonResponse(
        {
            "status": batch.status,
            "status_label": str(batch.get_status_display()),
            "processed": batch.processed,
            "total": batch.total,
            "running": batch.status in ImportStatus.running(),
        }
    )


@permission_required(permissions.can_import)
@require_POST
def import_cancel(request, pk):
    with transaction.atomic():
        batch = get_object_or_404(ImportBatch.objects.select_for_update(), pk=pk)
        closable = (ImportStatus.MAPPING, ImportStatus.PREVIEWED, ImportStatus.FAILED)
        # A stuck preview too: its task, if it ever ends, finds the batch cancelled and
        # records nothing (tasks.process_batch).
        if batch.status in closable or batch.is_stuck:
            batch.status = ImportStatus.CANCELLED
            batch.save(update_fields=["status"])
            messages.info(request, _("Import annulé : rien n'a été enregistré."))
    return redirect("crm:import-list")


@permission_required(permissions.can_import)
@require_POST
def import_retry(request, pk):
    """Start the preview again: of a failed batch (nothing was written), or of a preview
    stuck since its worker stopped."""
    with transaction.atomic():
        batch = get_object_or_404(ImportBatch.objects.select_for_update(), pk=pk)
        if batch.status != ImportStatus.FAILED and not batch.is_stuck:
            messages.warning(request, _("Cet import n'est ni bloqué ni en échec."))
            return redirect("crm:import-detail", pk=batch.pk)
        _mark_previewing(batch)
    tasks.start(batch, request.user, confirm=False)
    return redirect("crm:import-detail", pk=batch.pk)


@permission_required(permissions.can_import)
def import_refused(request, pk):
    """The refused rows as the office wrote them, plus an "Erreurs" column."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    report = ImportReport.from_dict(batch.result or batch.preview)
    content = refused_rows_csv(_table(batch), report)
    stem = batch.original_name.rsplit(".", 1)[0]
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    return set_download_name(response, f"{slugify(stem)}-refusees.csv")
