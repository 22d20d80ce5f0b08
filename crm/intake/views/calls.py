"""Pages to run a call for projects: editions, applications, scoring, committee decisions,
notification letters. Officers run them; managers read them; coaches have no access."""

from decimal import Decimal

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.core import permissions
from crm.core.bounds import DATE_MAX, DATE_MIN
from crm.core.concurrency import StaleObjectError, conflict_context, save_form_if_unchanged
from crm.core.forms import add_service_errors
from crm.core.lists import FilteredTableView, ListFilterSet, ListTable, text_search
from crm.core.permissions import PermissionRequiredMixin, permission_required
from crm.intake import selectors as calls_selectors
from crm.intake.forms.calls import (
    ApplicationCreateForm,
    CallForm,
    DecisionForm,
    PaymentForm,
    ScoreForm,
)
from crm.intake.services import calls as calls_services
from crm.models import (
    Application,
    Call,
    CommitteeDecision,
    Commune,
    CommuneOpinion,
    Sector,
)

# Officers run the calls; managers read them; a POST always needs the right to run them.
calls_reader = permission_required(permissions.can_read_calls, for_post=permissions.can_run_calls)
calls_writer = permission_required(permissions.can_run_calls)


class CallReaderMixin(PermissionRequiredMixin):
    permission = staticmethod(permissions.can_read_calls)


class EurosColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return calls_services.euros(value)


# --- Calls ----------------------------------------------------------------------------------


class CallTable(ListTable):
    year = tables.LinkColumn(
        "crm:call-detail", args=[tables.A("pk")], verbose_name=gettext_lazy("Édition")
    )
    title = tables.Column(verbose_name=gettext_lazy("Titre"))
    opens_on = tables.DateColumn(verbose_name=gettext_lazy("Ouverture"), format="d/m/Y")
    closes_on = tables.DateColumn(verbose_name=gettext_lazy("Clôture"), format="d/m/Y")
    applications_count = tables.Column(
        verbose_name=gettext_lazy("Candidatures"), attrs={"td": {"class": "num"}}
    )
    envelope = EurosColumn(verbose_name=gettext_lazy("Enveloppe"))
    awarded = EurosColumn(verbose_name=gettext_lazy("Attribué"))
    left = EurosColumn(verbose_name=gettext_lazy("Reste"), orderable=False, empty_values=())

    class Meta(ListTable.Meta):
        model = Call
        fields = ["year", "title", "opens_on", "closes_on", "applications_count", "envelope"]
        sequence = [
            "year",
            "title",
            "opens_on",
            "closes_on",
            "applications_count",
            "envelope",
            "awarded",
            "left",
        ]
        caption_id = "calls-caption"

    def render_left(self, record):
        return calls_services.euros(record.envelope - record.awarded)


class CallFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Recherche"), field_name="title", lookup_expr="icontains"
    )
    year = django_filters.NumberFilter(
        label=gettext_lazy("Édition (année)"), min_value=DATE_MIN.year, max_value=DATE_MAX.year
    )

    class Meta:
        model = Call
        fields: list[str] = []


class CallListView(CallReaderMixin, FilteredTableView):
    title = gettext_lazy("Appels à projets")
    model = Call
    table_class = CallTable
    filterset_class = CallFilter
    template_name = "calls/call_list.html"
    default_ordering = ("-year", "pk")

    def scoped_queryset(self):
        per_call = Application.objects.filter(call=OuterRef("pk")).values("call")
        awarded = per_call.annotate(total=Sum("amount_awarded")).values("total")
        count = per_call.annotate(n=Count("pk")).values("n")
        money = DecimalField(max_digits=12, decimal_places=2)
        return Call.objects.visible_to(self.request.user).annotate(
            awarded=Coalesce(
                Subquery(awarded, output_field=money), Value(Decimal(0)), output_field=money
            ),
            applications_count=Coalesce(Subquery(count), Value(0)),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_run_calls(self.request.user)
        return context


def _call_for(user, pk) -> Call:
    return get_object_or_404(Call.objects.visible_to(user), pk=pk)


@calls_reader
def call_detail(request, pk):
    call = _call_for(request.user, pk)
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "figures": calls_selectors.call_envelope(call),
            "results": calls_selectors.call_results(call),
            "can_edit": permissions.can_run_calls(request.user),
        },
    )


@calls_writer
def call_edit(request, pk=None):
    call = _call_for(request.user, pk) if pk else None
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            call = save_form_if_unchanged(form)
        except StaleObjectError as stale:
            context = {"call": call, **conflict_context(form, stale.current)}
            return render(request, "calls/call_form.html", context, status=409)
        messages.success(request, _("Appel à projets enregistré."))
        return redirect("crm:call-detail", pk=call.pk)
    return render(
        request,
        "calls/call_form.html",
        {"form": form, "call": call},
        status=400 if form.is_bound else 200,
    )


# --- Applications of a call -------------------------------------------------------------------


class CallApplicationTable(ListTable):
    project = tables.LinkColumn(
        "crm:call-application-detail",
        args=[tables.A("pk")],
        verbose_name=gettext_lazy("Projet"),
        order_by=("project__name",),
    )
    commune = tables.Column(
        verbose_name=gettext_lazy("Commune"),
        accessor="project__commune__name",
        order_by=("project__commune__name",),
        default="—",
    )
    sector = tables.Column(
        verbose_name=gettext_lazy("Secteur"), accessor="project__sector", default="—"
    )
    amount_requested = EurosColumn(verbose_name=gettext_lazy("Demandé"))
    commune_opinion = tables.Column(verbose_name=gettext_lazy("Avis de la commune"), default="—")
    score_total = tables.Column(
        verbose_name=gettext_lazy("Note /20"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    decision = tables.Column(verbose_name=gettext_lazy("Décision"))
    amount_awarded = EurosColumn(verbose_name=gettext_lazy("Attribué"))

    class Meta(ListTable.Meta):
        model = Application
        fields = [
            "project",
            "commune",
            "sector",
            "amount_requested",
            "commune_opinion",
            "score_total",
            "decision",
            "amount_awarded",
        ]
        caption_id = "call-applications-caption"

    def render_sector(self, record):
        return record.project.get_sector_display() or "—"


class CallApplicationFilter(ListFilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Recherche"), method="search")
    commune = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Commune"), field_name="project__commune", queryset=Commune.objects.all()
    )
    sector = django_filters.ChoiceFilter(
        label=gettext_lazy("Secteur"), field_name="project__sector", choices=Sector.choices
    )
    decision = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Décision"),
        choices=CommitteeDecision.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    commune_opinion = django_filters.ChoiceFilter(
        label=gettext_lazy("Avis de la commune"), choices=CommuneOpinion.choices
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(text_search(["project__name"], value))


class CallApplicationListView(CallReaderMixin, FilteredTableView):
    model = Application
    table_class = CallApplicationTable
    filterset_class = CallApplicationFilter
    template_name = "calls/application_list.html"
    default_ordering = ("project__name", "pk")

    def dispatch(self, request, *args, **kwargs):
        self.call = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.call = _call_for(request.user, kwargs["pk"])
        self.title = _("Candidatures – %(call)s") % {"call": self.call}
        return super().get(request, *args, **kwargs)

    def scoped_queryset(self):
        return (
            Application.objects.visible_to(self.request.user)
            .filter(call=self.call)
            .select_related("project__commune")
            .with_total_score()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["call"] = self.call
        context["figures"] = calls_selectors.call_envelope(self.call)
        context["can_edit"] = permissions.can_run_calls(self.request.user)
        return context


@calls_writer
def application_create(request, pk):
    call = _call_for(request.user, pk)
    form = ApplicationCreateForm(request.POST or None, user=request.user, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            application = calls_services.call_application_create(
                call=call,
                project=form.cleaned_data["project"],
                amount_requested=form.cleaned_data["amount_requested"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Candidature ajoutée à l'appel."))
            return redirect("crm:call-application-detail", pk=application.pk)
    return render(
        request,
        "calls/application_create.html",
        {"form": form, "call": call},
        status=400 if form.is_bound else 200,
    )


def _application_for(user, pk) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(user).select_related(
            "call", "project__commune", "project__organisation", "decided_by"
        ),
        pk=pk,
    )


def _application_page(
    request, application, *, score=None, decision=None, payment=None, status=200, extra=None
):
    figures = calls_selectors.call_envelope(application.call)
    left_for_this = figures["left"] + application.amount_awarded
    return render(
        request,
        "calls/application_detail.html",
        {
            **(extra or {}),
            "application": application,
            "call": application.call,
            "figures": figures,
            "left_for_this": left_for_this,
            "can_edit": permissions.can_run_calls(request.user),
            "score_form": score or ScoreForm(instance=application),
            "decision_form": decision
            or DecisionForm(
                initial={
                    "decision": application.decision,
                    "amount_awarded": application.amount_awarded or None,
                },
                record=application,
            ),
            "payment_form": payment
            or PaymentForm(
                initial={
                    "first_payment_on": application.first_payment_on,
                    "balance_paid_on": application.balance_paid_on,
                },
                record=application,
            ),
        },
        status=status,
    )


@calls_reader
def application_detail(request, pk):
    return _application_page(request, _application_for(request.user, pk))


def _post_form(request, pk, make_form, form_key, service, success):
    """One of the application page's forms (`make_form(application)`), saved by `service`
    with the version the page was loaded with; a stale one answers 409 with both versions."""
    application = _application_for(request.user, pk)
    form = make_form(application)
    if form.is_valid():
        try:
            service(application, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleObjectError as stale:
            context = conflict_context(form, stale.current)
            retry = context.pop("form")
            current = _application_for(request.user, pk)
            return _application_page(
                request, current, status=409, extra=context, **{form_key: retry}
            )
        else:
            messages.success(request, success)
            return redirect("crm:call-application-detail", pk=application.pk)
    return _application_page(request, application, status=400, **{form_key: form})


@calls_writer
def application_score(request, pk):
    if request.method != "POST":
        return redirect("crm:call-application-detail", pk=pk)
    return _post_form(
        request,
        pk,
        # A copy: a refused form must not change the application the page shows.
        lambda app: ScoreForm(request.POST, instance=Application.objects.get(pk=app.pk)),
        "score",
        lambda app, data: calls_services.call_application_score(
            application=app,
            by=request.user,
            expected_version=data["version"],
            **{name: data[name] for name in ScoreForm.Meta.fields},
        ),
        _("Grille d'évaluation enregistrée."),
    )


@calls_writer
def application_decide(request, pk):
    if request.method != "POST":
        return redirect("crm:call-application-detail", pk=pk)
    return _post_form(
        request,
        pk,
        lambda app: DecisionForm(request.POST, record=app),
        "decision",
        lambda app, data: calls_services.call_application_decide(
            application=app,
            by=request.user,
            expected_version=data["version"],
            decision=data["decision"],
            amount_awarded=data["amount_awarded"] or Decimal(0),
        ),
        _("Décision du comité enregistrée."),
    )


@calls_writer
def application_payments(request, pk):
    if request.method != "POST":
        return redirect("crm:call-application-detail", pk=pk)
    return _post_form(
        request,
        pk,
        lambda app: PaymentForm(request.POST, record=app),
        "payment",
        lambda app, data: calls_services.call_application_record_payments(
            application=app,
            by=request.user,
            expected_version=data["version"],
            first_payment_on=data["first_payment_on"],
            balance_paid_on=data["balance_paid_on"],
        ),
        _("Versements enregistrés."),
    )
