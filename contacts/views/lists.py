from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.filters import OrganisationFilter, PersonFilter, valid_labels_on
from contacts.models import Organisation, Person
from contacts.tables import OrganisationTable, PersonTable
from crm.core import permissions
from crm.core.lists import FilteredTableView
from crm.models import Project, ProjectMember


def _count(queryset, field: str):
    """A correlated COUNT(*) subquery on `field` = the outer row (0 when none)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class ContactListView(FilteredTableView):
    template_name = "contacts/list.html"
    create_url_name = ""

    def show_archived(self) -> bool:
        return (
            permissions.can_change_contacts(self.request.user)
            and self.request.GET.get("archived") == "1"
        )

    def visible_projects(self):
        return Project.objects.visible_to(self.request.user).current()

    def scoped_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        return queryset.archived() if self.show_archived() else queryset.current()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = permissions.can_change_contacts(self.request.user)
        context["create_url_name"] = self.create_url_name
        return context


class PersonListView(ContactListView):
    title = _("Porteur·ses de projet")
    model = Person
    table_class = PersonTable
    filterset_class = PersonFilter
    default_ordering = ("last_name", "first_name", "pk")
    create_url_name = "contacts:person-create"

    def scoped_queryset(self):
        # Counts and the lead project come from subqueries over the projects the user may
        # see: no query per row, and a coach never counts a colleague's project.
        memberships = ProjectMember.objects.filter(project__in=self.visible_projects())
        lead_project = memberships.filter(person=OuterRef("pk")).order_by(
            "-is_lead", "-project__entry_date", "project_id"
        )
        return (
            super()
            .scoped_queryset()
            .select_related("commune")
            .annotate(
                projects_count=_count(memberships, "person"),
                lead_project=Subquery(lead_project.values("project__name")[:1]),
            )
        )


class OrganisationListView(ContactListView):
    title = _("Structures")
    model = Organisation
    table_class = OrganisationTable
    filterset_class = OrganisationFilter
    default_ordering = ("name", "pk")
    create_url_name = "contacts:organisation-create"

    def scoped_queryset(self):
        # Labels in force today come in one prefetch query for the page's rows.
        today = timezone.localdate()
        return (
            super()
            .scoped_queryset()
            .select_related("commune")
            .annotate(projects_count=_count(self.visible_projects(), "organisation"))
            .prefetch_related(
                Prefetch(
                    "labels",
                    queryset=valid_labels_on(today).order_by("kind", "pk"),
                    to_attr="valid_labels",
                )
            )
        )
