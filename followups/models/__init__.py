"""Follow-ups: meetings and their notes, next steps, workshops and attendance, cohorts,
the provider's contract ledger, reminders and calendar tokens; one module per part of the
domain, imported from here.

Who sees what is decided in each queryset's `visible_to(user)`; internal notes are left out
of `MeetingNote.objects.visible_to()` for everyone but officers."""

from followups.models.actions import Action, ActionChange, ActionChangeKind, ActionQuerySet
from followups.models.cohorts import Cohort, CohortQuerySet
from followups.models.contracts import (
    Contract,
    ContractQuerySet,
    OrderLine,
    PurchaseOrder,
    UnitKind,
    UnitPrice,
)
from followups.models.events import (
    Attendance,
    AttendanceQuerySet,
    AttendanceStatus,
    Event,
    EventKind,
    EventQuerySet,
)
from followups.models.ledger import Consumption, ConsumptionQuerySet, ServiceCertification
from followups.models.meetings import (
    Meeting,
    MeetingFormat,
    MeetingMode,
    MeetingNote,
    MeetingNoteQuerySet,
    NoteVisibility,
    TimeKind,
    default_note_visibility,
)
from followups.models.messages import (
    MessageStatus,
    MessageTemplate,
    SentMessage,
    SentMessageQuerySet,
)
from followups.models.work import CalendarToken, ReminderLog, new_calendar_token

__all__ = [
    "MessageStatus",
    "MessageTemplate",
    "SentMessage",
    "SentMessageQuerySet",
    "Action",
    "ActionChange",
    "ActionChangeKind",
    "ActionQuerySet",
    "Attendance",
    "AttendanceQuerySet",
    "AttendanceStatus",
    "CalendarToken",
    "Cohort",
    "CohortQuerySet",
    "Consumption",
    "ConsumptionQuerySet",
    "Contract",
    "ContractQuerySet",
    "Event",
    "EventKind",
    "EventQuerySet",
    "Meeting",
    "MeetingFormat",
    "MeetingMode",
    "MeetingNote",
    "MeetingNoteQuerySet",
    "NoteVisibility",
    "default_note_visibility",
    "OrderLine",
    "PurchaseOrder",
    "ReminderLog",
    "ServiceCertification",
    "TimeKind",
    "UnitKind",
    "UnitPrice",
    # The migrations refer to followups.models.new_calendar_token, the token's default.
    "new_calendar_token",
]
