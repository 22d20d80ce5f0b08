"""The shared machinery of every list page: a scoped queryset, a django-filter FilterSet
feeding a django-tables2 table, paginated in the database with a page-size choice.

A list view declares `model`, `table_class`, `filterset_class` and `scoped_queryset()`
(which must start from `Model.objects.visible_to(user)`); everything else is shared, so
the on-screen list and its export use the very same filtered queryset.
"""

import datetime

import django_filters
import django_tables2 as tables
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.views import FilterView
from django_tables2.data import TableQuerysetData

from crm.core.bounds import bound_form_fields, search_words
from crm.core.exports import FORMATS, export_response
from crm.core.widgets import QUICK_WIDGETS, DateInput

PAGE_SIZES = (25, 50, 100)

# Sent when a list is exported (sender: the view class; request, detail). The access log
# (crm.security.audit) records it: the kit itself knows nothing of the log.
list_exported = Signal()


class UniquelyOrderedData(TableQuerysetData):
    """Whatever column the user sorts by, end the ordering on the primary key: without a
    unique last key the database may return rows in a different order on each page."""

    def order_by(self, aliases):
        super().order_by(aliases)
        ordering = list(self.data.query.order_by)
        if not {"pk", "-pk", "id", "-id"} & set(ordering):
            self.data = self.data.order_by(*ordering, "pk")


class LateRowLookupData(UniquelyOrderedData):
    """A page read in two steps: the primary keys of the page in the list's order (a narrow
    query, without the row's joins and subqueries), then those rows.

    Sorting tens of thousands of projects by a column of another table (the commune's name)
    made the database join and carry every whole row to the sort for 25 of them; the keys
    alone sort in a third of the time. One query more per page, whatever the data."""

    def __getitem__(self, key):
        if not isinstance(key, slice) or self.data.query.distinct:
            return super().__getitem__(key)
        pks = list(self.data.values_list("pk", flat=True)[key])
        rows = {row.pk: row for row in self.data.order_by().filter(pk__in=pks)}
        return [rows[pk] for pk in pks if pk in rows]


class ListTable(tables.Table):
    """Base table: our accessible template, and the page size handled by the view."""

    class Meta:
        template_name = "tables/table.html"
        attrs = {"class": "table data-table"}
        # The view validates ?per_page= against PAGE_SIZES; tables2 must not read it raw.
        per_page_field = "_per_page_unused"
        empty_text = _("Aucun résultat ne correspond à ces filtres.")


class ListFilterSet(django_filters.FilterSet):
    """Base filter set: gives every field's widget a sensible id and keeps the request.

    Every date and number filter is bounded (crm.core.bounds): a far date or a huge number
    is refused with a message on its field instead of overflowing while the list is built."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            bound_form_fields(form)
            # Same markup, built without a template per option (crm.core.widgets.QuickSelect).
            for field in form.fields.values():
                quick = QUICK_WIDGETS.get(type(field.widget))
                if quick is not None:
                    field.widget.__class__ = quick
        return self._form

    @property
    def active_count(self) -> int:
        """Number of filters the user set (for the "N filtres actifs" hint)."""
        if not self.is_bound:
            return 0
        return sum(
            1
            for name in self.filters
            if self.data.getlist(name) and any(v != "" for v in self.data.getlist(name))
        )


class DayFilter(django_filters.DateFilter):
    """A day bound on a date-and-time field: from the start of that day (`until=False`) or
    to its end (`until=True`), in the current time zone.

    It filters on a range of the field itself, which the field's index serves; the
    `__date` lookup casts every row first (a full scan of 640,000 meetings)."""

    def __init__(self, *args, until: bool = False, **kwargs):
        kwargs.setdefault("widget", DateInput())
        super().__init__(*args, **kwargs)
        self.until = until

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        day = value + datetime.timedelta(days=1) if self.until else value
        bound = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        lookup = "lt" if self.until else "gte"
        return qs.filter(**{f"{self.field_name}__{lookup}": bound})


def text_search(fields: list[str], value: str) -> Q:
    """OR of icontains over `fields` for each word, ANDed across words."""
    condition = Q()
    for word in search_words(value):
        word_condition = Q()
        for field in fields:
            word_condition |= Q(**{f"{field}__icontains": word})
        condition &= word_condition
    return condition


class FilteredTableView(LoginRequiredMixin, tables.SingleTableMixin, FilterView):
    template_name = "lists/list_page.html"
    title = ""
    # Sorting must end on a unique key, or pages repeat or skip rows.
    default_ordering: tuple[str, ...] = ("pk",)
    # Read each page's keys first, then its rows (LateRowLookupData): for long lists
    # sortable by another table's column.
    late_row_lookup = False

    def scoped_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.scoped_queryset().order_by(*self.default_ordering)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get_page_size(self) -> int:
        try:
            size = int(self.request.GET.get("per_page", PAGE_SIZES[0]))
        except ValueError:
            return PAGE_SIZES[0]
        return size if size in PAGE_SIZES else PAGE_SIZES[0]

    def get_table_pagination(self, table):
        return {"per_page": self.get_page_size()}

    def get_table_data(self):
        data_class = LateRowLookupData if self.late_row_lookup else UniquelyOrderedData
        return data_class(super().get_table_data())

    def get_table_kwargs(self):
        return {"order_by_field": "sort"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            page_sizes=PAGE_SIZES,
            page_size=self.get_page_size(),
            export_formats=FORMATS,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        # ?export=csv|xlsx|ods: the same filtered, sorted rows as on screen, every page.
        fmt = self.request.GET.get("export")
        if fmt in FORMATS:
            table = context["table"]
            list_exported.send(
                sender=type(self),
                request=self.request,
                detail=f"{self.request.path} {fmt} {self.request.GET.urlencode()}",
            )
            return export_response(table, table.data.data, fmt, str(self.title))
        return super().render_to_response(context, **response_kwargs)
