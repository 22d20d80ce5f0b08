"""Grants as money: convention, instalments and the payment schedule for finance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.core import permissions
from crm.core.bounds import DATE_MAX, DATE_MIN
from crm.core.exports import stream_csv, write_xlsx
from crm.core.permissions import permission_required
from crm.core.spreadsheets import set_download_name
from crm.intake import selectors
from crm.intake.forms.grants import ConventionForm, InstalmentForm, InstalmentPayForm
from crm.intake.services import grants
from crm.models import Application, GrantInstalment

calls_reader = permission_required(permissions.can_read_calls)
calls_writer = permission_required(permissions.can_run_calls)


def grant_context(application, *, can_edit: bool, convention=None) -> dict:
    """The money part of the application page: convention, instalments, remaining to pay
    (two queries)."""
    instalments = list(application.instalments.order_by("due_on", "pk"))
    paid = sum((i.amount for i in instalments if i.paid_on), start=0)
    context = {
        "instalments": instalments,
        "paid_total": paid,
        "remaining_to_pay": application.amount_awarded - paid,
    }
    if can_edit:
        context["convention_form"] = convention or ConventionForm(
            initial={
                "convention_number": application.convention_number,
                "convention_signed_on": application.convention_signed_on,
            },
            record=application,
        )
        context["instalment_form"] = InstalmentForm()
        for instalment in instalments:
            if not instalment.paid_on:
                instalment.pay_form = InstalmentPayForm(prefix=f"pay{instalment.pk}")
    return context


def _refused(request, form_or_error):
    """Each refusal as a message naming its field."""
    if isinstance(form_or_error, ValidationError):
        errors = form_or_error.message_dict.items()
        labels = {}
    else:
        errors = form_or_error.errors.items()
        labels = {name: field.label for name, field in form_or_error.fields.items()}
    for name, texts in errors:
        for text in texts:
            label = labels.get(name)
            messages.error(request, f"{label} : {text}" if label else text)


def _application(user, pk) -> Application:
    return get_object_or_404(Application.objects.visible_to(user), pk=pk)


@require_POST
@calls_writer
def instalment_create(request, pk):
    application = _application(request.user, pk)
    form = InstalmentForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
    else:
        try:
            grants.grant_instalment_add(
                application=application, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Versement ajouté à l'échéancier."))
    return redirect("crm:call-application-detail", pk=application.pk)


@require_POST
@calls_writer
def instalment_pay(request, pk):
    instalment = get_object_or_404(GrantInstalment.objects.visible_to(request.user), pk=pk)
    form = InstalmentPayForm(request.POST, prefix=f"pay{instalment.pk}")
    if not form.is_valid():
        _refused(request, form)
    else:
        try:
            grants.grant_instalment_pay(instalment=instalment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Versement enregistré comme payé."))
    return redirect("crm:call-application-detail", pk=instalment.application_id)


def _year(request) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if DATE_MIN.year <= year <= DATE_MAX.year else None


def _schedule_rows(instalments):
    yield [
        _("Mois"),
        _("Projet"),
        _("Appel"),
        _("Convention"),
        _("Montant (€)"),
        _("Échéance"),
        _("Versé le"),
        _("Référence du paiement"),
    ]
    for i in instalments:
        application = i.application
        yield [
            i.month.strftime("%m/%Y"),
            application.project.name,
            str(application.call),
            application.convention_number,
            i.amount,
            i.due_on,
            i.paid_on,
            i.payment_reference,
        ]


@calls_reader
def payment_schedule(request):
    """The instalments by month, on screen and as CSV or XLSX for the finance department
    (one query for the instalments, whatever their number)."""
    year = _year(request)
    instalments = selectors.payment_schedule(request.user, year=year)
    fmt = request.GET.get("format")
    name = f"echeancier-subventions-{year}" if year else "echeancier-subventions"
    if fmt == "csv":
        response = StreamingHttpResponse(
            stream_csv(_schedule_rows(instalments.iterator())),
            content_type="text/csv; charset=utf-8",
        )
        return set_download_name(response, f"{name}.csv")
    if fmt == "xlsx":
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        write_xlsx(_schedule_rows(instalments.iterator()), response)
        return set_download_name(response, f"{name}.xlsx")
    return render(
        request,
        "calls/payment_schedule.html",
        {"months": selectors.schedule_months(instalments), "year": year},
    )
