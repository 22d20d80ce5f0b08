"""The per-row projects import, the reference the bulk one is compared against."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import resources

from contacts.models import PersonOrganisation
from crm.importing.resources.projects import ProjectRowResource
from crm.models import (
    Application,
    Call,
    CommitteeDecision,
    MeasureKind,
    Project,
    ProjectMeasure,
    ProjectMember,
    StageChange,
    Status,
)
from crm.projects.services import project_move


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
    lead.save()
    if organisation is not None:
        organisation.save()
        PersonOrganisation.objects.get_or_create(
            person=lead, organisation=organisation, defaults={"role": "founder"}
        )
        project.organisation = organisation
    project._history_user = by
    if project.pk is not None:
        # An edit form opened before the import must see that the record changed.
        project.version += 1
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
        measured_on = project.entry_date or timezone.localdate()
        ProjectMeasure.objects.update_or_create(
            project=project,
            measured_on=measured_on,
            defaults={"kind": MeasureKind.AT_ENTRY, "funds_grant": grant_amount},
        )
        # The award: the call of the entry's year wins the project that amount.
        call, _created = Call.objects.get_or_create(
            year=measured_on.year,
            defaults={
                "title": _("Appel à projets %(year)s (repris d'un import)")
                % {"year": measured_on.year},
                "envelope": 0,
                "opens_on": datetime.date(measured_on.year, 1, 1),
                "closes_on": datetime.date(measured_on.year, 12, 31),
            },
        )
        application = Application.objects.filter(call=call, project=project).first()
        application = application or Application(call=call, project=project)
        application.decision = CommitteeDecision.WINNER
        application.amount_awarded = grant_amount
        application.amount_requested = max(application.amount_requested or 0, grant_amount)
        application.decided_at = application.decided_at or timezone.now()
        application.decided_by = application.decided_by or by
        application.save()
    return project


class PerRowProjectResource(ProjectRowResource):
    """The reference: the projects import as it wrote before, each row on its own through
    project_save_imported."""

    class Meta:
        model = Project
        fields = ("name", "sector", "stage", "entry_date", "hours_allocated", "in_qpv")
        import_id_fields = ()
        clean_model_instances = False
        skip_diff = True
        use_transactions = True
        use_bulk = False

    def save_instance(self, instance, is_create, row, **kwargs):
        context = self.row_context
        project_save_imported(
            project=instance,
            lead=context["person"],
            organisation=context["organisation"],
            grant_amount=context["grant"],
            previous_stage=context["original_stage"],
            by=self.by,
        )
        person, organisation = context["person"], context["organisation"]
        if person.email:
            self.people_by_email[person.email.lower()] = person
        else:
            self.people_by_name[(person.first_name.lower(), person.last_name.lower())] = person
        if organisation is not None:
            if organisation.siret:
                self.orgs_by_siret[organisation.siret] = organisation
            key = (organisation.name.lower(), organisation.commune_id)
            if organisation not in self.orgs_by_name.setdefault(key, []):
                self.orgs_by_name[key].append(organisation)
        self.projects_by_lead.setdefault((person.pk, instance.name.strip().lower()), instance)

    def after_import(self, dataset, result, **kwargs):
        resources.ModelResource.after_import(self, dataset, result, **kwargs)
