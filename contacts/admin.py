from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contacts.models import (
    Consent,
    MergeRecord,
    Organisation,
    OrganisationLabel,
    Person,
    PersonOrganisation,
)


class MembershipInline(admin.TabularInline):
    model = PersonOrganisation
    extra = 0
    autocomplete_fields = ["person", "organisation"]


class ConsentInline(admin.TabularInline):
    """Read only: consents are given and withdrawn through contacts.gdpr.consents (dated,
    with their origin), never edited or deleted."""

    model = Consent
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "purpose",
        "given_at",
        "origin",
        "recorded_by",
        "withdrawn_at",
        "withdrawn_by",
    ]

    def has_add_permission(self, request, obj=None):
        return False


class LabelInline(admin.TabularInline):
    model = OrganisationLabel
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "legal_form", "siret", "commune", "archived_at"]
    list_filter = ["kind", "legal_form", "commune", "labels__kind", "archived_at"]
    search_fields = ["name", "siren", "siret", "rna", "email"]
    list_select_related = ["commune"]
    inlines = [LabelInline, MembershipInline]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "phone", "commune", "lives_in_qpv"]
    list_filter = ["gender", "commune", "lives_in_qpv", "employment_situation_at_entry"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    list_select_related = ["commune"]
    inlines = [MembershipInline, ConsentInline]


@admin.register(OrganisationLabel)
class OrganisationLabelAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "obtained_on", "expires_on"]
    list_filter = ["kind"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(PersonOrganisation)
class PersonOrganisationAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "role", "since"]
    list_filter = ["role"]
    search_fields = ["person__last_name", "person__first_name", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]


@admin.register(MergeRecord)
class MergeRecordAdmin(admin.ModelAdmin):
    """Merges are written by contacts.services only: read-only here."""

    list_display = ["at", "kind", "dropped_name", "kept_person", "kept_organisation", "by"]
    list_filter = ["kind"]
    list_select_related = ["kept_person", "kept_organisation", "by"]
    search_fields = ["dropped_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
