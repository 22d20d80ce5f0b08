"""The project page and what changes a project: create, edit, move, archive, restore."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import UpdateView

from crm.core import permissions, roles
from crm.core.autocomplete import autocomplete_response
from crm.core.concurrency import OptimisticLockViewMixin
from crm.core.forms import add_service_errors
from crm.models import Project, Stage
from crm.projects import registry, selectors, services
from crm.projects.forms import (
    CoachProjectEditForm,
    ProjectCreateForm,
    ProjectEditForm,
    ProjectMoveForm,
)
from crm.projects.views.board import LAST_MOVE_KEY


def _stages(project):
    return [
        {"value": value, "label": label, "index": index, "done": index <= project.stage_index}
        for index, (value, label) in enumerate(Stage.choices, start=1)
    ]


def _detail_context(request, project, move_form=None) -> dict:
    user = request.user
    may_change = permissions.can_change_project(user, project)
    if move_form is None and may_change:
        move_form = ProjectMoveForm(project=project)
    return {
        **registry.panel_context(project, user),
        "project": project,
        "stages": _stages(project),
        "stage_count": len(Stage.choices),
        "members": list(
            project.members.select_related("person").order_by(
                "-is_lead", "person__last_name", "person__first_name", "pk"
            )
        ),
        "indicators": selectors.project_indicators(project),
        "timeline": selectors.project_timeline(project, user),
        "can_change": may_change,
        "can_archive": permissions.can_archive_project(user),
        "move_form": move_form if may_change else None,
    }


@login_required
def project_search(request):
    """JSON search of the projects the user may see, for autocomplete fields."""
    return autocomplete_response(
        request,
        Project.objects.visible_to(request.user).current(),
        fields=["name"],
        ordering=["name", "pk"],
    )


@login_required
def project_detail(request, pk):
    project = selectors.get_project_for(request.user, pk)
    return render(request, "crm/project_detail.html", _detail_context(request, project))


@login_required
def project_create(request):
    permissions.require(permissions.can_create_project(request.user))
    form = ProjectCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le projet « %(name)s » est créé.") % {"name": project})
            return redirect(project)
    return render(
        request,
        "crm/project_create.html",
        {"form": form, "title": _("Nouveau projet"), "dpo_contact": settings.DPO_CONTACT},
        status=400 if form.errors else 200,
    )


class ProjectUpdateView(LoginRequiredMixin, OptimisticLockViewMixin, UpdateView):
    template_name = "crm/project_form.html"

    def get_object(self, queryset=None):
        project = selectors.get_project_for(self.request.user, self.kwargs["pk"])
        permissions.require(permissions.can_change_project(self.request.user, project))
        return project

    def get_form_class(self):
        if roles.is_officer(self.request.user):
            return ProjectEditForm
        return CoachProjectEditForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Modifier le projet « %(name)s »") % {"name": self.object}
        return context

    def saved_response(self, form):
        messages.success(self.request, _("Les modifications sont enregistrées."))
        return HttpResponseRedirect(self.object.get_absolute_url())


def _next_url(request, project) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return project.get_absolute_url()


@require_POST
@login_required
def project_move(request, pk):
    project = selectors.get_project_for(request.user, pk)
    permissions.require(permissions.can_change_project(request.user, project))
    form = ProjectMoveForm(request.POST, project=project)
    # A move from the board goes back to the board, which tells it (with its undo) in a
    # toast rather than in the page's messages; so does a refused one.
    from_board = request.POST.get("board") == "1"
    from_stage, from_status = project.stage, project.status
    if from_board and not form.is_valid():
        request.session[LAST_MOVE_KEY] = {"error": _("Étape inconnue.")}
        return HttpResponseRedirect(_next_url(request, project))
    if form.is_valid():
        data = form.cleaned_data
        # The board's cards send only the stage: the status and exit reason stay.
        status = data["status"] or project.status
        exit_reason = data["exit_reason"] or (
            project.exit_reason if status == project.status else ""
        )
        try:
            change = services.project_move(
                project=project,
                by=request.user,
                stage=data["stage"] or project.stage,
                status=status,
                exit_reason=exit_reason,
                note=data["note"],
            )
        except ValidationError as error:
            if from_board:
                request.session[LAST_MOVE_KEY] = {"error": " ".join(error.messages)}
                return HttpResponseRedirect(_next_url(request, project))
            add_service_errors(form, error)
        else:
            if from_board:
                request.session[LAST_MOVE_KEY] = {
                    "project": project.pk,
                    "from_stage": from_stage,
                    "to_stage": change.to_stage,
                    "from_status": from_status,
                    "undo": request.POST.get("undo") == "1",
                }
                return HttpResponseRedirect(_next_url(request, project))
            messages.success(
                request,
                _("« %(name)s » : %(stage)s, %(status)s.")
                % {
                    "name": project,
                    "stage": change.get_to_stage_display(),
                    "status": change.get_to_status_display(),
                },
            )
            return HttpResponseRedirect(_next_url(request, project))
    context = _detail_context(request, project, move_form=form)
    context["move_errors"] = True
    return render(request, "crm/project_detail.html", context, status=400)


def _archive_view(change, done_message):
    @require_POST
    @login_required
    def view(request, pk):
        project = selectors.get_project_for(request.user, pk)
        permissions.require(permissions.can_archive_project(request.user))
        change(project=project, by=request.user)
        messages.success(request, done_message() % {"name": project})
        return redirect(project)

    return view


project_archive = _archive_view(
    services.project_archive,
    lambda: _("Le projet « %(name)s » est archivé : il n'apparaît plus dans les listes."),
)
project_restore = _archive_view(
    services.project_restore,
    lambda: _("Le projet « %(name)s » est restauré."),
)
