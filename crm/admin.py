from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from crm.models import (
    AccessEvent,
    Commune,
    Project,
    ProjectMeasure,
    ProjectMember,
    StageChange,
    Theme,
    User,
)
from crm.security.sessions import end_user_sessions, user_deactivate


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "organisation", "is_active"]
    list_filter = ["groups", "is_active", "is_superuser", "organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Structure"), {"fields": ["organisation"]}),
    ]
    actions = ["deactivate"]

    @admin.action(description=_("Désactiver et déconnecter immédiatement"))
    def deactivate(self, request, queryset):
        ended = sum(user_deactivate(user=user) for user in queryset)
        self.message_user(
            request,
            _("%(users)d compte(s) désactivé(s), %(sessions)d session(s) fermée(s).")
            % {"users": queryset.count(), "sessions": ended},
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Unticking "active" on the form ends the user's sessions at once, like the action.
        if change and "is_active" in form.changed_data and not obj.is_active:
            end_user_sessions(user=obj)


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "postal_code", "in_territory"]
    list_filter = ["in_territory"]
    search_fields = ["name", "insee_code", "postal_code"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "position"]
    search_fields = ["label", "code"]


class ProjectMemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 0
    autocomplete_fields = ["person"]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ["at", "by", "from_stage", "to_stage", "from_status", "to_status", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Moves are recorded by crm.projects.services.project_move only.
        return False


class ProjectMeasureInline(admin.StackedInline):
    model = ProjectMeasure
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "stage", "status", "commune", "officer", "coach", "entry_date"]
    list_filter = ["stage", "status", "sector", "source", "in_qpv", "commune", "themes"]
    search_fields = ["name", "summary", "organisation__name", "people__last_name"]
    list_select_related = ["commune", "officer", "coach"]
    autocomplete_fields = ["organisation", "officer", "coach"]
    filter_horizontal = ["themes"]
    date_hierarchy = "entry_date"
    # The same page size as /projects/, so `make bench` compares like with like.
    list_per_page = 25
    # Stage and status move through project_move so that the history stays complete.
    readonly_fields = ["stage", "status", "exit_reason"]
    inlines = [ProjectMemberInline, ProjectMeasureInline, StageChangeInline]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "at", "to_stage", "to_status", "by"]
    list_filter = ["to_stage", "to_status", "exit_reason"]
    search_fields = ["project__name", "note"]
    list_select_related = ["project", "by"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProjectMeasure)
class ProjectMeasureAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "measured_on", "jobs_permanent", "fte", "turnover"]
    list_filter = ["kind", "still_active"]
    search_fields = ["project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]


# --- Intake: registrations, triage decisions, calls for projects (issue 8) ----------------

# Imported here so this section merges cleanly with the other branches' admin changes.
from crm.models import Application, Call, Registration, TriageDecision  # noqa: E402


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "envelope", "opens_on", "closes_on"]
    search_fields = ["title"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["project", "call", "amount_requested", "decision", "amount_awarded"]
    list_filter = ["call", "decision", "commune_opinion"]
    list_select_related = ["project", "call"]
    search_fields = ["project__name"]
    raw_id_fields = ["project"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["project", "person", "submitted_at", "person_matched", "organisation_matched"]
    list_select_related = ["project", "person"]
    raw_id_fields = ["project", "person"]
    filter_horizontal = ["possible_duplicate_people", "possible_duplicate_organisations"]


@admin.register(TriageDecision)
class TriageDecisionAdmin(admin.ModelAdmin):
    list_display = ["project", "outcome", "at", "by", "partner", "applicant_emailed"]
    list_filter = ["outcome"]
    list_select_related = ["project", "by", "partner"]
    raw_id_fields = ["project", "partner"]


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by crm.security.audit and pruned by purge_access_log only."""

    list_display = ["at", "kind", "username", "user", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address", "detail"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
