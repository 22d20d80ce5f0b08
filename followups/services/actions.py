"""Next steps on their own: set one on a project without a meeting, reassign it, postpone it
(with a reason), mark it done (one or several at once) and undo that. Each change is logged
as an ActionChange, which the project's timeline shows. The pages, the REST API and the
commands all go through these functions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.core.concurrency import save_if_unchanged, save_versioned
from crm.core.roles import Role
from crm.models import Project, User
from followups.models import Action, ActionChange, ActionChangeKind

# Further owners an app above followups adds (the entrepreneur portal: the project's
# entrepreneurs who have an account), as functions `(project) -> Q` on users.
owner_sources: list = []


def register_owner_source(source) -> None:
    if source not in owner_sources:
        owner_sources.append(source)


def action_owners(project, user):
    """Who may own a step of `project`: its coach, its officer, the user, active officers,
    and whoever a registered source adds (its entrepreneurs with an account)."""
    allowed = (
        Q(pk=project.coach_id)
        | Q(pk=project.officer_id)
        | Q(pk=user.pk)
        | Q(groups__name=Role.OFFICER)
    )
    for source in owner_sources:
        allowed |= source(project)
    return (
        User.objects.filter(allowed, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


MAX_BULK = 100


def _log(action: Action, kind: str, by, detail: str = "") -> ActionChange:
    return ActionChange.objects.create(action=action, kind=kind, by=by, detail=detail)


def _check_owner(project, owner, by) -> None:
    if not action_owners(project, by).filter(pk=owner.pk).exists():
        raise ValidationError(
            {"owner": _("Cette personne ne peut pas être responsable d'une étape de ce projet.")}
        )


def action_create(
    *,
    project: Project,
    title: str,
    owner,
    due_on: datetime.date,
    by,
    meeting=None,
    measure_kind: str = "",
) -> Action:
    """A next step set outside a meeting form (from the project page, "Mon travail" or the
    API), optionally tied to one of the project's meetings; `measure_kind` marks the task
    of the follow-up campaign (followups.campaigns) for that milestone's measure."""
    if not Project.objects.visible_to(by).filter(pk=project.pk).exists():
        raise Http404
    permissions.require(permissions.can_create_action(by, project))
    _check_owner(project, owner, by)
    if meeting is not None and meeting.project_id != project.pk:
        raise ValidationError({"meeting": _("Ce rendez-vous n'est pas celui de ce projet.")})
    action = Action(
        project=project,
        title=title.strip(),
        owner=owner,
        due_on=due_on,
        meeting=meeting,
        measure_kind=measure_kind,
    )
    action.full_clean()
    with transaction.atomic():
        action.save()
        _log(action, ActionChangeKind.CREATED, by)
    return action


def action_reassign(*, action: Action, owner, by, expected_version: int | None = None) -> Action:
    """Give the step to someone else. Raises StaleObjectError when somebody changed it since
    `expected_version` was loaded."""
    permissions.require(permissions.can_change_action(by, action))
    if owner.pk == action.owner_id:
        raise ValidationError({"owner": _("Cette personne est déjà responsable de l'action.")})
    _check_owner(action.project, owner, by)
    previous = action.owner
    action.owner = owner
    action.full_clean()
    with transaction.atomic():
        save_versioned(action, expected_version=expected_version, update_fields=["owner"])
        _log(action, ActionChangeKind.REASSIGNED, by, f"{previous} → {owner}")
    return action


def action_postpone(
    *, action: Action, due_on: datetime.date, reason: str, by, expected_version: int | None = None
) -> Action:
    """Move the due date later, saying why (the reason is required and logged)."""
    permissions.require(permissions.can_change_action(by, action))
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Dites pourquoi l'action est reportée.")
    if due_on <= action.due_on:
        errors["due_on"] = _("La nouvelle échéance doit suivre l'actuelle (%(day)s).") % {
            "day": f"{action.due_on:%d/%m/%Y}"
        }
    if action.done_on is not None:
        errors["due_on"] = _("Une action faite ne se reporte pas : rouvrez-la d'abord.")
    if errors:
        raise ValidationError(errors)
    previous = action.due_on
    action.due_on = due_on
    action.full_clean()
    detail = _("Du %(old)s au %(new)s : %(reason)s") % {
        "old": f"{previous:%d/%m/%Y}",
        "new": f"{due_on:%d/%m/%Y}",
        "reason": reason.strip(),
    }
    with transaction.atomic():
        save_versioned(action, expected_version=expected_version, update_fields=["due_on"])
        _log(action, ActionChangeKind.POSTPONED, by, detail)
    return action


def action_complete(
    *, action: Action, by, on: datetime.date | None = None, comment: str = ""
) -> Action:
    """Mark an action done (its owner, an officer, or the project's coach), with an
    optional comment kept in the action's log (the project's timeline shows it)."""
    # The caller fetched the action through visible_to: whoever gets here may read it.
    permissions.require(permissions.can_complete_action(by, action))
    if action.done_on is None:
        action.done_on = max(on or timezone.localdate(), action.created_on)
        action.full_clean()
        with transaction.atomic():
            action.save(update_fields=["done_on", "updated_at"])
            _log(action, ActionChangeKind.DONE, by, comment.strip())
    return action


def action_reopen(*, action: Action, by) -> Action:
    """Undo "done": the step is open again with its due date."""
    permissions.require(permissions.can_change_action(by, action))
    if action.done_on is not None:
        action.done_on = None
        with transaction.atomic():
            action.save(update_fields=["done_on", "updated_at"])
            _log(action, ActionChangeKind.REOPENED, by)
    return action


def actions_complete(*, pks, by) -> list[Action]:
    """Mark done the open actions among `pks` that `by` may see and change; the others are
    left alone. Returns the actions marked done."""
    candidates = (
        Action.objects.visible_to(by)
        .select_for_update(of=("self",))
        .open()
        .filter(pk__in=list(pks))
        .select_related("project")
        .order_by("pk")
    )
    done = []
    # At most one page of the list (its largest size) at a time.
    candidates = candidates[:MAX_BULK]
    with transaction.atomic():
        for action in candidates:
            if permissions.can_complete_action(by, action):
                done.append(action_complete(action=action, by=by))
    return done


# The columns action_update writes (the escalation belongs to send_reminders).
ACTION_FIELDS = ["title", "owner", "due_on", "done_on"]


def action_update(*, action: Action, by, expected_version: int, **changes) -> Action:
    """Change an action's title, owner, due date or done date at once (the REST API's PATCH).
    Raises crm.core.concurrency.StaleObjectError, writing nothing, when somebody saved it
    since `expected_version` was loaded. Each change lands in the action's log."""
    if not Action.objects.visible_to(by).filter(pk=action.pk).exists():
        raise Http404
    permissions.require(permissions.can_change_action(by, action))
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"action_update cannot change {sorted(unknown)}")
    log = []
    if "owner" in changes and changes["owner"] != action.owner:
        _check_owner(action.project, changes["owner"], by)
        log.append((ActionChangeKind.REASSIGNED, f"{action.owner} → {changes['owner']}"))
    if "due_on" in changes and changes["due_on"] != action.due_on:
        log.append(
            (
                ActionChangeKind.POSTPONED,
                _("Du %(old)s au %(new)s")
                % {
                    "old": f"{action.due_on:%d/%m/%Y}",
                    "new": f"{changes['due_on']:%d/%m/%Y}",
                },
            )
        )
    if "done_on" in changes and (changes["done_on"] is None) != (action.done_on is None):
        kind = ActionChangeKind.REOPENED if changes["done_on"] is None else ActionChangeKind.DONE
        log.append((kind, ""))
    for name, value in changes.items():
        setattr(action, name, value)
    action.full_clean(exclude=["version"])
    with transaction.atomic():
        save_if_unchanged(action, expected_version=expected_version, update_fields=ACTION_FIELDS)
        for kind, detail in log:
            _log(action, kind, by, detail)
    return action
