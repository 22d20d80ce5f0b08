import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from crm.core.lists import DayFilter, ListFilterSet, text_search
from crm.core.widgets import DateInput
from crm.documents.models import RECORD_KINDS, Document, DocumentCategory, RecordKind
from crm.models import User


def uploader_choices(request):
    """Staff who uploaded a document the user may see (a coach never learns other names)."""
    if request is None:
        return User.objects.none()
    visible = Document.objects.visible_to(request.user)
    return User.objects.filter(Exists(visible.filter(created_by=OuterRef("pk")))).order_by(
        "last_name", "first_name", "pk"
    )


class DocumentFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="search")
    category = django_filters.ModelChoiceFilter(
        label=_("Catégorie"), queryset=DocumentCategory.objects.all()
    )
    record = django_filters.ChoiceFilter(
        label=_("Fiche"), choices=RecordKind.choices, method="of_kind"
    )
    created_by = django_filters.ModelChoiceFilter(label=_("Déposé par"), queryset=uploader_choices)
    date_from = django_filters.DateFilter(
        label=_("Daté à partir du"), field_name="date", lookup_expr="gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("Daté jusqu'au"), field_name="date", lookup_expr="lte", widget=DateInput()
    )
    uploaded_from = DayFilter(label=_("Déposé à partir du"), field_name="created_at")

    class Meta:
        model = Document
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(text_search(["title"], value))

    def of_kind(self, queryset, name, value):
        field, _label = RECORD_KINDS[value]
        return queryset.filter(**{f"{field}__isnull": False})
