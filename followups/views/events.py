from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from crm.core import permissions, roles
from crm.core.concurrency import StaleObjectError, conflict_context, save_form_if_unchanged
from crm.core.forms import add_service_errors
from crm.core.lists import FilteredTableView
from followups import selectors, services
from followups.filters import CohortFilter, EventFilter
from followups.forms import CohortForm, EventForm, RegistrationForm
from followups.models import Attendance, AttendanceStatus, Cohort, Event, Meeting
from followups.tables import CohortTable, EventTable


def get_event_for(user, pk) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(user).select_related("theme", "cohort", "order"), pk=pk
    )


class EventListView(FilteredTableView):
    title = gettext_lazy("Ateliers et temps d'information")
    model = Event
    table_class = EventTable
    filterset_class = EventFilter
    template_name = "followups/event_list.html"
    default_ordering = ("-start", "pk")

    def scoped_queryset(self):
        # A subquery, not a join with GROUP BY: the paginator's count then drops it and
        # counts the events alone, and only the page's 25 events are counted.
        registered = (
            Attendance.objects.filter(event=OuterRef("pk"))
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Event.objects.visible_to(self.request.user).annotate(
            registered=Coalesce(Subquery(registered), 0)
        )


def _attendances(event, user):
    return (
        Attendance.objects.visible_to(user)
        .filter(event=event)
        .select_related("person", "project")
        .order_by("person__last_name", "person__first_name", "pk")
    )


@login_required
def event_detail(request, pk):
    event = get_event_for(request.user, pk)
    is_officer = roles.is_officer(request.user)
    return render(
        request,
        "followups/event_detail.html",
        {
            "event": event,
            "partners": event.partners.all(),
            "attendances": _attendances(event, request.user),
            "statuses": AttendanceStatus.choices,
            "is_officer": is_officer,
            "form": RegistrationForm(user=request.user) if is_officer else None,
        },
    )


@login_required
def event_form(request, pk=None):
    if not permissions.can_run_programme(request.user):
        if pk:
            get_event_for(request.user, pk)
        raise PermissionDenied
    event = get_event_for(request.user, pk) if pk else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                event = save_form_if_unchanged(form)
                services.event_consume(event=event, by=request.user)
        except StaleObjectError as stale:
            context = {"event": event, **conflict_context(form, stale.current)}
            return render(request, "followups/event_form.html", context, status=409)
        messages.success(request, _("L'atelier est enregistré."))
        if event.cohort_id:
            warning = services.cohort_allocation_warning(event.cohort)
            if warning:
                messages.warning(request, warning)
        return redirect("followups:event-detail", pk=event.pk)
    return render(request, "followups/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_register(request, pk):
    event = get_event_for(request.user, pk)
    permissions.require(permissions.can_run_programme(request.user))
    form = RegistrationForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.attendance_record(
                event=event,
                person=form.cleaned_data["person"],
                project=form.cleaned_data["project"],
                status=form.cleaned_data["status"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Inscription enregistrée."))
            return redirect("followups:event-detail", pk=event.pk)
    else:
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for err in errs:
                separator = pgettext("label separator", " : ")
                messages.error(request, f"{label}{separator}{err}" if label else err)
    return redirect("followups:event-detail", pk=event.pk)


@login_required
@require_POST
def event_attendance(request, pk):
    """Record everyone's attendance at once from the event page."""
    event = get_event_for(request.user, pk)
    permissions.require(permissions.can_run_programme(request.user))
    changed = 0
    for attendance in _attendances(event, request.user):
        status = request.POST.get(f"status-{attendance.pk}")
        if status and status != attendance.status:
            services.attendance_record(
                event=event, person=attendance.person, status=status, by=request.user
            )
            changed += 1
    messages.success(
        request, _("Présences enregistrées (%(count)d modifiée(s)).") % {"count": changed}
    )
    return redirect("followups:event-detail", pk=event.pk)


@login_required
def event_sheet(request, pk):
    """The printable attendance sheet with a signature column (the EU fund asks for it)."""
    event = get_event_for(request.user, pk)
    return render(
        request,
        "followups/event_sheet.html",
        {
            "event": event,
            "partners": event.partners.all(),
            "attendances": _attendances(event, request.user),
            "blank_rows": range(5),
        },
    )


class CohortListView(FilteredTableView):
    title = gettext_lazy("Promotions")
    model = Cohort
    table_class = CohortTable
    filterset_class = CohortFilter
    template_name = "followups/cohort_list.html"
    default_ordering = ("-start_date", "pk")

    def scoped_queryset(self):
        return Cohort.objects.visible_to(self.request.user).annotate(
            project_count=Count("projects", distinct=True)
        )


@login_required
def cohort_detail(request, pk):
    from crm.models import Project

    cohort = get_object_or_404(
        Cohort.objects.visible_to(request.user).select_related("order"), pk=pk
    )
    return render(
        request,
        "followups/cohort_detail.html",
        {
            "cohort": cohort,
            "projects": Project.objects.visible_to(request.user)
            .filter(cohorts=cohort)
            .select_related("coach")
            .order_by("name", "pk"),
            "events": Event.objects.visible_to(request.user)
            .filter(cohort=cohort)
            .order_by("start", "pk"),
            "meetings": Meeting.objects.visible_to(request.user)
            .filter(cohort=cohort)
            .select_related("project", "led_by")
            .order_by("-start", "-pk")[:20],
            "hours": selectors.cohort_hours(cohort),
            "order": cohort.order,
            "is_officer": roles.is_officer(request.user),
        },
    )


@login_required
def cohort_form(request, pk=None):
    """Create or edit a cohort: its period, collective hours, order and projects (officers
    only; whoever cannot see the cohort gets 404, other readers 403)."""
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk) if pk else None
    permissions.require(permissions.can_run_programme(request.user))
    form = CohortForm(request.POST or None, instance=cohort, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.cohort_save(
                cohort=form.save(commit=False),
                projects=form.cleaned_data["projects"],
                by=request.user,
                expected_version=form.expected_version,
                update_fields=form.concrete_field_names(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleObjectError as stale:
            context = conflict_context(form, stale.current, form_kwargs={"user": request.user})
            return render(
                request, "followups/cohort_form.html", {"cohort": cohort, **context}, status=409
            )
        else:
            messages.success(request, _("La promotion est enregistrée."))
            if result["added"] or result["removed"]:
                messages.info(
                    request,
                    _(
                        "Bon de commande : %(added)d forfait(s) entrepreneur·e ajouté(s), "
                        "%(removed)d retiré(s)."
                    )
                    % result,
                )
            if result["kept"]:
                messages.warning(
                    request,
                    _(
                        "%(kept)d forfait(s) d'un projet sorti de la promotion reste(nt) au "
                        "bon de commande : leur mois est déjà certifié."
                    )
                    % result,
                )
            warning = services.cohort_allocation_warning(form.instance)
            if warning:
                messages.warning(request, warning)
            return redirect("followups:cohort-detail", pk=form.instance.pk)
    return render(request, "followups/cohort_form.html", {"form": form, "cohort": cohort})
