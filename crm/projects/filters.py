import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.validators import name_key
from crm.core import roles
from crm.core.bounds import MAX_DAYS, search_words
from crm.core.lists import ListFilterSet, text_search
from crm.core.widgets import DateInput
from crm.models import (
    Commune,
    Project,
    ProjectMember,
    Sector,
    Source,
    Stage,
    StageChange,
    Status,
    Theme,
    User,
)
from crm.projects.selectors import without_meeting_since


def _staff_choices(request, role: str, project_field: str):
    """Users of `role`; a coach is offered only those on their own projects."""
    if request is None:
        return User.objects.none()
    users = User.objects.filter(groups__name=role, is_active=True)
    if not roles.sees_everything(request.user):
        visible = Project.objects.visible_to(request.user)
        users = users.filter(pk__in=visible.values(project_field))
    return users.order_by("last_name", "first_name", "pk").distinct()


def officer_choices(request):
    return _staff_choices(request, roles.Role.OFFICER, "officer")


def coach_choices(request):
    return _staff_choices(request, roles.Role.COACH, "coach")


def creation_year_choices():
    """ "Any year", then the years a structure may have been created in (newest first)."""
    this_year = timezone.localdate().year
    return [("any", _("Quelle que soit l'année"))] + [
        (str(year), str(year)) for year in range(this_year, FIRST_CREATION_YEAR - 1, -1)
    ]


# The programme started in 2016; older structures joined it already created.
FIRST_CREATION_YEAR = 2000
LAUNCHED_STAGES = (Stage.LAUNCH, Stage.CONSOLIDATION, Stage.SCALE_UP)


# Filters on the period a project was received or followed in; the dashboard sets its
# period with its own form, so its copy of the project filters leaves these out.
PERIOD_FILTERS = ("received_from", "received_to", "not_exited_before")


class ProjectFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Projet, porteur·se, structure")}),
    )
    # Columns of the project itself: no DISTINCT (django-filter's default for multiple
    # choices), which made PostgreSQL sort every matching project before the first page.
    stage = django_filters.MultipleChoiceFilter(
        label=_("Étape"),
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Statut du suivi"),
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    sector = django_filters.ChoiceFilter(label=_("Secteur"), choices=Sector.choices)
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"), field_name="themes", queryset=Theme.objects.all()
    )
    commune = django_filters.ModelChoiceFilter(label=_("Commune"), queryset=Commune.objects.all())
    in_qpv = django_filters.BooleanFilter(
        label=_("Implanté en QPV"),
        widget=forms.Select(
            choices=[("", _("Indifférent")), ("true", _("Oui")), ("false", _("Non"))]
        ),
    )
    officer = django_filters.ModelChoiceFilter(
        label=_("Chargé·e de mission"), queryset=officer_choices
    )
    coach = django_filters.ModelChoiceFilter(label=_("Accompagnateur·rice"), queryset=coach_choices)
    source = django_filters.ChoiceFilter(label=_("Origine"), choices=Source.choices)
    entry_from = django_filters.DateFilter(
        label=_("Entrée à partir du"),
        field_name="entry_date",
        lookup_expr="gte",
        widget=DateInput(),
    )
    entry_to = django_filters.DateFilter(
        label=_("Entrée jusqu'au"), field_name="entry_date", lookup_expr="lte", widget=DateInput()
    )
    # The dashboard's charts link here with these: "received in the period" (the funnel)
    # and "followed during the period" (received before its end, not exited before its
    # start), so that the list holds the projects the chart counted.
    received_from = django_filters.DateFilter(
        label=_("Arrivé à partir du"), method="filter_received_from", widget=DateInput()
    )
    received_to = django_filters.DateFilter(
        label=_("Arrivé jusqu'au"), method="filter_received_to", widget=DateInput()
    )
    not_exited_before = django_filters.DateFilter(
        label=_("Non sorti avant le"), method="filter_not_exited_before", widget=DateInput()
    )
    esf_funded = django_filters.BooleanFilter(
        label=_("Cofinancé par le FSE+"),
        widget=forms.Select(
            choices=[("", _("Indifférent")), ("true", _("Oui")), ("false", _("Non"))]
        ),
    )
    # The dashboard's survival and impact cohorts link here (reports.selectors.impact).
    created_year = django_filters.ChoiceFilter(
        label=_("Structure créée en"), choices=creation_year_choices, method="filter_created"
    )
    no_meeting_days = django_filters.NumberFilter(
        label=_("Sans rendez-vous depuis (jours)"),
        method="without_meeting",
        min_value=1,
        max_value=MAX_DAYS,
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_received_from(self, queryset, name, value):
        return queryset.received_between(start=value)

    def filter_received_to(self, queryset, name, value):
        return queryset.received_between(end=value)

    def filter_not_exited_before(self, queryset, name, value):
        return queryset.not_exited_before(value)

    def filter_created(self, queryset, name, value: str):
        """Projects whose first move into a launched stage is in year `value` ("any": ever)."""
        first = (
            StageChange.objects.filter(project=OuterRef("pk"), to_stage__in=LAUNCHED_STAGES)
            .order_by("at")
            .values("at")[:1]
        )
        queryset = queryset.annotate(launched_on=Subquery(first)).filter(launched_on__isnull=False)
        if value == "any":
            return queryset
        year = int(value)
        start = datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
        end = datetime.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
        return queryset.filter(launched_on__gte=start, launched_on__lt=end)

    def without_meeting(self, queryset, name, value):
        return without_meeting_since(queryset, int(value))

    def search(self, queryset, name, value):
        # An Exists subquery rather than a join: a project with two matching entrepreneurs
        # must still appear once.
        conditions = Q()
        for word in search_words(value):
            # name_key is accent- and case-folded: "LEFÈVRE" finds "Lefèvre" on SQLite too.
            matches = text_search(
                ["person__first_name", "person__last_name", "person__email"], word
            )
            if key := name_key(word):
                matches |= Q(person__name_key__contains=key)
            people = ProjectMember.objects.filter(project=OuterRef("pk")).filter(matches)
            conditions &= text_search(["name", "organisation__name"], word) | Q(Exists(people))
        return queryset.filter(conditions)
