from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from crm.core.lists import FilteredTableView
from crm.models import Project, ProjectMember
from crm.projects import selectors
from crm.projects.filters import ProjectFilter
from crm.projects.tables import ProjectTable


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
        lead_name = ProjectMember.objects.filter(project=OuterRef("pk"), is_lead=True).values(
            full_name=Concat("person__first_name", Value(" "), "person__last_name")
        )[:1]
        return (
            self.base_queryset()
            .select_related("commune", "coach")
            .annotate(lead_name=Subquery(lead_name))
        )


class ArchivedProjectListView(ProjectListView):
    """Archived projects, where officers find them to restore them."""

    title = _("Projets archivés")
    archived = True

    def base_queryset(self):
        return Project.objects.visible_to(self.request.user).archived()
