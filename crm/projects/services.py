"""Workflows on projects that touch several models. Views, commands, imports and tests
all call these functions rather than writing the models themselves."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import Organisation, Person
from crm.core import permissions
from crm.core.concurrency import claim_version, save_versioned
from crm.models import ExitReason, Project, ProjectMember, Stage, StageChange, Status


def _prefixed(error: ValidationError, prefix: str) -> dict:
    """A model's validation errors keyed by the form field names that hold them."""
    if hasattr(error, "error_dict"):
        return {
            (f"{prefix}{field}" if field != NON_FIELD_ERRORS else prefix.rstrip("_")): messages
            for field, messages in error.message_dict.items()
        }
    return {prefix.rstrip("_"): error.messages}


@transaction.atomic
def project_create(
    *,
    by,
    name: str,
    lead=None,
    new_lead: dict | None = None,
    new_organisation: dict | None = None,
    themes=(),
    at: datetime.datetime | None = None,
    note: str = "",
    **fields,
) -> Project:
    """Create a project with its lead entrepreneur and its first StageChange.

    The lead is an existing `lead` Person or a new one from `new_lead` (first_name,
    last_name, email, phone, commune); the organisation is `organisation=` (in `fields`) or
    a new one from `new_organisation` (name, legal_form, siret). Everything is validated
    before anything is written; errors are keyed `lead_<field>`, `organisation_<field>` or
    the project field, so a form can show each under its field."""
    errors: dict[str, list[str]] = {}
    person = organisation = None
    if new_lead is not None:
        if lead is not None:
            raise ValueError("Pass either lead or new_lead, not both.")
        person = Person(**new_lead)
        try:
            person.full_clean()
        except ValidationError as error:
            errors.update(_prefixed(error, "lead_"))
    if new_organisation is not None:
        if fields.get("organisation") is not None:
            raise ValueError("Pass either organisation or new_organisation, not both.")
        organisation = Organisation(**new_organisation)
        try:
            organisation.full_clean()
        except ValidationError as error:
            errors.update(_prefixed(error, "organisation_"))
    project = Project(name=name, **fields)
    try:
        project.full_clean(exclude=["organisation"] if organisation else None)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    if organisation is not None:
        organisation.save()
        project.organisation = organisation
    if person is not None:
        person.save()
        lead = person
    project.save()
    if themes:
        project.themes.set(themes)
    if lead is not None:
        ProjectMember.objects.create(project=project, person=lead, is_lead=True)
        if project.organisation_id:
            _link_lead_to_organisation(lead, project.organisation)
    StageChange.objects.create(
        project=project,
        at=at or timezone.now(),
        by=by,
        to_stage=project.stage,
        to_status=project.status,
        exit_reason=project.exit_reason,
        note=note,
    )
    return project


def _link_lead_to_organisation(person, organisation) -> None:
    """The lead of a project carried by a structure is one of its founders, unless the
    person already has a role there (an officer may have recorded a more precise one)."""
    from contacts.models import PersonOrganisation, PersonRole

    if not PersonOrganisation.objects.filter(person=person, organisation=organisation).exists():
        PersonOrganisation.objects.create(
            person=person, organisation=organisation, role=PersonRole.FOUNDER
        )


@transaction.atomic
def project_move(
    *,
    project: Project,
    by,
    stage: str | None = None,
    status: str | None = None,
    exit_reason: str = "",
    note: str = "",
    at: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> StageChange:
    """Move a project to another stage and/or status and record the move.

    Exiting requires a reason. Raises ValidationError naming the field at fault, and
    PermissionDenied unless `by` may change the project. With `expected_version` (the REST
    API), the move claims that version of the project and counts as an edit: StaleObjectError,
    nothing written, when somebody saved the project since; the board and the project page
    move without it, so that a move never conflicts with an open edit form.
    """
    permissions.require(permissions.can_change_project(by, project))
    new_stage = stage or project.stage
    new_status = status or project.status
    if new_stage not in Stage.values:
        raise ValidationError({"stage": _("Étape inconnue : %(value)s") % {"value": new_stage}})
    if new_status not in Status.values:
        raise ValidationError({"status": _("Statut inconnu : %(value)s") % {"value": new_status}})
    if new_stage == project.stage and new_status == project.status:
        raise ValidationError(_("Le projet est déjà à cette étape et à ce statut."))
    if new_status == Status.EXITED:
        if exit_reason not in ExitReason.values:
            raise ValidationError({"exit_reason": _("Indiquez le motif de sortie du projet.")})
    else:
        exit_reason = ""
    # Lock the row so two simultaneous moves are applied one after the other.
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None:
        claim_version(locked, expected_version=expected_version)
    change = StageChange.objects.create(
        project=locked,
        at=at or timezone.now(),
        by=by,
        from_stage=locked.stage,
        to_stage=new_stage,
        from_status=locked.status,
        to_status=new_status,
        exit_reason=exit_reason,
        note=note,
    )
    locked.stage = new_stage
    locked.status = new_status
    locked.exit_reason = exit_reason
    update_fields = ["stage", "status", "exit_reason", "updated_at"]
    if expected_version is not None:
        update_fields.append("version")
    if new_status in (Status.EXITED, Status.COMPLETED) and not locked.exit_date:
        locked.exit_date = timezone.localdate(change.at)
        update_fields.append("exit_date")
    locked.save(update_fields=update_fields)
    project.stage, project.status, project.exit_reason = new_stage, new_status, exit_reason
    project.exit_date = locked.exit_date
    if expected_version is not None:
        project.version = locked.version
    return change


@transaction.atomic
def project_archive(*, project: Project, by) -> Project:
    """Archive a project: it leaves the default lists and the board, and can be restored.

    Projects are public records: they are archived, never deleted (the history keeps who)."""
    permissions.require(permissions.can_archive_project(by))
    if project.archived_at is None:
        project.archived_at = timezone.now()
        project._history_user = by
        project.save(update_fields=["archived_at", "updated_at"])
    return project


def project_restore(*, project: Project, by) -> Project:
    """Bring an archived project back to the default lists."""
    permissions.require(permissions.can_archive_project(by))
    if project.archived_at is not None:
        project.archived_at = None
        project._history_user = by
        project.save(update_fields=["archived_at", "updated_at"])
    return project


@transaction.atomic
def project_assign(*, project: Project, by, coach=..., officer=...) -> Project:
    """Give the project another coach and/or officer (the bulk assignment of the project
    list). The history keeps who changed it; an unchanged project is not written."""
    permissions.require(permissions.can_assign_project(by))
    changed = []
    for name, value in (("coach", coach), ("officer", officer)):
        if value is not ... and getattr(project, f"{name}_id") != (value.pk if value else None):
            setattr(project, name, value)
            changed.append(name)
    if changed:
        project._history_user = by
        save_versioned(project, update_fields=changed)
    return project
