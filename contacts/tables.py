import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, Person
from contacts.templatetags.contacts_tags import french_phone
from crm.core.lists import ListTable


class PersonTable(ListTable):
    name = tables.Column(
        verbose_name=_("Nom"),
        accessor="last_name",
        order_by=("last_name", "first_name"),
        linkify=True,
    )
    email = tables.EmailColumn(verbose_name=_("Courriel"))
    phone = tables.Column(verbose_name=_("Téléphone"))
    commune = tables.Column(verbose_name=_("Commune"), order_by=("commune__name",))
    lead_project = tables.Column(verbose_name=_("Projet principal"), orderable=False, default="—")
    projects_count = tables.Column(
        verbose_name=_("Projets"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

    class Meta(ListTable.Meta):
        model = Person
        fields = ["name", "email", "phone", "commune", "lead_project", "projects_count"]
        caption_id = "people-caption"
        attrs = {"class": "table data-table contacts-table"}

    def render_phone(self, value):
        return french_phone(value)

    def render_name(self, record):
        return f"{record.last_name.upper()} {record.first_name}"


class OrganisationTable(ListTable):
    name = tables.Column(verbose_name=_("Nom"), linkify=True)
    legal_form = tables.Column(verbose_name=_("Forme juridique"))
    siret = tables.Column(verbose_name=_("SIRET"))
    commune = tables.Column(verbose_name=_("Commune"), order_by=("commune__name",))
    labels = tables.Column(
        verbose_name=_("Labels en cours"), accessor="valid_labels", orderable=False, default="—"
    )
    projects_count = tables.Column(
        verbose_name=_("Projets"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

    class Meta(ListTable.Meta):
        model = Organisation
        fields = ["name", "legal_form", "siret", "commune", "labels", "projects_count"]
        caption_id = "organisations-caption"
        attrs = {"class": "table data-table contacts-table"}

    def render_labels(self, value):
        labels = list(value)
        if not labels:
            return "—"
        return ", ".join(label.get_kind_display() for label in labels)
