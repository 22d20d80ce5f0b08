from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from crm.core import permissions, roles
from crm.core.concurrency import StaleObjectError, conflict_context
from crm.core.forms import add_service_errors
from crm.core.lists import FilteredTableView
from followups import selectors, services
from followups.exports import csv_response, xlsx_response
from followups.filters import ContractFilter
from followups.forms import ContractForm, MonthForm, PurchaseOrderForm
from followups.forms_certification import CertifyForm, RevokeForm
from followups.models import Contract, PurchaseOrder, ServiceCertification
from followups.tables import ContractTable


class ContractListView(FilteredTableView):
    title = gettext_lazy("Marchés du prestataire")
    model = Contract
    table_class = ContractTable
    filterset_class = ContractFilter
    template_name = "followups/contract_list.html"
    default_ordering = ("-start_date", "pk")

    def scoped_queryset(self):
        return Contract.objects.visible_to(self.request.user).select_related("provider")


@login_required
def contract_detail(request, pk):
    contract = get_object_or_404(
        Contract.objects.visible_to(request.user).select_related("provider"), pk=pk
    )
    return render(
        request,
        "followups/contract_detail.html",
        {
            "contract": contract,
            "prices": contract.prices.all(),
            "summary": selectors.contract_summary(contract, user=request.user),
            "orders": contract.orders.prefetch_related("lines").order_by("-issued_on", "pk"),
            "is_officer": roles.is_officer(request.user),
            "is_coach": roles.is_coach(request.user),
        },
    )


def get_order_for(user, pk) -> PurchaseOrder:
    return get_object_or_404(
        PurchaseOrder.objects.filter(contract__in=Contract.objects.visible_to(user)).select_related(
            "contract__provider"
        ),
        pk=pk,
    )


@login_required
def order_statement(request, pk):
    """The monthly statement of a purchase order, on screen or as CSV / XLSX."""
    order = get_order_for(request.user, pk)
    month_form = MonthForm(request.GET or None)
    month = month_form.month_or_current()
    statement = selectors.order_statement(order, month, user=request.user)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        header = [_("Unité d'œuvre"), _("Prix unitaire (€)"), _("Quantité commandée")]
        header += [_("Consommé dans le mois"), _("Montant du mois (€)")]
        header += [_("Consommé à date"), _("Reste (quantité)"), _("Reste (€)")]
        rows = [
            [
                str(line["label"]),
                line["price"],
                line["ordered"],
                line["month_quantity"],
                line["month_amount"],
                line["to_date"],
                line["remaining"],
                line["remaining_amount"],
            ]
            for line in statement["lines"]
        ]
        rows.append([_("Total"), "", "", "", statement["month_amount"], "", "", ""])
        filename = f"etat-{order.number}-{month:%Y-%m}"
        if export == "csv":
            return csv_response(filename, header, rows)
        return xlsx_response(filename, header, rows, title=f"{order.number} {month:%m-%Y}")
    certifications = selectors.order_certifications(order, month)
    return render(
        request,
        "followups/order_statement.html",
        {
            "order": order,
            "statement": statement,
            # A refused month keeps its message on the field; the current month is shown.
            "month_form": month_form if month_form.errors else MonthForm(initial={"month": month}),
            "month": month,
            "certification": certifications["current"],
            "certifications": certifications,
            "in_contract": order.contract.covers_month(month),
            "can_certify": permissions.can_run_programme(request.user),
            "is_officer": roles.is_officer(request.user),
        },
    )


@login_required
@require_POST
def order_certify(request, pk):
    order = get_order_for(request.user, pk)
    permissions.require(permissions.can_run_programme(request.user))
    form = CertifyForm(request.POST, order=order)
    if not form.is_valid():
        for error in form.errors.get("month", form.non_field_errors()):
            messages.error(request, _label(form, "month", error))
        month = MonthForm(request.POST).month_or_current()
        return redirect(f"{order_statement_url(order)}?month={month:%Y-%m}")
    month = form.cleaned_data["month"]
    try:
        services.service_certify(order=order, month=month, by=request.user)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            for message in errors:
                messages.error(request, _label(form, field, message))
    else:
        messages.success(
            request, _("Service fait certifié pour %(month)s.") % {"month": f"{month:%m/%Y}"}
        )
    return redirect(f"{order_statement_url(order)}?month={month:%Y-%m}")


def _label(form, field: str, message: str) -> str:
    """A refusal shown as a message names its field ("Mois : …")."""
    if field not in form.fields:
        return message
    separator = pgettext("label separator", " : ")
    return f"{form.fields[field].label}{separator}{message}"


def get_certification_for(user, pk) -> ServiceCertification:
    return get_object_or_404(
        ServiceCertification.objects.filter(
            order__contract__in=Contract.objects.visible_to(user)
        ).select_related("order__contract", "certified_by", "revoked_by"),
        pk=pk,
    )


@login_required
def certification_revoke(request, pk):
    """Revoke a certification of the service done, with a reason (officers only): a
    confirmation page, then the revocation, recorded on the certification."""
    certification = get_certification_for(request.user, pk)
    permissions.require(permissions.can_run_programme(request.user))
    order = certification.order
    back = f"{order_statement_url(order)}?month={certification.month:%Y-%m}"
    if certification.revoked_at is not None:
        messages.info(request, _("Cette certification est déjà annulée."))
        return redirect(back)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_revoke(
                certification=certification, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("La certification de %(month)s est annulée.")
                % {"month": f"{certification.month:%m/%Y}"},
            )
            return redirect(back)
    return render(
        request,
        "followups/certification_revoke.html",
        {"form": form, "certification": certification, "order": order, "back": back},
        status=400 if form.is_bound else 200,
    )


def order_statement_url(order) -> str:
    from django.urls import reverse

    return reverse("followups:order-statement", args=[order.pk])


def _officer_or_403(user) -> None:
    permissions.require(permissions.can_run_programme(user))


@login_required
def contract_form(request, pk=None):
    """Create or edit a contract with its unit prices (officers only; whoever cannot see
    the contract gets 404, whoever sees it without being an officer 403)."""
    contract = get_object_or_404(Contract.objects.visible_to(request.user), pk=pk) if pk else None
    _officer_or_403(request.user)
    form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_save(
                contract=form.instance,
                prices=form.prices(),
                by=request.user,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleObjectError as stale:
            context = {"contract": contract, **conflict_context(form, stale.current)}
            return render(request, "followups/contract_form.html", context, status=409)
        else:
            messages.success(request, _("Le marché est enregistré."))
            return redirect("followups:contract-detail", pk=contract.pk)
    return render(
        request,
        "followups/contract_form.html",
        {"form": form, "contract": contract},
    )


@login_required
def order_form(request, contract_pk=None, pk=None):
    """Create or edit a purchase order with its quantities (officers only)."""
    if pk:
        order = get_order_for(request.user, pk)
        contract = order.contract
    else:
        order = None
        contract = get_object_or_404(Contract.objects.visible_to(request.user), pk=contract_pk)
    _officer_or_403(request.user)
    form = PurchaseOrderForm(request.POST or None, instance=order, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_save(
                order=form.instance,
                lines=form.lines(),
                by=request.user,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleObjectError as stale:
            context = conflict_context(form, stale.current, form_kwargs={"contract": contract})
            return render(
                request,
                "followups/order_form.html",
                {
                    **context,
                    "order": order,
                    "contract": contract,
                    "summary": selectors.contract_summary(contract, user=request.user),
                },
                status=409,
            )
        else:
            messages.success(request, _("Le bon de commande est enregistré."))
            return redirect("followups:contract-detail", pk=contract.pk)
    return render(
        request,
        "followups/order_form.html",
        {
            "form": form,
            "order": order,
            "contract": contract,
            "summary": selectors.contract_summary(contract, user=request.user),
        },
    )
