"""What the API accepts to write: input serializers, scoped to what the writer may see
(an id out of reach reads as one that does not exist). The views hand them to the services."""

from rest_framework import serializers

from contacts.models import Person
from crm.models import ExitReason, Project, Stage, Status, Theme, User
from followups.models import Cohort, MeetingFormat, MeetingMode, NoteVisibility, TimeKind
from followups.services import MeetingDetails, NextStep

MAX_NOTES = 10
MAX_NEXT_STEPS = 10


def _user(serializer):
    return serializer.context["request"].user


class ScopedPrimaryKey(serializers.PrimaryKeyRelatedField):
    """An id among the records the request's user may see."""

    def __init__(self, *, model, **kwargs):
        self.model = model
        # The whole table names the field's model (for the schema); lookups are scoped.
        super().__init__(queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)


class NoteInput(serializers.Serializer):
    visibility = serializers.ChoiceField(choices=NoteVisibility.choices)
    text = serializers.CharField(max_length=20_000)


class NextStepInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_on = serializers.DateField()


class MeetingInput(serializers.Serializer):
    project = ScopedPrimaryKey(model=Project)
    start = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    format = serializers.ChoiceField(
        choices=MeetingFormat.choices, default=MeetingFormat.INDIVIDUAL
    )
    mode = serializers.ChoiceField(choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    place = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    summary = serializers.CharField(max_length=20_000, required=False, default="", allow_blank=True)
    decisions = serializers.CharField(
        max_length=20_000, required=False, default="", allow_blank=True
    )
    time_kind = serializers.ChoiceField(choices=TimeKind.choices, default=TimeKind.INDIVIDUAL)
    cohort = ScopedPrimaryKey(model=Cohort, required=False, allow_null=True, default=None)
    themes = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(), many=True, required=False, default=list
    )
    participants = ScopedPrimaryKey(model=Person, many=True, required=False, default=list)
    notes = NoteInput(many=True, required=False, default=list, max_length=MAX_NOTES)
    next_steps = NextStepInput(many=True, required=False, default=list, max_length=MAX_NEXT_STEPS)

    def details(self) -> MeetingDetails:
        data = self.validated_data
        return MeetingDetails(
            start=data["start"],
            duration_minutes=data["duration_minutes"],
            format=data["format"],
            mode=data["mode"],
            place=data["place"],
            summary=data["summary"],
            decisions=data["decisions"],
            time_kind=data["time_kind"],
            cohort=data["cohort"],
            themes=data["themes"],
            participants=data["participants"],
        )

    def notes_list(self) -> list[tuple[str, str]]:
        return [(note["visibility"], note["text"]) for note in self.validated_data["notes"]]

    def next_steps_list(self) -> list[NextStep]:
        return [NextStep(**step) for step in self.validated_data["next_steps"]]


class ActionInput(serializers.Serializer):
    project = ScopedPrimaryKey(model=Project)
    title = serializers.CharField(max_length=300)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_on = serializers.DateField()


class ActionChange(serializers.Serializer):
    """A partial change of an action; `version` is the one the client read."""

    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=300, required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False
    )
    due_on = serializers.DateField(required=False)
    done_on = serializers.DateField(required=False, allow_null=True)


class StageInput(serializers.Serializer):
    """A stage or status move; `version` is the project's version the client read."""

    version = serializers.IntegerField(min_value=1)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    exit_reason = serializers.ChoiceField(
        choices=ExitReason.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=5_000, required=False, default="", allow_blank=True)
