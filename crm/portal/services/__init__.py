"""The entrepreneur portal's workflows (views, the command and tests call these)."""

from crm.portal.services.invitations import (
    InvitationError,
    invitation_accept,
    invitation_renewal_ask,
    portal_invite,
    portal_revoke,
)
from crm.portal.services.space import (
    portal_action_complete,
    portal_data_export,
    portal_details_update,
    portal_erasure_request,
    portal_register,
    portal_unregister,
)

__all__ = [
    "InvitationError",
    "invitation_accept",
    "invitation_renewal_ask",
    "portal_action_complete",
    "portal_data_export",
    "portal_details_update",
    "portal_erasure_request",
    "portal_invite",
    "portal_register",
    "portal_revoke",
    "portal_unregister",
]
