"""The API's endpoints: each list reads the same scoped queryset and FilterSet as its page;
each write calls the same service as its form."""

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from contacts.filters import OrganisationFilter, PersonFilter
from contacts.models import Organisation, Person
from crm.api import serializers as out
from crm.api import writes
from crm.api.filters import (
    ActionFilter,
    AttendanceFilter,
    MeasureFilter,
    PageFilterBackend,
    StageChangeFilter,
    UniqueOrderingFilter,
    UpdatedSinceFilter,
)
from crm.api.reads import log_api_read
from crm.intake.views.calls import CallApplicationFilter
from crm.models import Application, Project, ProjectMeasure, ProjectMember, StageChange
from crm.projects import services as project_services
from crm.projects.filters import ProjectFilter
from followups import services as followups_services
from followups.filters import EventFilter, MeetingFilter
from followups.models import Action, Attendance, Event, Meeting
from followups.selectors import notes_prefetch


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and a detail, scoped by `visible_to(user)`. `updated_field` offers
    `?updated_since=`; `personal_data` counts each read in the access log."""

    filter_backends = [PageFilterBackend, UpdatedSinceFilter, UniqueOrderingFilter]
    updated_field: str | None = None
    personal_data = False
    model = None

    def scoped(self, user):
        return self.model.objects.visible_to(user)

    def get_queryset(self):
        return self.scoped(self.request.user)

    def finalize_response(self, request, response, *args, **kwargs):
        if self.personal_data and request.method == "GET" and response.status_code == 200:
            log_api_read(request, resource=self.basename)
        return super().finalize_response(request, response, *args, **kwargs)


class ProjectViewSet(ReadViewSet):
    model = Project
    serializer_class = out.ProjectSerializer
    filterset_class = ProjectFilter
    updated_field = "updated_at"
    personal_data = True  # the lead's name
    ordering = ("name", "pk")
    ordering_fields = ["name", "entry_date", "updated_at", "created_at", "pk"]

    def scoped(self, user):
        lead = ProjectMember.objects.filter(project=OuterRef("pk"), is_lead=True)
        return (
            Project.objects.visible_to(user)
            .select_related("commune")
            .prefetch_related("themes")
            .annotate(
                lead_id=Subquery(lead.values("person_id")[:1]),
                lead_name=Subquery(
                    lead.values(
                        full_name=Concat("person__first_name", Value(" "), "person__last_name")
                    )[:1]
                ),
            )
        )

    @extend_schema(request=writes.StageInput, responses={200: out.ProjectSerializer})
    @action(detail=True, methods=["post"], url_path="stage")
    def stage(self, request, pk=None):
        """Move the project to another stage or status (recorded as a stage change);
        `version` must be the project's current one (409 otherwise)."""
        project = self.get_object()
        data = writes.StageInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        project_services.project_move(
            project=project,
            by=request.user,
            stage=values.get("stage"),
            status=values.get("status"),
            exit_reason=values["exit_reason"],
            note=values["note"],
            expected_version=values["version"],
        )
        return Response(self.get_serializer(self.get_object()).data)


class StageChangeViewSet(ReadViewSet):
    model = StageChange
    serializer_class = out.StageChangeSerializer
    filterset_class = StageChangeFilter
    updated_field = "at"
    ordering = ("at", "pk")
    ordering_fields = ["at", "pk"]


class PersonViewSet(ReadViewSet):
    model = Person
    serializer_class = out.PersonSerializer
    filterset_class = PersonFilter
    updated_field = "updated_at"
    personal_data = True
    ordering = ("last_name", "first_name", "pk")
    ordering_fields = ["last_name", "updated_at", "created_at", "pk"]


class OrganisationViewSet(ReadViewSet):
    model = Organisation
    serializer_class = out.OrganisationSerializer
    filterset_class = OrganisationFilter
    updated_field = "updated_at"
    ordering = ("name", "pk")
    ordering_fields = ["name", "updated_at", "created_at", "pk"]


class MeetingViewSet(mixins.CreateModelMixin, ReadViewSet):
    model = Meeting
    serializer_class = out.MeetingSerializer
    filterset_class = MeetingFilter
    updated_field = "updated_at"
    personal_data = True  # notes and participants
    ordering = ("-start", "-pk")
    ordering_fields = ["start", "updated_at", "pk"]

    def scoped(self, user):
        return Meeting.objects.visible_to(user).prefetch_related(
            notes_prefetch(user), "themes", "participants"
        )

    @extend_schema(request=writes.MeetingInput, responses={201: out.MeetingSerializer})
    def create(self, request, *args, **kwargs):
        """Log a meeting with its notes and next steps (followups.services.meeting_log)."""
        data = writes.MeetingInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        result = followups_services.meeting_log(
            project=data.validated_data["project"],
            by=request.user,
            details=data.details(),
            notes=data.notes_list(),
            next_steps=data.next_steps_list(),
        )
        meeting = self.get_queryset().get(pk=result.meeting.pk)
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)


class ActionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    model = Action
    serializer_class = out.ActionSerializer
    filterset_class = ActionFilter
    updated_field = "updated_at"
    ordering = ("due_on", "pk")
    ordering_fields = ["due_on", "updated_at", "pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=writes.ActionInput, responses={201: out.ActionSerializer})
    def create(self, request, *args, **kwargs):
        """Add a next step to a project (followups.services.action_create)."""
        data = writes.ActionInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        created = followups_services.action_create(by=request.user, **data.validated_data)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=writes.ActionChange, responses={200: out.ActionSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change an action; `version` must be its current one (409 otherwise)."""
        current = self.get_object()
        data = writes.ActionChange(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        expected = changes.pop("version")
        saved = followups_services.action_update(
            action=current, by=request.user, expected_version=expected, **changes
        )
        return Response(self.get_serializer(saved).data)


class EventViewSet(ReadViewSet):
    model = Event
    serializer_class = out.EventSerializer
    filterset_class = EventFilter
    ordering = ("-start", "pk")
    ordering_fields = ["start", "pk"]

    def scoped(self, user):
        return Event.objects.visible_to(user).prefetch_related("partners")


class AttendanceViewSet(ReadViewSet):
    model = Attendance
    serializer_class = out.AttendanceSerializer
    filterset_class = AttendanceFilter
    personal_data = True
    ordering = ("event_id", "pk")
    ordering_fields = ["pk"]


class ApplicationViewSet(ReadViewSet):
    model = Application
    serializer_class = out.ApplicationSerializer
    filterset_class = CallApplicationFilter
    ordering = ("pk",)
    ordering_fields = ["created_at", "pk"]

    def scoped(self, user):
        return Application.objects.visible_to(user).select_related("call")


class MeasureViewSet(ReadViewSet):
    model = ProjectMeasure
    serializer_class = out.MeasureSerializer
    filterset_class = MeasureFilter
    ordering = ("measured_on", "pk")
    ordering_fields = ["measured_on", "pk"]
