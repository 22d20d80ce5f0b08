"""Elimination lists (bordereaux d'élimination): drawn up, downloaded, approved by the
archives service or transferred to it, then carried out (contacts.gdpr.archives)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from contacts.gdpr import archives
from contacts.gdpr.forms import ApprovalForm
from contacts.gdpr.tables import EliminationFilter, EliminationTable
from contacts.models import EliminationList, EliminationStatus
from crm.core import permissions
from crm.core.forms import add_service_errors
from crm.core.lists import FilteredTableView
from crm.core.permissions import PermissionRequiredMixin, permission_required
from crm.models import AccessEventKind
from crm.security.audit import log_access_event


class EliminationListView(PermissionRequiredMixin, FilteredTableView):
    permission = staticmethod(permissions.can_manage_retention)
    title = gettext_lazy("Bordereaux d'élimination")
    template_name = "contacts/archives.html"
    model = EliminationList
    table_class = EliminationTable
    filterset_class = EliminationFilter
    default_ordering = ("-created_at", "-pk")

    def scoped_queryset(self):
        return EliminationList.objects.all()


@login_required
@require_POST
@permission_required(permissions.can_manage_retention)
def elimination_propose_view(request):
    created = archives.elimination_propose(today=timezone.localdate(), by=request.user)
    if created:
        messages.success(
            request,
            _("%(n)s bordereau(x) établi(s) : transmettez-les au service d'archives pour visa.")
            % {"n": len(created)},
        )
    else:
        messages.info(request, _("Aucun dossier n'arrive à échéance aujourd'hui."))
    return redirect("contacts:archives")


def _detail(request, elimination, form, status=200):
    return render(
        request,
        "contacts/archives_detail.html",
        {
            "elimination": elimination,
            "typology": archives.typology(elimination.rule),
            "basis": archives.basis(elimination.rule),
            "form": form,
            "can_approve": elimination.status == EliminationStatus.PROPOSED,
            "can_execute": elimination.status in archives.READY,
        },
        status=status,
    )


@require_GET
@permission_required(permissions.can_manage_retention)
def elimination_detail(request, pk):
    elimination = get_object_or_404(EliminationList, pk=pk)
    return _detail(
        request, elimination, ApprovalForm(initial={"approved_on": timezone.localdate()})
    )


@login_required
@require_POST
@permission_required(permissions.can_manage_retention)
def elimination_approve_view(request, pk):
    elimination = get_object_or_404(EliminationList, pk=pk)
    form = ApprovalForm(request.POST)
    transfer = request.POST.get("action") == "transfer"
    if form.is_valid():
        record = archives.elimination_transfer if transfer else archives.elimination_approve
        try:
            record(
                elimination=elimination,
                approved_on=form.cleaned_data["approved_on"],
                reference=form.cleaned_data["reference"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Versement enregistré : le bordereau peut être exécuté.")
                if transfer
                else _("Visa enregistré : le bordereau peut être exécuté."),
            )
            return redirect(elimination)
    return _detail(request, elimination, form, status=400)


@login_required
@require_POST
@permission_required(permissions.can_manage_retention)
def elimination_execute_view(request, pk):
    elimination = get_object_or_404(EliminationList, pk=pk)
    try:
        erased, kept = archives.elimination_execute(
            elimination=elimination, today=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(erased)s dossier(s) anonymisé(s), %(kept)s conservé(s) (prolongation ou gel).")
            % {"erased": erased, "kept": kept},
        )
    return redirect(elimination)


# Each download: how the document is built, its type, and its file name.
DOCUMENTS = {
    "pdf": (archives.bordereau_pdf, "application/pdf", "bordereau-elimination-{pk}.pdf"),
    "csv": (archives.bordereau_csv, "text/csv; charset=utf-8", "bordereau-elimination-{pk}.csv"),
    "zip": (archives.transfer_zip, "application/zip", "versement-archives-{pk}.zip"),
}


def _download(request, pk, kind: str):
    """A document of the list, written to the access log (it may hold names: the transfer)."""
    elimination = get_object_or_404(EliminationList, pk=pk)
    build, content_type, pattern = DOCUMENTS[kind]
    name = pattern.format(pk=elimination.pk)
    content = build(elimination)
    log_access_event(
        kind=AccessEventKind.EXPORT, request=request, detail=f"{request.path} ({name})"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@permission_required(permissions.can_manage_retention)
def elimination_pdf(request, pk):
    return _download(request, pk, "pdf")


@require_GET
@permission_required(permissions.can_manage_retention)
def elimination_csv(request, pk):
    return _download(request, pk, "csv")


@require_GET
@permission_required(permissions.can_manage_retention)
def elimination_transfer_zip(request, pk):
    return _download(request, pk, "zip")
