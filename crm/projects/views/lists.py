from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from crm.core import permissions
from crm.core.lists import FilteredTableView
from crm.models import Project, Stage
from crm.projects import selectors
from crm.projects.filters import ProjectFilter, coach_choices
from crm.projects.tables import ProjectTable
from crm.projects.views.list_tools import OPTIONAL_COLUMNS, builtin_views, preference_for


@login_required
def home(request):
    """The home page, whose content depends on the user's role."""
    return render(request, "crm/home.html", selectors.home_summary(request.user))


class ProjectListView(FilteredTableView):
    title = _("Projets accompagnés")
    model = Project
    table_class = ProjectTable
    filterset_class = ProjectFilter
    default_ordering = ("name", "pk")
    late_row_lookup = True
    template_name = "crm/project_list.html"
    archived = False

    def base_queryset(self):
        return Project.objects.visible_to(self.request.user).current()

    def scoped_queryset(self):
        return selectors.with_lead_name(self.base_queryset())

    def may_bulk(self) -> bool:
        return not self.archived and permissions.can_move_projects(self.request.user)

    def preference(self):
        # The user's columns and views: one query, once per page.
        if not hasattr(self, "_preference"):
            self._preference = preference_for(self.request.user)
        return self._preference

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        preference = self.preference()
        hidden = [
            name
            for name in (preference.hidden_columns if preference else [])
            if name in OPTIONAL_COLUMNS
        ]
        if not self.may_bulk() or self.request.GET.get("export"):
            hidden.append("select")
        kwargs["exclude"] = hidden
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        preference = self.preference()
        hidden = set(preference.hidden_columns) if preference else set()
        query = self.request.GET.copy()
        for name in ("page", "export"):
            query.pop(name, None)
        context.update(
            columns=[
                {
                    "name": name,
                    "label": ProjectTable.base_columns[name].verbose_name,
                    "shown": name not in hidden,
                }
                for name in OPTIONAL_COLUMNS
            ],
            saved_views=[*builtin_views(user), *(preference.views if preference else [])],
            own_view_names={view.get("name") for view in (preference.views if preference else [])},
            current_query=query.urlencode(),
            may_bulk=self.may_bulk(),
            may_assign=self.may_bulk() and permissions.can_assign_project(user),
            stages=Stage.choices,
        )
        if context["may_assign"]:
            context["coaches"] = list(coach_choices(self.request))
        return context


class ArchivedProjectListView(ProjectListView):
    """Archived projects, where officers find them to restore them."""

    title = _("Projets archivés")
    archived = True

    def base_queryset(self):
        return Project.objects.visible_to(self.request.user).archived()
