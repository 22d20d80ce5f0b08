import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from crm.core.lists import ListTable
from crm.models import Project


class ProjectTable(ListTable):
    name = tables.Column(verbose_name=_("Projet"), linkify=True)
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
        caption_id = "projects-caption"
