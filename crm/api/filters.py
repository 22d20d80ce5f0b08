"""Filtering of the API's lists: the list pages' own FilterSets (`filterset_class`),
`?search=` fed to their search, `?ordering=` ending with a unique key, and `?updated_since=`
for incremental sync."""

import django_filters
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend, OrderingFilter

from crm.core.lists import ListFilterSet
from crm.models import ProjectMeasure, StageChange
from followups.models import Action, Attendance


class PageFilterBackend(DjangoFilterBackend):
    """The page's FilterSet; `?search=` is its search box (`q`)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        if "search" in data:
            data.setlist("q", data.getlist("search"))
            del data["search"]
        kwargs["data"] = data
        return kwargs

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and "q" in filterset_class.base_filters:
            parameters = [p for p in parameters if p["name"] != "q"]
            parameters.append(
                {
                    "name": "search",
                    "required": False,
                    "in": "query",
                    "description": _("Recherche, comme celle de la liste"),
                    "schema": {"type": "string"},
                }
            )
        return parameters


class UniqueOrderingFilter(OrderingFilter):
    """`?ordering=` among the view's `ordering_fields`, always ending with the primary key
    (cursor pages repeat or skip rows otherwise)."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or ("pk",))
        if not {"pk", "-pk", "id", "-id"} & set(ordering):
            ordering.append("-pk" if ordering[0].startswith("-") else "pk")
        return tuple(ordering)


class UpdatedSinceFilter(BaseFilterBackend):
    """`?updated_since=<ISO 8601 date-time>`: rows changed strictly after it, read from the
    view's `updated_field` (a view without one offers no incremental sync)."""

    param = "updated_since"

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get(self.param)
        field = getattr(view, "updated_field", None)
        if not raw or field is None:
            return queryset
        try:
            since = parse_datetime(raw)
        except ValueError:
            since = None
        if since is None or since.tzinfo is None:
            raise exceptions.ValidationError(
                {self.param: _("Date et heure ISO 8601 avec fuseau, par ex. 2026-12-01T08:00:00Z.")}
            )
        return queryset.filter(**{f"{field}__gt": since})

    def get_schema_operation_parameters(self, view):
        if getattr(view, "updated_field", None) is None:
            return []
        parameter = OpenApiParameter(
            self.param,
            OpenApiTypes.DATETIME,
            description="Only rows changed after this moment (incremental sync).",
        )
        return [
            {
                "name": parameter.name,
                "required": False,
                "in": "query",
                "description": parameter.description,
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


# Lists that have no page of their own get a FilterSet in the same style.


class StageChangeFilter(ListFilterSet):
    project = django_filters.NumberFilter(field_name="project_id", min_value=1)
    to_stage = django_filters.CharFilter()
    to_status = django_filters.CharFilter()

    class Meta:
        model = StageChange
        fields: list[str] = []


class ActionFilter(ListFilterSet):
    project = django_filters.NumberFilter(field_name="project_id", min_value=1)
    owner = django_filters.NumberFilter(field_name="owner_id", min_value=1)
    open = django_filters.BooleanFilter(field_name="done_on", lookup_expr="isnull")

    class Meta:
        model = Action
        fields: list[str] = []


class AttendanceFilter(ListFilterSet):
    event = django_filters.NumberFilter(field_name="event_id", min_value=1)
    project = django_filters.NumberFilter(field_name="project_id", min_value=1)

    class Meta:
        model = Attendance
        fields: list[str] = []


class MeasureFilter(ListFilterSet):
    project = django_filters.NumberFilter(field_name="project_id", min_value=1)

    class Meta:
        model = ProjectMeasure
        fields: list[str] = ["kind"]
