import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from crm.core.lists import ListTable
from followups.models import Action, Cohort, Contract, Event, Meeting, MessageTemplate


class MeetingTable(ListTable):
    start = tables.Column(verbose_name=_("Date"))
    project = tables.Column(verbose_name=_("Projet"), order_by=("project__name",))
    format = tables.Column(verbose_name=_("Format"))
    mode = tables.Column(verbose_name=_("Modalité"))
    duration_minutes = tables.Column(verbose_name=_("Durée"), attrs={"td": {"class": "num"}})
    led_by = tables.Column(
        verbose_name=_("Mené par"), order_by=("led_by__last_name", "led_by__first_name")
    )

    class Meta(ListTable.Meta):
        model = Meeting
        fields = ["start", "project", "format", "mode", "duration_minutes", "led_by"]
        caption_id = "meetings-caption"
        empty_text = _("Aucun rendez-vous.")

    def render_start(self, record, value):
        url = reverse("followups:meeting-detail", args=[record.pk])
        return format_html(
            '<a href="{}">{}</a>', url, f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
        )

    def render_project(self, record, value):
        url = reverse("followups:project-meetings", args=[record.project_id])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_duration_minutes(self, value):
        hours, minutes = divmod(value, 60)
        return f"{hours} h {minutes:02d}" if hours else f"{minutes} min"


class ProjectMeetingTable(MeetingTable):
    class Meta(MeetingTable.Meta):
        exclude = ["project"]


class EventTable(ListTable):
    start = tables.Column(verbose_name=_("Date"))
    title = tables.Column(verbose_name=_("Titre"))
    kind = tables.Column(verbose_name=_("Type"))
    place = tables.Column(verbose_name=_("Lieu"))
    registered = tables.Column(
        verbose_name=_("Inscrit·es"), accessor="registered", attrs={"td": {"class": "num"}}
    )
    capacity = tables.Column(verbose_name=_("Places"), default="—", attrs={"td": {"class": "num"}})

    class Meta(ListTable.Meta):
        model = Event
        fields = ["start", "title", "kind", "place", "registered", "capacity"]
        caption_id = "events-caption"
        empty_text = _("Aucun atelier.")

    def render_start(self, value):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"

    def render_title(self, record, value):
        url = reverse("followups:event-detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)


class CohortTable(ListTable):
    name = tables.Column(verbose_name=_("Promotion"))
    start_date = tables.DateColumn(verbose_name=_("Début"), format="d/m/Y")
    end_date = tables.DateColumn(verbose_name=_("Fin"), format="d/m/Y")
    project_count = tables.Column(
        verbose_name=_("Projets"), accessor="project_count", attrs={"td": {"class": "num"}}
    )

    class Meta(ListTable.Meta):
        model = Cohort
        fields = ["name", "start_date", "end_date", "project_count"]
        caption_id = "cohorts-caption"
        empty_text = _("Aucune promotion.")

    def render_name(self, record, value):
        url = reverse("followups:cohort-detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)


class ContractTable(ListTable):
    reference = tables.Column(verbose_name=_("Référence"))
    provider = tables.Column(verbose_name=_("Prestataire"), order_by=("provider__name",))
    start_date = tables.DateColumn(verbose_name=_("Début"), format="d/m/Y")
    end_date = tables.DateColumn(verbose_name=_("Fin"), format="d/m/Y")
    max_amount = tables.Column(verbose_name=_("Montant maximum"), attrs={"td": {"class": "num"}})

    class Meta(ListTable.Meta):
        model = Contract
        fields = ["reference", "provider", "start_date", "end_date", "max_amount"]
        caption_id = "contracts-caption"
        empty_text = _("Aucun marché.")

    def render_reference(self, record, value):
        url = reverse("followups:contract-detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_max_amount(self, value):
        from followups.templatetags.followups import euros

        return euros(value)


class ActionTable(ListTable):
    title = tables.Column(verbose_name=_("Action"))
    project = tables.Column(verbose_name=_("Projet"), order_by=("project__name",))
    owner = tables.Column(
        verbose_name=_("Responsable"), order_by=("owner__last_name", "owner__first_name")
    )
    due_on = tables.Column(verbose_name=_("Échéance"))
    done_on = tables.Column(verbose_name=_("Faite le"), default="—")
    manage = tables.TemplateColumn(
        template_name="followups/_action_row_controls.html",
        verbose_name=_("Gérer"),
        orderable=False,
    )

    class Meta(ListTable.Meta):
        model = Action
        fields = ["title", "project", "owner", "due_on", "done_on"]
        caption_id = "actions-caption"
        empty_text = _("Aucune action ne correspond à ces filtres.")

    def render_project(self, record, value):
        url = reverse("crm:project-detail", args=[record.project_id])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_due_on(self, value):
        return f"{value:%d/%m/%Y}"

    def render_done_on(self, value):
        return f"{value:%d/%m/%Y}"


class MessageTemplateTable(ListTable):
    name = tables.Column(verbose_name=_("Modèle"))
    subject = tables.Column(verbose_name=_("Objet"))
    updated_at = tables.Column(verbose_name=_("Modifié le"))

    class Meta(ListTable.Meta):
        model = MessageTemplate
        fields = ["name", "subject", "updated_at"]
        caption_id = "templates-caption"
        empty_text = _("Aucun modèle d'e-mail pour l'instant.")

    def render_name(self, record, value):
        url = reverse("followups:message-template-edit", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_updated_at(self, value):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
