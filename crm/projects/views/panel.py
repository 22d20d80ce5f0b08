"""The project's side panel, opened from the board and the project list: a summary, a link
to the full page, and stage, status, coach and officer changed in place (htmx swaps the
panel; without JavaScript the panel is a page of its own and its forms post as usual)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.core import permissions
from crm.core.concurrency import StaleObjectError, save_form_if_unchanged
from crm.core.forms import add_service_errors
from crm.projects import selectors, services
from crm.projects.forms_panel import PanelMoveForm, ProjectAssignForm


def _render(request, project, *, move_form=None, assign_form=None, conflict=False, status=200):
    user = request.user
    may_change = permissions.can_change_project(user, project)
    may_assign = permissions.can_assign_project(user)
    context = {
        "project": project,
        "move_form": (move_form or PanelMoveForm(project=project)) if may_change else None,
        "assign_form": (assign_form or ProjectAssignForm(instance=project)) if may_assign else None,
        "may_log_meeting": permissions.can_log_meeting(user, project),
        "conflict": conflict,
    }
    template = "crm/_project_panel.html" if request.htmx else "crm/project_panel.html"
    return render(request, template, context, status=status)


def _conflict(request, pk):
    project = selectors.get_project_for(request.user, pk)
    return _render(request, project, conflict=True, status=409)


@login_required
def project_panel(request, pk):
    project = selectors.get_project_for(request.user, pk)
    return _render(request, project)


@require_POST
@login_required
def project_panel_move(request, pk):
    project = selectors.get_project_for(request.user, pk)
    permissions.require(permissions.can_change_project(request.user, project))
    form = PanelMoveForm(request.POST, project=project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.project_move(
                project=project,
                by=request.user,
                stage=data["stage"],
                status=data["status"],
                exit_reason=data["exit_reason"],
                expected_version=form.expected_version,
            )
        except StaleObjectError:
            return _conflict(request, pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Étape et statut enregistrés."))
            return redirect("crm:project-panel", pk=project.pk)
    return _render(request, project, move_form=form, status=400)


@require_POST
@login_required
def project_panel_assign(request, pk):
    project = selectors.get_project_for(request.user, pk)
    permissions.require(permissions.can_assign_project(request.user))
    form = ProjectAssignForm(request.POST, instance=project)
    if form.is_valid():
        try:
            save_form_if_unchanged(form)
        except StaleObjectError:
            return _conflict(request, pk)
        messages.success(request, _("Accompagnement enregistré."))
        return redirect("crm:project-panel", pk=project.pk)
    # The form's instance took the refused values: show the stored ones beside the errors.
    return _render(
        request, selectors.get_project_for(request.user, pk), assign_form=form, status=400
    )
