"""What the API shows of each record: read-only serializers. Relations are ids (with a
name where a reader needs one); choices are their codes (the schema lists them)."""

from rest_framework import serializers

from contacts.models import Organisation, Person
from crm.models import Application, Project, ProjectMeasure, StageChange
from followups.models import Action, Attendance, Event, Meeting, MeetingNote


class ProjectSerializer(serializers.ModelSerializer):
    commune_insee = serializers.CharField(source="commune.insee_code", default=None)
    lead = serializers.IntegerField(source="lead_id", read_only=True, allow_null=True)
    lead_name = serializers.CharField(read_only=True, allow_null=True)
    themes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "summary",
            "sector",
            "themes",
            "stage",
            "status",
            "exit_reason",
            "commune",
            "commune_insee",
            "in_qpv",
            "source",
            "officer",
            "coach",
            "lead",
            "lead_name",
            "organisation",
            "hours_allocated",
            "entry_date",
            "exit_date",
            "created_at",
            "updated_at",
            "archived_at",
            "version",
        ]


class StageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = [
            "id",
            "project",
            "at",
            "by",
            "from_stage",
            "to_stage",
            "from_status",
            "to_status",
            "exit_reason",
            "note",
        ]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "gender",
            "birth_year",
            "commune",
            "lives_in_qpv",
            "employment_situation_at_entry",
            "consent_newsletter",
            "consent_photos",
            "created_at",
            "updated_at",
            "archived_at",
            "version",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "legal_form",
            "siren",
            "siret",
            "rna",
            "naf_code",
            "naf_version",
            "address",
            "postal_code",
            "commune",
            "website",
            "email",
            "phone",
            "created_at",
            "updated_at",
            "archived_at",
            "version",
        ]


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingNote
        fields = ["id", "text", "visibility", "author", "created_at", "updated_at", "version"]


class MeetingSerializer(serializers.ModelSerializer):
    # Only the notes the reader may see (followups.selectors.notes_prefetch): internal
    # notes reach officers only.
    notes = NoteSerializer(many=True, read_only=True, source="visible_notes")
    themes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    participants = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "project",
            "start",
            "duration_minutes",
            "hours",
            "format",
            "mode",
            "place",
            "themes",
            "participants",
            "led_by",
            "summary",
            "decisions",
            "time_kind",
            "cohort",
            "order",
            "notes",
            "created_at",
            "updated_at",
            "version",
        ]


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "project",
            "owner",
            "due_on",
            "done_on",
            "created_on",
            "meeting",
            "updated_at",
            "version",
        ]


class EventSerializer(serializers.ModelSerializer):
    hours = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    partners = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "theme",
            "start",
            "end",
            "hours",
            "place",
            "partners",
            "capacity",
            "cohort",
            "version",
        ]


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "event", "person", "project", "status"]


class ApplicationSerializer(serializers.ModelSerializer):
    call_year = serializers.IntegerField(source="call.year", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "call_year",
            "project",
            "amount_requested",
            "commune_opinion",
            "decision",
            "amount_awarded",
            "decided_at",
            "first_payment_on",
            "balance_paid_on",
            "created_at",
            "version",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectMeasure
        fields = "__all__"


class OpenDataRowSerializer(serializers.Serializer):
    commune_insee = serializers.CharField(allow_null=True)
    commune = serializers.CharField(allow_null=True)
    stage = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    projects = serializers.IntegerField()
