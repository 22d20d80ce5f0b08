"""Next steps on their own: the actions list (filters, bulk "done"), a new step from a
project or from "Mon travail", postpone, reassign, undo "done"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from crm.core import permissions
from crm.core.bounds import MAX_ID
from crm.core.concurrency import StaleObjectError, conflict_context
from crm.core.forms import add_service_errors
from crm.core.lists import FilteredTableView
from followups import services
from followups.filters import ActionFilter
from followups.forms_actions import ActionForm, ActionPostponeForm, ActionReassignForm
from followups.models import Action
from followups.tables import ActionTable
from followups.views.meetings import get_project_for


def get_action_for(user, pk) -> Action:
    return get_object_or_404(
        Action.objects.visible_to(user).select_related("project", "owner"), pk=pk
    )


def _next(request, default: str) -> str:
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return next_url
    return default


class ActionListView(FilteredTableView):
    title = gettext_lazy("Actions")
    model = Action
    table_class = ActionTable
    filterset_class = ActionFilter
    template_name = "followups/action_list.html"
    default_ordering = ("due_on", "pk")

    def scoped_queryset(self):
        return Action.objects.visible_to(self.request.user).select_related("project", "owner")


@login_required
def action_create(request, project_pk=None):
    project = get_project_for(request.user, project_pk) if project_pk else None
    if project is not None:
        permissions.require(permissions.can_create_action(request.user, project))
    form = ActionForm(request.POST or None, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = project or data["project"]
        try:
            action = services.action_create(
                project=target,
                title=data["title"],
                owner=data["owner"],
                due_on=data["due_on"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action « %(title)s » créée.") % {"title": action.title})
            if project is not None:
                return redirect("crm:project-detail", project.pk)
            return redirect("followups:my-work")
    cancel = (
        reverse("crm:project-detail", args=[project.pk])
        if project
        else reverse("followups:my-work")
    )
    return render(
        request,
        "followups/action_form.html",
        {
            "form": form,
            "project": project,
            "title": _("Nouvelle action"),
            "submit": _("Créer l'action"),
            "cancel_url": cancel,
        },
    )


def _change_page(request, action, form, *, title, submit, run, done_message):
    """The postpone and reassign pages: one form, one service, a conflict on a stale save."""
    context = {
        "action": action,
        "project": action.project,
        "title": title,
        "submit": submit,
        "cancel_url": reverse("followups:action-list") + f"?project={action.project_id}",
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data, form.expected_version)
        except StaleObjectError as stale:
            context.update(conflict_context(form, stale.current, form_kwargs=form.kwargs))
            context["action"] = stale.current
            return render(request, "followups/action_form.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done_message % {"title": action.title})
            return redirect("crm:project-detail", action.project_id)
    context["form"] = form
    return render(request, "followups/action_form.html", context, status=status)


@login_required
def action_postpone(request, pk):
    action = get_action_for(request.user, pk)
    permissions.require(permissions.can_change_action(request.user, action))
    form = ActionPostponeForm(request.POST or None, record=action)
    form.kwargs = {"record": action}

    def run(data, version):
        services.action_postpone(
            action=action,
            due_on=data["due_on"],
            reason=data["reason"],
            by=request.user,
            expected_version=version,
        )

    return _change_page(
        request,
        action,
        form,
        title=_("Reporter l'action"),
        submit=_("Reporter"),
        run=run,
        done_message=_("Action « %(title)s » reportée."),
    )


@login_required
def action_reassign(request, pk):
    action = get_action_for(request.user, pk)
    permissions.require(permissions.can_change_action(request.user, action))
    form = ActionReassignForm(request.POST or None, record=action, user=request.user)
    form.kwargs = {"record": action, "user": request.user}

    def run(data, version):
        services.action_reassign(
            action=action, owner=data["owner"], by=request.user, expected_version=version
        )

    return _change_page(
        request,
        action,
        form,
        title=_("Réattribuer l'action"),
        submit=_("Réattribuer"),
        run=run,
        done_message=_("Action « %(title)s » réattribuée."),
    )


@login_required
@require_POST
def action_reopen(request, pk):
    action = get_action_for(request.user, pk)
    services.action_reopen(action=action, by=request.user)
    messages.success(request, _("Action « %(title)s » rouverte.") % {"title": action.title})
    return redirect(_next(request, reverse("crm:project-detail", args=[action.project_id])))


@login_required
@require_POST
def actions_done(request):
    """Bulk "done": the ids ticked on the list; those the user may not see or change are
    ignored (never revealed)."""
    pks = [int(v) for v in request.POST.getlist("actions") if v.isdigit() and int(v) <= MAX_ID]
    done = services.actions_complete(pks=pks, by=request.user)
    if done:
        messages.success(
            request,
            ngettext("%(n)d action marquée faite.", "%(n)d actions marquées faites.", len(done))
            % {"n": len(done)},
        )
    else:
        messages.warning(request, _("Aucune action sélectionnée n'était à faire."))
    return redirect(_next(request, reverse("followups:action-list")))
