"""The campaign page's filter and table: projects whose follow-up measure is pending."""

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from crm.core.lists import ListFilterSet, ListTable
from crm.models import MeasureKind, Project
from crm.projects.filters import coach_choices, officer_choices
from crm.projects.measures import milestone_due
from followups.campaigns import CAMPAIGN_KINDS

STATE_CHOICES = [("due", _("À faire")), ("late", _("En retard"))]


class CampaignFilter(ListFilterSet):
    milestone = django_filters.ChoiceFilter(
        label=_("Mesure"),
        choices=[(kind.value, kind.label) for kind in CAMPAIGN_KINDS],
    )
    state = django_filters.ChoiceFilter(label=_("État"), choices=STATE_CHOICES, method="by_state")
    officer = django_filters.ModelChoiceFilter(
        label=_("Chargé·e de mission"), queryset=officer_choices
    )
    coach = django_filters.ModelChoiceFilter(label=_("Accompagnateur·rice"), queryset=coach_choices)
    esf_funded = django_filters.BooleanFilter(
        label=_("Cofinancé par le FSE+"),
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def by_state(self, queryset, name, value):
        return queryset.filter(late=(value == "late"))


class CampaignTable(ListTable):
    name = tables.Column(verbose_name=_("Projet"))
    milestone = tables.Column(verbose_name=_("Mesure"))
    exit_date = tables.Column(verbose_name=_("Sortie le"))
    due = tables.Column(verbose_name=_("Échéance"), accessor="exit_date", order_by=("exit_date",))
    late = tables.Column(verbose_name=_("État"))
    coach = tables.Column(
        verbose_name=_("Accompagnateur·rice"),
        order_by=("coach__last_name", "coach__first_name"),
        default="—",
    )
    officer = tables.Column(
        verbose_name=_("Chargé·e de mission"),
        order_by=("officer__last_name", "officer__first_name"),
        default="—",
    )
    record = tables.Column(verbose_name=_("Saisir"), accessor="pk", orderable=False)

    class Meta(ListTable.Meta):
        model = Project
        fields = ["name", "milestone", "exit_date", "due", "late", "coach", "officer"]
        caption_id = "campaign-caption"
        empty_text = _("Aucune mesure de suivi à faire pour ces filtres.")

    def render_name(self, record, value):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def render_milestone(self, value):
        return MeasureKind(value).label

    def render_exit_date(self, value):
        return f"{value:%d/%m/%Y}"

    def render_due(self, record):
        return f"{milestone_due(record, record.milestone):%d/%m/%Y}"

    def render_late(self, value):
        if value:
            return format_html('<span class="badge badge-late">{}</span>', _("En retard"))
        return _("À faire")

    def render_record(self, record):
        url = reverse("followups:campaign-measure", args=[record.pk, record.milestone])
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> : {}</span></a>',
            url,
            _("Saisir la mesure"),
            record.name,
        )

    def value_due(self, record):
        return milestone_due(record, record.milestone)

    def value_milestone(self, value):
        return MeasureKind(value).label

    def value_record(self, record):
        return ""
