"""The duplicates page: pairs the scan found probably the same, to merge or to dismiss."""

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from contacts.duplicate_scan import duplicate_dismiss, scan_duplicates
from contacts.models import DuplicatePair, MergeKind
from contacts.validators import name_key
from crm.core import permissions
from crm.core.lists import FilteredTableView, ListFilterSet, ListTable


class DuplicateFilter(ListFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Fiches"), choices=MergeKind.choices, empty_label=None
    )
    q = django_filters.CharFilter(
        label=gettext_lazy("Nom"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Nom de l'une des fiches")}),
    )
    min_score = django_filters.NumberFilter(
        label=gettext_lazy("Probabilité minimale (%)"),
        method="filter_min_score",
        min_value=0,
        max_value=100,
    )

    class Meta:
        model = DuplicatePair
        fields = ["kind"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("kind", MergeKind.PERSON)
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        key = name_key(value)
        if not key:
            return queryset
        return queryset.filter(
            Q(first_person__name_key__contains=key)
            | Q(second_person__name_key__contains=key)
            | Q(first_organisation__name_key__contains=key)
            | Q(second_organisation__name_key__contains=key)
        )

    def filter_min_score(self, queryset, name, value):
        return queryset.filter(score__gte=float(value) / 100)


class DuplicateTable(ListTable):
    first = tables.Column(verbose_name=gettext_lazy("Fiche"), orderable=False, empty_values=())
    second = tables.Column(
        verbose_name=gettext_lazy("Doublon probable"), orderable=False, empty_values=()
    )
    score = tables.Column(
        verbose_name=gettext_lazy("Probabilité"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    reasons = tables.Column(verbose_name=gettext_lazy("Raisons"), orderable=False)
    actions = tables.TemplateColumn(
        template_name="contacts/_duplicate_actions.html",
        verbose_name=gettext_lazy("Actions"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(ListTable.Meta):
        model = DuplicatePair
        fields = ["first", "second", "score", "reasons", "actions"]
        caption_id = "duplicates-caption"

    def _record(self, record):
        commune = f" ({record.commune})" if record.commune_id else ""
        return f"{record}{commune}"

    def render_first(self, record):
        return self._link(record.first)

    def render_second(self, record):
        return self._link(record.second)

    def _link(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), self._record(record))

    def value_first(self, record):
        return self._record(record.first)

    def value_second(self, record):
        return self._record(record.second)

    def render_score(self, value):
        return f"{round(value * 100)} %"

    def render_reasons(self, record):
        return " ; ".join(record.reason_labels)

    def value_reasons(self, record):
        return self.render_reasons(record)


class DuplicateListView(FilteredTableView):
    title = gettext_lazy("Doublons probables")
    template_name = "contacts/duplicates.html"
    table_class = DuplicateTable
    filterset_class = DuplicateFilter
    default_ordering = ("-score", "pk")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            permissions.require(permissions.can_change_contacts(request.user))
        return super().dispatch(request, *args, **kwargs)

    def scoped_queryset(self):
        # One query for the page's pairs with both records and their communes.
        return (
            DuplicatePair.objects.visible_to(self.request.user)
            .open()
            .select_related(
                "first_person__commune",
                "second_person__commune",
                "first_organisation__commune",
                "second_organisation__commune",
            )
        )


@login_required
@require_POST
def duplicate_scan_view(request):
    permissions.require(permissions.can_change_contacts(request.user))
    counts = scan_duplicates()
    messages.success(
        request,
        _("Recherche terminée : %(people)s paires de porteur·ses, %(orgs)s de structures.")
        % {"people": counts["person"], "orgs": counts["organisation"]},
    )
    return redirect("contacts:duplicates")


@login_required
@require_POST
def duplicate_dismiss_view(request, pk):
    permissions.require(permissions.can_change_contacts(request.user))
    pair = get_object_or_404(DuplicatePair.objects.visible_to(request.user).open(), pk=pk)
    duplicate_dismiss(pair=pair, by=request.user)
    messages.success(
        request,
        _("« %(first)s » et « %(second)s » ne seront plus proposées comme doublons.")
        % {"first": pair.first, "second": pair.second},
    )
    return redirect(f"{reverse('contacts:duplicates')}?kind={pair.kind}")
