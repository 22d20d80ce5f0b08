"""The officers' reconciliation of an online registration with existing people and
structures: pick the record to compare (GET), then take field by field what to keep (POST)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from contacts.models import Organisation, Person
from crm.core import permissions
from crm.core.permissions import permission_required
from crm.intake.forms.reconcile import ReconcileForm
from crm.intake.services import reconciliation
from crm.models import Project, Registration


def _selected(value: str, candidates, *, allow_none: bool) -> str:
    """The record chosen in the URL, defaulting to the strongest candidate."""
    allowed = {str(c.record.pk) for c in candidates} | {reconciliation.NEW}
    if allow_none:
        allowed.add(reconciliation.NONE)
    if value in allowed:
        return value
    return str(candidates[0].record.pk) if candidates else reconciliation.NEW


def _record(model, selected: str, candidates):
    return next((c.record for c in candidates if str(c.record.pk) == selected), None)


def _context(registration: Registration, selection: dict, form=None, errors=()) -> dict:
    context = {"project": registration.project, "registration": registration, "errors": errors}
    for key, model, to_reconcile, finder, allow_none in (
        (
            "person",
            Person,
            registration.person_to_reconcile,
            reconciliation.person_candidates,
            False,
        ),
        (
            "organisation",
            Organisation,
            registration.organisation_to_reconcile,
            reconciliation.organisation_candidates,
            True,
        ),
    ):
        if not to_reconcile:
            continue
        candidates = finder(registration)
        chosen = _selected(selection.get(key, ""), candidates, allow_none=allow_none)
        record = _record(model, chosen, candidates)
        context[key] = {
            # The boxes ticked before a refused save stay ticked.
            "checked": selection.getlist(f"{key}_fields") if hasattr(selection, "getlist") else [],
            "candidates": candidates,
            "selected": chosen,
            "record": record,
            "rows": (
                reconciliation.differences(registration, model, record)
                if chosen != reconciliation.NONE
                else []
            ),
        }
    context["form"] = form or ReconcileForm(
        initial={
            "person": context.get("person", {}).get("selected", ""),
            "organisation": context.get("organisation", {}).get("selected", ""),
        }
    )
    return context


def _choice(model, value: str, fields) -> reconciliation.Choice:
    if value in (reconciliation.NEW, reconciliation.NONE):
        return reconciliation.Choice(value)
    record = model.objects.filter(pk=value).first() if value.isdigit() else None
    return reconciliation.Choice(reconciliation.LINK, record, tuple(fields))


@permission_required(permissions.can_triage)
def triage_reconcile(request, pk):
    """GET: the comparison with the chosen records; POST: the officer's choices."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    registration = get_object_or_404(
        Registration.objects.select_related("project", "person"), project=project
    )
    if not registration.to_reconcile:
        messages.info(request, _("Cette inscription est déjà rapprochée."))
        return redirect("crm:triage-detail", pk=project.pk)
    if request.method != "POST":
        return render(
            request, "registration_public/reconcile.html", _context(registration, request.GET)
        )

    form = ReconcileForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        keep_all = data["apply"] == ReconcileForm.UNCHANGED
        try:
            reconciliation.registration_reconcile(
                registration=registration,
                by=request.user,
                person=_choice(Person, data["person"], [] if keep_all else data["person_fields"]),
                organisation=_choice(
                    Organisation,
                    data["organisation"],
                    [] if keep_all else data["organisation_fields"],
                ),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Inscription rapprochée."))
            return redirect("crm:triage-detail", pk=project.pk)
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    context = _context(registration, request.POST, form=form, errors=errors)
    return render(request, "registration_public/reconcile.html", context, status=400)
