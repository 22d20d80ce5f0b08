"""The ESF+ participant data of a project (officers and the project's coach)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.core.concurrency import StaleObjectError, conflict_context
from crm.core.forms import add_service_errors
from crm.projects import selectors
from crm.projects.esf import esf_for, esf_record
from crm.projects.forms_esf import EsfForm


@login_required
def esf_edit(request, pk):
    """The participant's answers at entry and the qualification at exit (2 queries)."""
    project = selectors.get_project_for(request.user, pk)
    permissions.require(permissions.can_record_esf(request.user, project))
    record = esf_for(project)
    form = EsfForm(request.POST or None, instance=record)
    context = {"project": project, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            esf_record(
                project=project,
                by=request.user,
                expected_version=form.expected_version,
                **form.answers(),
            )
        except StaleObjectError as error:
            context.update(conflict_context(form, error.current))
            return render(request, "crm/esf_form.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les données FSE+ sont enregistrées."))
            return redirect("crm:project-detail", pk=project.pk)
    return render(request, "crm/esf_form.html", context, status=400 if form.errors else 200)
