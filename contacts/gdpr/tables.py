"""Tables and filters of the retention and archives pages."""

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from contacts.gdpr.retention import due_on
from contacts.models import EliminationList, EliminationStatus, Person, RetentionRule
from crm.core.lists import ListFilterSet, ListTable, text_search


class RetentionTable(ListTable):
    name = tables.Column(
        verbose_name=_("Personne"), accessor="last_name", order_by=("last_name", "first_name")
    )
    rule = tables.Column(verbose_name=_("Règle"), order_by=("rule",))
    reference = tables.DateColumn(verbose_name=_("Depuis le"), format="d/m/Y")
    due = tables.Column(verbose_name=_("Échéance"), empty_values=(), orderable=False)
    extended_until = tables.DateColumn(verbose_name=_("Prolongée jusqu'au"), format="d/m/Y")
    extend = tables.Column(verbose_name=_("Action"), empty_values=(), orderable=False)

    class Meta(ListTable.Meta):
        model = Person
        fields = ["name", "rule", "reference", "due", "extended_until", "extend"]
        caption_id = "retention-caption"

    def render_name(self, record):
        return format_html(
            '<a href="{}">{} {}</a>',
            record.get_absolute_url(),
            record.last_name.upper(),
            record.first_name,
        )

    def value_name(self, record):
        return f"{record.last_name.upper()} {record.first_name}"

    def render_rule(self, value):
        return RetentionRule(value).label

    def render_due(self, record):
        due = due_on(record)
        return due.strftime("%d/%m/%Y") if due else "—"

    def render_extend(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("contacts:retention-extend", args=[record.pk]),
            _("Prolonger"),
        )

    def value_extend(self, record):
        return ""


class RetentionFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Nom"), method="search")
    rule = django_filters.ChoiceFilter(label=_("Règle"), choices=RetentionRule.choices)

    class Meta:
        model = Person
        fields = ["q", "rule"]

    def search(self, queryset, name, value):
        return queryset.filter(text_search(["last_name", "first_name"], value))


class EliminationTable(ListTable):
    pk = tables.Column(verbose_name=_("N°"), linkify=lambda record: record.get_absolute_url())
    rule = tables.Column(verbose_name=_("Règle"))
    count = tables.Column(
        verbose_name=_("Dossiers"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    years = tables.Column(verbose_name=_("Années"), orderable=False)
    created_at = tables.DateColumn(verbose_name=_("Établi le"), format="d/m/Y")
    status = tables.Column(verbose_name=_("État"))
    approved_on = tables.DateColumn(verbose_name=_("Visa du"), format="d/m/Y")

    class Meta(ListTable.Meta):
        model = EliminationList
        fields = ["pk", "rule", "count", "years", "created_at", "status", "approved_on"]
        caption_id = "eliminations-caption"

    def render_years(self, value):
        years = list(value)
        if not years:
            return "—"
        return years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"


class EliminationFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(label=_("État"), choices=EliminationStatus.choices)
    rule = django_filters.ChoiceFilter(label=_("Règle"), choices=RetentionRule.choices)

    class Meta:
        model = EliminationList
        fields = ["status", "rule"]
