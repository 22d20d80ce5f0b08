"""Follow-up workflows: log a meeting with its next steps, complete an action, record
attendance, consume and certify the provider's units. Views, commands and tests call these
through `from followups import services`; the modules of this package never import it."""

from followups.services.actions import (
    action_complete,
    action_create,
    action_owners,
    action_postpone,
    action_reassign,
    action_reopen,
    action_update,
    actions_complete,
)
from followups.services.allocation import (
    HOURS_WARNING_RATIO,
    allocation_warning,
    cohort_allocation_warning,
)
from followups.services.events import attendance_record, attendance_self_register, event_consume
from followups.services.ledger import (
    check_month_in_contract,
    cohort_consume,
    cohort_project_add,
    cohort_project_remove,
    cohort_save,
    contract_save,
    order_save,
    service_certify,
    service_revoke,
)
from followups.services.meetings import (
    MeetingDetails,
    MeetingResult,
    NextStep,
    meeting_delete,
    meeting_log,
    note_add,
    note_delete,
    note_update,
    refresh_last_meeting,
)
from followups.services.messages import (
    deliver_message,
    message_deliver,
    message_send,
    message_template_save,
)

__all__ = [
    "HOURS_WARNING_RATIO",
    "MeetingDetails",
    "MeetingResult",
    "NextStep",
    "action_complete",
    "action_create",
    "action_owners",
    "action_postpone",
    "action_reassign",
    "action_reopen",
    "action_update",
    "actions_complete",
    "allocation_warning",
    "deliver_message",
    "message_deliver",
    "message_send",
    "message_template_save",
    "attendance_record",
    "attendance_self_register",
    "cohort_allocation_warning",
    "cohort_consume",
    "cohort_project_add",
    "cohort_project_remove",
    "cohort_save",
    "contract_save",
    "event_consume",
    "meeting_delete",
    "meeting_log",
    "note_add",
    "note_delete",
    "note_update",
    "order_save",
    "refresh_last_meeting",
    "check_month_in_contract",
    "service_certify",
    "service_revoke",
]
