import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from crm.core import roles
from crm.core.lists import DayFilter, ListFilterSet, text_search
from crm.core.widgets import AutocompleteSelect, DateInput
from crm.models import Project, User
from followups.models import (
    Action,
    Cohort,
    Contract,
    Event,
    EventKind,
    Meeting,
    MeetingFormat,
    MeetingMode,
    MessageTemplate,
)


def led_by_choices(request):
    """Staff who led a meeting the user may see (a coach never learns other coaches' names)."""
    if request is None:
        return User.objects.none()
    if roles.sees_everything(request.user):
        # One index probe per staff member; a join to every meeting then DISTINCT took
        # 0.4 s at 640,000 meetings.
        users = User.objects.filter(Exists(Meeting.objects.filter(led_by=OuterRef("pk"))))
    else:
        users = User.objects.filter(pk=request.user.pk)
    return users.order_by("last_name", "first_name", "pk")


def project_choices(request):
    if request is None:
        return Project.objects.none()
    return Project.objects.visible_to(request.user).current()


class MeetingFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="search")
    # Searched by name: a coach or an officer sees thousands of projects.
    project = django_filters.ModelChoiceFilter(
        label=_("Projet"),
        queryset=project_choices,
        widget=AutocompleteSelect("crm:project-search"),
    )
    format = django_filters.ChoiceFilter(label=_("Format"), choices=MeetingFormat.choices)
    mode = django_filters.ChoiceFilter(label=_("Modalité"), choices=MeetingMode.choices)
    led_by = django_filters.ModelChoiceFilter(label=_("Mené par"), queryset=led_by_choices)
    start_from = DayFilter(label=_("À partir du"), field_name="start")
    start_to = DayFilter(label=_("Jusqu'au"), field_name="start", until=True)

    class Meta:
        model = Meeting
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(text_search(["project__name", "summary", "decisions"], value))


class ProjectMeetingFilter(MeetingFilter):
    """The same filters on one project's page, without the project choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("project", None)


class EventFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=EventKind.choices)
    start_from = DayFilter(label=_("À partir du"), field_name="start")

    class Meta:
        model = Event
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(text_search(["title", "place"], value))


class CohortFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Cohort
        fields: list[str] = []


class ContractFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Référence, prestataire")}),
    )

    class Meta:
        model = Contract
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(text_search(["reference", "provider__name"], value))


def action_owner_choices(request):
    """Owners of steps the user may see (a coach never learns other coaches' names)."""
    if request is None:
        return User.objects.none()
    if roles.sees_everything(request.user):
        users = User.objects.filter(Exists(Action.objects.filter(owner=OuterRef("pk"))))
    else:
        users = User.objects.filter(
            Exists(Action.objects.visible_to(request.user).filter(owner=OuterRef("pk")))
        )
    return users.order_by("last_name", "first_name", "pk")


class ActionFilter(ListFilterSet):
    STATES = (("open", _("À faire")), ("done", _("Faites")))

    q = django_filters.CharFilter(label=_("Recherche"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("État"), choices=STATES, method="in_state", empty_label=_("Toutes")
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Projet"),
        queryset=project_choices,
        widget=AutocompleteSelect("crm:project-search"),
    )
    owner = django_filters.ModelChoiceFilter(label=_("Responsable"), queryset=action_owner_choices)
    due_from = django_filters.DateFilter(
        label=_("Échéance à partir du"), field_name="due_on", lookup_expr="gte", widget=DateInput()
    )
    due_to = django_filters.DateFilter(
        label=_("Échéance jusqu'au"), field_name="due_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = Action
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(text_search(["title", "project__name"], value))

    def in_state(self, queryset, name, value):
        return queryset.filter(done_on__isnull=value == "open")


class MessageTemplateFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="search")

    class Meta:
        model = MessageTemplate
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(text_search(["name", "subject", "body"], value))
