import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from crm.core.lists import ListTable
from crm.documents.models import Document, RecordKind


class DocumentTable(ListTable):
    title = tables.Column(verbose_name=_("Titre"))
    category = tables.Column(verbose_name=_("Catégorie"), order_by=("category__name",))
    record = tables.Column(verbose_name=_("Fiche"), empty_values=(), orderable=False)
    date = tables.DateColumn(verbose_name=_("Date"), format="d/m/Y")
    visibility = tables.Column(verbose_name=_("Visibilité"))
    created_by = tables.Column(
        verbose_name=_("Déposé par"), order_by=("created_by__last_name", "created_by__first_name")
    )
    created_at = tables.DateTimeColumn(verbose_name=_("Déposé le"), format="d/m/Y H:i")

    class Meta(ListTable.Meta):
        model = Document
        fields = ["title", "category", "record", "date", "visibility", "created_by", "created_at"]
        caption_id = "documents-caption"
        empty_text = _("Aucun document.")

    def render_title(self, record, value):
        return format_html(
            '<a href="{}">{}</a>', reverse("documents:detail", args=[record.pk]), value
        )

    def render_record(self, record, **kwargs):
        kind = record.record_kind
        return format_html("{} : {}", RecordKind(kind).label, str(record.record))

    def value_record(self, record, **kwargs):
        return f"{RecordKind(record.record_kind).label} : {record.record}"
