"""Outcome measures of a project: their history, and recording one at a milestone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.core.forms import add_service_errors
from crm.projects import measures, selectors
from crm.projects.forms_measures import MeasureForm


@login_required
def measure_list(request, pk):
    """Every measure of the project, newest first, with who entered it (2 queries)."""
    project = selectors.get_project_for(request.user, pk)
    return render(
        request,
        "crm/measure_list.html",
        {
            "project": project,
            "measures": measures.project_measures(project),
            "can_record": permissions.can_record_measure(request.user, project),
        },
    )


@login_required
def measure_create(request, pk):
    """Record a measure; `?kind=one_year` opens the form at that milestone, dated on its due
    day when the project has left the accompaniment."""
    project = selectors.get_project_for(request.user, pk)
    permissions.require(permissions.can_record_measure(request.user, project))
    kind = request.GET.get("kind")
    initial = {}
    if due := measures.milestone_due(project, kind):
        initial["measured_on"] = due
    form = MeasureForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measures.measure_record(
                project=project,
                by=request.user,
                kind=data["kind"],
                measured_on=data["measured_on"],
                **form.figures(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La mesure est enregistrée."))
            return redirect("crm:measure-list", pk=project.pk)
    return render(
        request,
        "crm/measure_form.html",
        {"project": project, "form": form, "title": _("Nouvelle mesure d'impact")},
        status=400 if form.errors else 200,
    )
