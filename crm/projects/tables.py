import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from crm.core.lists import ListTable
from crm.models import Project


class ProjectTable(ListTable):
    # The bulk actions' selection: each box belongs to the form above the table
    # (crm/project_list.html); left out for users without bulk actions and from exports.
    select = tables.Column(
        verbose_name=_("Sélection"),
        accessor="pk",
        orderable=False,
        exclude_from_export=True,
        attrs={"th": {"class": "select-column"}},
    )
    # data-panel: with JavaScript the name opens the project in the side panel
    # (crm/static/crm/panel.js); without, it is the link to the project's page.
    name = tables.Column(verbose_name=_("Projet"), linkify=True, attrs={"a": {"data-panel": ""}})
    lead = tables.Column(
        verbose_name=_("Porteur·se"), accessor="lead_name", orderable=False, default="—"
    )
    stage = tables.Column(verbose_name=_("Étape"))
    status = tables.Column(verbose_name=_("Statut"))
    commune = tables.Column(verbose_name=_("Commune"), order_by=("commune__name",))
    coach = tables.Column(
        verbose_name=_("Accompagnateur·rice"), order_by=("coach__last_name", "coach__first_name")
    )
    entry_date = tables.DateColumn(verbose_name=_("Entrée"), format="d/m/Y")

    # The export reads tuples, not projects (crm.core.export_values); the text of the
    # commune and of the coach needs only these fields.
    export_from_values = True
    export_str_fields = {"commune": ("name",), "coach": ("first_name", "last_name", "username")}

    class Meta(ListTable.Meta):
        model = Project
        fields = ["name", "lead", "stage", "status", "commune", "coach", "entry_date"]
        sequence = ["select", "name", "..."]
        caption_id = "projects-caption"

    def render_select(self, record):
        return format_html(
            '<input type="checkbox" name="pk" value="{}" form="bulk-form" aria-label="{}">',
            record.pk,
            _("Sélectionner « %(name)s »") % {"name": record.name},
        )

    def render_status(self, record):
        return format_html(
            '<span class="badge status-{}">{}</span>', record.status, record.get_status_display()
        )
