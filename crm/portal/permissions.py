"""Who may invite a person to the entrepreneur space, and what an entrepreneur may do
there (asked by the views, asserted again by crm.portal.services)."""

from crm.core import roles
from crm.models import Project


def can_invite(user, person) -> bool:
    """Officers; the coach of a (current) project the person is a member of."""
    if roles.is_officer(user):
        return True
    if not roles.is_coach(user):
        return False
    return Project.objects.current().filter(coach=user, members__person=person).exists()
