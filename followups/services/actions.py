"""Next steps written outside a meeting (the REST API): create one, change one."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.core.concurrency import save_if_unchanged
from crm.models import Project
from followups.models import Action

# The columns action_update writes (the escalation belongs to send_reminders).
ACTION_FIELDS = ["title", "owner", "due_on", "done_on"]


def _check_owner(project: Project, owner, by) -> None:
    """The people a next step may be given to: the project's coach, its officer, or the
    author (the meeting form offers the same, followups.forms.next_step_owners)."""
    allowed = {project.coach_id, project.officer_id, by.pk} - {None}
    if owner is None or owner.pk not in allowed or not owner.is_active:
        raise ValidationError(
            {
                "owner": _(
                    "Le·la responsable doit être l'accompagnateur·rice, le·la chargé·e de "
                    "mission du projet, ou vous-même."
                )
            }
        )


@transaction.atomic
def action_create(
    *, project: Project, by, title: str, owner, due_on: datetime.date, meeting=None
) -> Action:
    """A next step on `project` (whoever may log a meeting on it: Http404 for a project
    out of reach, PermissionDenied for a reader)."""
    if not Project.objects.visible_to(by).filter(pk=project.pk).exists():
        raise Http404
    permissions.require(permissions.can_log_meeting(by, project))
    _check_owner(project, owner, by)
    if meeting is not None and meeting.project_id != project.pk:
        raise ValidationError({"meeting": _("Ce rendez-vous n'est pas celui de ce projet.")})
    action = Action(title=title, project=project, owner=owner, due_on=due_on, meeting=meeting)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(*, action: Action, by, expected_version: int, **changes) -> Action:
    """Change an action's title, owner, due date or done date. Raises
    crm.core.concurrency.StaleObjectError, writing nothing, when somebody saved it since
    `expected_version` was loaded."""
    if not Action.objects.visible_to(by).filter(pk=action.pk).exists():
        raise Http404
    permissions.require(permissions.can_complete_action(by, action))
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"action_update cannot change {sorted(unknown)}")
    if "owner" in changes and changes["owner"] != action.owner:
        _check_owner(action.project, changes["owner"], by)
    for name, value in changes.items():
        setattr(action, name, value)
    action.full_clean(exclude=["version"])
    return save_if_unchanged(action, expected_version=expected_version, update_fields=ACTION_FIELDS)
