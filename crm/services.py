"""Workflows on projects that touch several models. Views, commands, imports and tests
all call these functions rather than writing the models themselves."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import ExitReason, Project, ProjectMember, Stage, StageChange, Status


@transaction.atomic
def project_create(
    *,
    by,
    name: str,
    lead=None,
    at: datetime.datetime | None = None,
    note: str = "",
    **fields,
) -> Project:
    """Create a project with its lead entrepreneur and its first StageChange."""
    project = Project(name=name, **fields)
    project.full_clean()
    project.save()
    if lead is not None:
        ProjectMember.objects.create(project=project, person=lead, is_lead=True)
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
) -> StageChange:
    """Move a project to another stage and/or status and record the move.

    Exiting requires a reason. Raises ValidationError naming the field at fault.
    """
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
    if new_status in (Status.EXITED, Status.COMPLETED) and not locked.exit_date:
        locked.exit_date = timezone.localdate(change.at)
        update_fields.append("exit_date")
    locked.save(update_fields=update_fields)
    project.stage, project.status, project.exit_reason = new_stage, new_status, exit_reason
    project.exit_date = locked.exit_date
    return change


@transaction.atomic
def project_save_imported(
    *,
    project: Project,
    lead,
    organisation,
    by,
    grant_amount=None,
    previous_stage: str | None = None,
) -> Project:
    """Write one imported row: the lead entrepreneur, the organisation and the project.

    A new project gets its first StageChange like any other; an existing one whose stage
    changed in the file moves through project_move, so the history stays complete."""
    from contacts.models import PersonOrganisation
    from crm.models import MeasureKind, ProjectMeasure

    lead.save()
    if organisation is not None:
        organisation.save()
        PersonOrganisation.objects.get_or_create(
            person=lead, organisation=organisation, defaults={"role": "founder"}
        )
        project.organisation = organisation
    project._history_user = by
    if project.pk is None:
        project.status = project.status or Status.APPLICANT
        project.save()
        ProjectMember.objects.create(project=project, person=lead, is_lead=True)
        StageChange.objects.create(
            project=project,
            at=timezone.now(),
            by=by,
            to_stage=project.stage,
            to_status=project.status,
            note=_("Créé par import de fichier."),
        )
    else:
        new_stage = project.stage
        if previous_stage and previous_stage != new_stage:
            project.stage = previous_stage
            project.save()
            project_move(
                project=project, by=by, stage=new_stage, note=_("Étape mise à jour par import.")
            )
        else:
            project.save()
    if grant_amount:
        ProjectMeasure.objects.update_or_create(
            project=project,
            measured_on=project.entry_date or timezone.localdate(),
            defaults={"kind": MeasureKind.AT_ENTRY, "funds_grant": grant_amount},
        )
    return project
