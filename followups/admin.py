"""Admin for the reference side of follow-ups: the provider's contracts, their unit prices
and purchase orders, and cohorts. Meetings and events are entered through the app's pages
(their services apply the rules), so the admin only lists them read-only."""

from django.contrib import admin

from followups.models import (
    Cohort,
    Contract,
    Event,
    Meeting,
    OrderLine,
    PurchaseOrder,
    ServiceCertification,
    UnitPrice,
)


class UnitPriceInline(admin.TabularInline):
    model = UnitPrice
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["reference", "provider", "start_date", "end_date", "max_amount"]
    search_fields = ["reference", "provider__name"]
    autocomplete_fields = ["provider"]
    inlines = [UnitPriceInline]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "contract", "issued_on"]
    list_filter = ["contract"]
    search_fields = ["number"]
    inlines = [OrderLineInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date"]
    search_fields = ["name"]
    filter_horizontal = ["projects"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["project", "start", "duration_minutes", "format", "led_by"]
    list_select_related = ["project", "led_by"]
    date_hierarchy = "start"
    # Internal notes are not inlined: the admin is the administrator's, not a reading room.
    exclude = ["participants", "staff", "themes"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "start", "place"]
    date_hierarchy = "start"


@admin.register(ServiceCertification)
class ServiceCertificationAdmin(ReadOnlyAdmin):
    list_display = ["order", "month", "amount", "certified_by", "certified_at", "revoked_at"]
