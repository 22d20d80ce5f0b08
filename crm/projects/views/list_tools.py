"""The project list's tools: the column picker and the saved views (remembered per user in
crm.models.ListPreference), and the bulk actions on the selected projects (assign a coach,
move to a stage, export), through the same services and permissions as one project."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.core import permissions, roles
from crm.core.exports import export_response
from crm.core.lists import list_exported
from crm.models import ListPreference, Project, Stage, User
from crm.projects import services
from crm.projects.tables import ProjectTable

LIST_NAME = "projects"
# Every column but the project's name may be hidden.
OPTIONAL_COLUMNS = [name for name in ProjectTable.base_columns if name not in ("name", "select")]
MAX_VIEWS = 20
BULK_LIMIT = 500


def preference_for(user) -> ListPreference | None:
    """The user's choices for the project list (1 query), None when they made none."""
    if not user.is_authenticated:
        return None
    return ListPreference.objects.filter(user=user, list_name=LIST_NAME).first()


def builtin_views(user) -> list[dict]:
    """Views every user has, built for them: their own projects in accompaniment without a
    meeting for 60 days (a coach's as coach, an officer's as officer)."""
    field = "coach" if roles.is_coach(user) else "officer"
    query = urlencode({field: user.pk, "status": "active", "no_meeting_days": 60})
    return [
        {
            "name": _("Mes projets en accompagnement sans rendez-vous depuis 60 jours"),
            "query": query,
        }
    ]


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("crm:project-list")


def _preference(user) -> ListPreference:
    preference, _created = ListPreference.objects.get_or_create(user=user, list_name=LIST_NAME)
    return preference


@require_POST
@login_required
def project_list_columns(request):
    """Remember the columns the user shows (the others are hidden)."""
    shown = set(request.POST.getlist("column"))
    preference = _preference(request.user)
    preference.hidden_columns = [name for name in OPTIONAL_COLUMNS if name not in shown]
    preference.save(update_fields=["hidden_columns"])
    messages.success(request, _("Les colonnes choisies sont enregistrées."))
    return HttpResponseRedirect(_back(request))


@require_POST
@login_required
def project_view_save(request):
    """Save the list's current filters under a name (or forget the view of that name)."""
    name = request.POST.get("name", "").strip()[:100]
    if not name:
        messages.error(request, _("Nom de la vue : indiquez un nom pour l'enregistrer."))
        return HttpResponseRedirect(_back(request))
    preference = _preference(request.user)
    views = [view for view in preference.views if view.get("name") != name]
    if request.POST.get("delete"):
        messages.success(request, _("La vue « %(name)s » est supprimée.") % {"name": name})
    else:
        query = request.POST.get("query", "")[:2000]
        views.append({"name": name, "query": query})
        messages.success(request, _("La vue « %(name)s » est enregistrée.") % {"name": name})
    preference.views = views[-MAX_VIEWS:]
    preference.save(update_fields=["views"])
    return HttpResponseRedirect(_back(request))


@require_POST
@login_required
def project_bulk(request):
    """Apply one action to the selected projects the user may see."""
    user = request.user
    if not roles.primary_role(user):
        raise PermissionDenied
    pks = [pk for pk in request.POST.getlist("pk") if pk.isdigit()][:BULK_LIMIT]
    projects = list(
        Project.objects.visible_to(user).current().filter(pk__in=pks).order_by("name", "pk")
    )
    action = request.POST.get("action", "")
    if not projects:
        messages.error(request, _("Sélection : cochez au moins un projet."))
        return HttpResponseRedirect(_back(request))
    if action == "export":
        queryset = (
            Project.objects.filter(pk__in=[p.pk for p in projects])
            .select_related("commune", "coach")
            .order_by("name", "pk")
        )
        list_exported.send(
            sender=project_bulk, request=request, detail=f"{request.path} csv {len(projects)}"
        )
        return export_response(ProjectTable(queryset), queryset, "csv", _("Projets sélectionnés"))
    if action == "assign":
        permissions.require(permissions.can_assign_project(user))
        coach = User.objects.filter(pk=request.POST.get("coach") or 0, is_active=True).first()
        if coach is None or not roles.is_coach(coach):
            messages.error(request, _("Accompagnateur·rice : choisissez une personne de la liste."))
            return HttpResponseRedirect(_back(request))
        for project in projects:
            services.project_assign(project=project, by=user, coach=coach)
        messages.success(
            request,
            _("%(count)d projet(s) confié(s) à %(coach)s.")
            % {"count": len(projects), "coach": coach},
        )
        return HttpResponseRedirect(_back(request))
    if action == "move":
        stage = request.POST.get("stage", "")
        if stage not in Stage.values:
            messages.error(request, _("Étape : choisissez une étape de la liste."))
            return HttpResponseRedirect(_back(request))
        moved, skipped = 0, []
        for project in projects:
            if not permissions.can_change_project(user, project) or project.stage == stage:
                skipped.append(project.name)
                continue
            try:
                services.project_move(project=project, by=user, stage=stage)
            except ValidationError:
                skipped.append(project.name)
            else:
                moved += 1
        messages.success(request, _("%(count)d projet(s) déplacé(s).") % {"count": moved})
        if skipped:
            messages.warning(
                request,
                _("Non déplacés (déjà à cette étape ou hors de vos droits) : %(names)s")
                % {"names": ", ".join(skipped)},
            )
        return HttpResponseRedirect(_back(request))
    messages.error(request, _("Action : choisissez une action de la liste."))
    return redirect(_back(request))
