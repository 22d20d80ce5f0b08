"""The public registration form and the officers' triage of applications."""

import logging

import django_filters
import django_tables2 as tables
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm.core import permissions
from crm.core.concurrency import StaleObjectError, conflict_context
from crm.core.forms import add_service_errors
from crm.core.lists import FilteredTableView, ListFilterSet, ListTable, text_search
from crm.core.permissions import PermissionRequiredMixin, permission_required
from crm.intake import antiabuse
from crm.intake.forms.registration import (
    AcceptForm,
    DeclineForm,
    RedirectForm,
    RegistrationForm,
    min_seconds,
)
from crm.intake.services import registration as registration_services
from crm.intake.services import triage
from crm.models import (
    Commune,
    Project,
    ProjectMember,
    Registration,
    Sector,
    Source,
    StageChange,
    Status,
    TriageDecision,
)
from crm.security.network import client_address

logger = logging.getLogger("crm.registration")

NEUTRAL_REFUSAL = gettext_lazy(
    "Votre demande n'a pas pu être enregistrée pour le moment. Vérifiez le formulaire, "
    "patientez quelques instants puis envoyez-le à nouveau. Si le problème persiste, "
    "écrivez-nous."
)


# --- Public registration -----------------------------------------------------------------


def _client_address(request) -> str:
    # The same address the login throttle counts: behind a proxy (BEHIND_PROXY), the
    # client's, not the proxy's, or every visitor would share one limit.
    return client_address(request) or "unknown"


def _refusal_reason(request, form_data) -> str | None:
    if antiabuse.over_rate_limit(_client_address(request)):
        return "rate_limit"
    if form_data.get("website", "").strip():
        return "honeypot"
    token = antiabuse.read_token(form_data.get("started", ""))
    if token is None:
        return "bad_token"
    if token.seconds_open < min_seconds():
        return "too_fast"
    return None


# The registration service names two fields as the models do; the public form as the
# entrepreneur reads them.
REGISTRATION_ALIASES = {"name": "project_name", "summary": "description"}


def _render_form(request, form, *, refused=False, already_sent=False, status=200):
    return render(
        request,
        "registration_public/form.html",
        {
            "form": form,
            "refused": refused,
            "refusal_message": NEUTRAL_REFUSAL,
            "already_sent": already_sent,
            "dpo_contact": settings.DPO_CONTACT,
        },
        status=status,
    )


def _fresh_form():
    return RegistrationForm(initial={"started": antiabuse.started_token()})


def _already_sent(request):
    """The form's token was used by a recorded registration (a second click, the back
    button, a replay): say so, and offer an empty form for another request."""
    logger.info("Registration refused (token_reused) from %s", _log_key(request))
    return _render_form(request, _fresh_form(), already_sent=True, status=409)


def _log_key(request) -> str:
    return antiabuse.rate_key(_client_address(request))


def registration_form(request):
    """GET: the empty form with a fresh start token. POST: anti-abuse checks first (neutral
    refusal, logged), then validation (errors next to each field), then the service; the
    token is consumed when the registration is recorded, so a form is recorded once."""
    if request.method != "POST":
        return _render_form(request, _fresh_form())

    reason = _refusal_reason(request, request.POST)
    if reason:
        logger.warning("Registration refused (%s) from %s", reason, _log_key(request))
        data = request.POST.copy()
        # A new token: a person refused for filling too fast can send again a moment later.
        data["started"] = antiabuse.started_token()
        data["website"] = ""
        form = RegistrationForm(data)
        form.errors.clear()  # only the neutral message, nothing that helps a robot
        return _render_form(request, form, refused=True)

    token = antiabuse.read_token(request.POST["started"])
    if antiabuse.token_used(token):
        return _already_sent(request)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        # Consumed before recording: of two simultaneous submissions, one only goes on.
        if not antiabuse.consume_token(token):
            return _already_sent(request)
        try:
            registration_services.registration_submit(**form.service_kwargs())
        except BaseException as error:
            # Nothing recorded: the same form, corrected, may be sent again.
            antiabuse.release_token(token)
            if not isinstance(error, ValidationError):
                raise
            add_service_errors(form, error, REGISTRATION_ALIASES)
        else:
            return redirect("registration:thanks")
    return _render_form(request, form)


def registration_thanks(request):
    return render(request, "registration_public/thanks.html", {"dpo_contact": settings.DPO_CONTACT})


# --- Triage --------------------------------------------------------------------------------


class TriagePermissionMixin(PermissionRequiredMixin):
    permission = staticmethod(permissions.can_triage)


class FlagColumn(tables.Column):
    def render(self, record):
        flags = []
        if getattr(record, "to_reconcile", False):
            flags.append(_("À rapprocher"))
        if getattr(record, "person_matched", False):
            flags.append(_("Personne déjà connue"))
        if getattr(record, "organisation_matched", False):
            flags.append(_("Structure déjà connue"))
        if getattr(record, "duplicate_people", False) or getattr(
            record, "duplicate_organisations", False
        ):
            flags.append(_("Doublon possible"))
        if not flags:
            return "—"
        items = format_html_join("", "<li class='flag'>{}</li>", ((flag,) for flag in flags))
        return format_html("<ul class='flag-list'>{}</ul>", items)


class ApplicationTable(ListTable):
    received_at = tables.DateColumn(verbose_name=gettext_lazy("Reçue le"), format="d/m/Y")
    name = tables.LinkColumn(
        "crm:triage-detail", args=[tables.A("pk")], verbose_name=gettext_lazy("Projet")
    )
    lead = tables.Column(
        verbose_name=gettext_lazy("Porteur·se"), accessor="lead_name", orderable=False, default="—"
    )
    commune = tables.Column(verbose_name=gettext_lazy("Commune"), order_by=("commune__name",))
    sector = tables.Column(verbose_name=gettext_lazy("Secteur"))
    stage = tables.Column(verbose_name=gettext_lazy("Étape"))
    source = tables.Column(verbose_name=gettext_lazy("Origine"))
    flags = FlagColumn(verbose_name=gettext_lazy("À vérifier"), empty_values=(), orderable=False)

    class Meta(ListTable.Meta):
        model = Project
        fields = ["received_at", "name", "lead", "commune", "sector", "stage", "source", "flags"]
        caption_id = "applications-caption"


class ApplicationFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Recherche"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Projet, porteur·se")}),
    )
    commune = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Commune"), queryset=Commune.objects.all()
    )
    sector = django_filters.ChoiceFilter(label=gettext_lazy("Secteur"), choices=Sector.choices)
    source = django_filters.ChoiceFilter(label=gettext_lazy("Origine"), choices=Source.choices)
    flagged = django_filters.BooleanFilter(
        label=gettext_lazy("Doublon possible"),
        method="filter_flagged",
        widget=forms.Select(
            choices=[
                ("", gettext_lazy("Indifférent")),
                ("true", gettext_lazy("Oui")),
                ("false", gettext_lazy("Non")),
            ]
        ),
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def search(self, queryset, name, value):
        conditions = Q()
        for word in value.split():
            people = ProjectMember.objects.filter(project=OuterRef("pk")).filter(
                text_search(["person__first_name", "person__last_name", "person__email"], word)
            )
            conditions &= text_search(["name"], word) | Q(Exists(people))
        return queryset.filter(conditions)

    def filter_flagged(self, queryset, name, value):
        flagged = Q(duplicate_people=True) | Q(duplicate_organisations=True)
        return queryset.filter(flagged if value else ~flagged)


def _duplicate_annotations() -> dict:
    """Whether the registration flagged possible duplicates (two EXISTS subqueries)."""
    people = Registration.possible_duplicate_people.through.objects.filter(
        registration__project=OuterRef("pk")
    )
    organisations = Registration.possible_duplicate_organisations.through.objects.filter(
        registration__project=OuterRef("pk")
    )
    return {"duplicate_people": Exists(people), "duplicate_organisations": Exists(organisations)}


class TriageListView(TriagePermissionMixin, FilteredTableView):
    title = gettext_lazy("Candidatures à traiter")
    model = Project
    table_class = ApplicationTable
    filterset_class = ApplicationFilter
    template_name = "registration_public/triage_list.html"
    default_ordering = ("-received_at", "pk")

    def scoped_queryset(self):
        lead_name = ProjectMember.objects.filter(project=OuterRef("pk"), is_lead=True).values(
            full_name=Concat("person__first_name", Value(" "), "person__last_name")
        )[:1]
        return (
            Project.objects.visible_to(self.request.user)
            .current()
            .filter(status=Status.APPLICANT)
            .select_related("commune", "registration")
            .annotate(
                lead_name=Subquery(lead_name),
                # Applications entered by hand or imported have no online registration.
                received_at=Coalesce("registration__submitted_at", "created_at"),
                person_matched=F("registration__person_matched"),
                organisation_matched=F("registration__organisation_matched"),
                to_reconcile=ExpressionWrapper(
                    Q(registration__person_to_reconcile=True)
                    | Q(registration__organisation_to_reconcile=True),
                    output_field=BooleanField(),
                ),
                **_duplicate_annotations(),
            )
        )


def _applicant_for(user, pk) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(user).select_related("commune", "organisation", "officer"),
        pk=pk,
    )


def _detail_context(project, *, accept=None, redirect_form=None, decline=None, user=None):
    registration = (
        Registration.objects.filter(project=project)
        .select_related("person__commune")
        .prefetch_related("possible_duplicate_people", "possible_duplicate_organisations")
        .first()
    )
    members = project.members.select_related("person__commune").order_by("-is_lead", "pk")
    return {
        "project": project,
        "registration": registration,
        "members": members,
        "decisions": TriageDecision.objects.filter(project=project).select_related("by", "partner"),
        "history": StageChange.objects.filter(project=project).select_related("by"),
        "is_pending": project.status == Status.APPLICANT,
        "accept_form": accept or AcceptForm(user=user, record=project),
        "redirect_form": redirect_form or RedirectForm(record=project),
        "decline_form": decline or DeclineForm(record=project),
        # The same entrepreneurs' other projects: an officer checks them before deciding.
        "other_projects": Project.objects.filter(members__person__in=[m.person_id for m in members])
        .exclude(pk=project.pk)
        .distinct()
        .order_by("name", "pk")[:10],
    }


@permission_required(permissions.can_triage)
def triage_detail(request, pk):
    project = _applicant_for(request.user, pk)
    return render(
        request,
        "registration_public/triage_detail.html",
        _detail_context(project, user=request.user),
    )


def _decide(request, pk, form_class, form_key, service):
    project = _applicant_for(request.user, pk)
    form_kwargs = {"user": request.user} if form_class is AcceptForm else {}
    form = form_class(request.POST, record=project, **form_kwargs)
    if form.is_valid():
        try:
            decision = service(project, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleObjectError as stale:
            # The project changed since the page was loaded: no decision, both versions.
            conflict = conflict_context(form, stale.current, form_kwargs=form_kwargs)
            current = _applicant_for(request.user, pk)
            context = _detail_context(
                current, user=request.user, **{form_key: conflict.pop("form")}
            )
            return render(
                request,
                "registration_public/triage_detail.html",
                {**context, **conflict},
                status=409,
            )
        else:
            text = _("Décision enregistrée : %(outcome)s.") % {
                "outcome": decision.get_outcome_display()
            }
            if decision.applicant_emailed:
                text += " " + _("Un courriel a été envoyé au porteur ou à la porteuse.")
            messages.success(request, text)
            return redirect("crm:triage-list")
    context = _detail_context(project, user=request.user, **{form_key: form})
    return render(request, "registration_public/triage_detail.html", context, status=400)


@require_POST
@permission_required(permissions.can_triage)
def triage_accept(request, pk):
    return _decide(
        request,
        pk,
        AcceptForm,
        "accept",
        lambda project, data: triage.application_accept(
            project=project,
            by=request.user,
            expected_version=data["version"],
            officer=data["officer"],
            coach=data["coach"],
            hours_allocated=data["hours_allocated"],
            note=data["note"],
            cohort=data.get("cohort"),
        ),
    )


@require_POST
@permission_required(permissions.can_triage)
def triage_redirect(request, pk):
    return _decide(
        request,
        pk,
        RedirectForm,
        "redirect_form",
        lambda project, data: triage.application_redirect(
            project=project,
            by=request.user,
            expected_version=data["version"],
            partner=data["partner"],
            reason=data["reason"],
            notify_applicant=data["notify_applicant"],
        ),
    )


@require_POST
@permission_required(permissions.can_triage)
def triage_decline(request, pk):
    return _decide(
        request,
        pk,
        DeclineForm,
        "decline",
        lambda project, data: triage.application_decline(
            project=project,
            by=request.user,
            expected_version=data["version"],
            reason=data["reason"],
            exit_reason=data["exit_reason"],
        ),
    )
