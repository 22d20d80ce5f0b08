"""Scaled projects with their people, organisations, themes, stage histories and measures."""

import datetime

from django.db import transaction
from django.utils import timezone

from contacts.models import Organisation, PersonOrganisation
from contacts.models import Person as PersonModel
from crm.devtools import demo
from crm.devtools.scale.bulk import BATCH, fast_commit
from crm.devtools.scale.staff import staff_of_blocks, team_of
from crm.models import (
    Commune,
    EsfParticipant,
    Project,
    ProjectMeasure,
    ProjectMember,
    StageChange,
    Status,
    Theme,
)

PROJECTS_PER_SCALE = 60


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + hour % 9)))


def _normalized(record):
    """bulk_create skips save(): the duplicate and search keys are derived here."""
    record.normalize()
    return record


def _person_row(plan: demo.PersonPlan, communes) -> PersonModel:
    return _normalized(
        PersonModel(
            first_name=plan.first_name,
            last_name=plan.last_name,
            email=plan.email,
            phone=plan.phone,
            gender=plan.gender,
            birth_year=plan.birth_year,
            commune_id=communes[plan.commune],
            lives_in_qpv=plan.lives_in_qpv,
            employment_situation_at_entry=plan.employment,
        )
    )


@transaction.atomic
def _write_batch(
    plans: list[demo.ProjectPlan], *, first_index: int, users, communes, themes
) -> None:
    fast_commit()
    scale_staff = staff_of_blocks(first_index, len(plans))
    teams = [
        team_of(plan, first_index + position, users, scale_staff)
        for position, plan in enumerate(plans)
    ]
    leads = PersonModel.objects.bulk_create([_person_row(p.lead, communes) for p in plans])
    partners = PersonModel.objects.bulk_create(
        [_person_row(p.partner, communes) for p in plans if p.partner]
    )
    organisations = Organisation.objects.bulk_create(
        [
            _normalized(
                Organisation(
                    name=p.organisation.name,
                    legal_form=p.organisation.legal_form,
                    siret=p.organisation.siret,
                    siren=p.organisation.siret[:9],
                    naf_code=p.organisation.naf_code,
                    commune_id=communes[p.organisation.commune],
                )
            )
            for p in plans
            if p.organisation
        ]
    )
    organisation_iter, partner_iter = iter(organisations), iter(partners)
    projects, links = [], []
    for plan, lead, team in zip(plans, leads, teams, strict=True):
        organisation = next(organisation_iter) if plan.organisation else None
        partner = next(partner_iter) if plan.partner else None
        last_day, stage, status, reason, _note = plan.moves[-1]
        projects.append(
            Project(
                name=plan.name,
                summary=plan.summary,
                sector=plan.sector,
                social_impact=plan.social_impact,
                environmental_impact=plan.environmental_impact,
                stage=stage,
                status=status,
                exit_reason=reason,
                organisation=organisation,
                commune_id=communes[plan.commune],
                in_qpv=plan.in_qpv,
                source=plan.source,
                officer=team["officer"],
                coach=team["coach"],
                hours_allocated=plan.hours_allocated,
                entry_date=plan.entry_date,
                exit_date=last_day if status in (Status.EXITED, Status.COMPLETED) else None,
                esf_funded=plan.esf_funded,
                situation_at_exit=plan.situation_at_exit,
                situation_6_months_after_exit=plan.situation_6_months,
            )
        )
        links.append((lead, partner, organisation))
    projects = Project.objects.bulk_create(projects)

    members, memberships, project_themes, changes, measures = [], [], [], [], []
    esf = []
    Through = Project.themes.through
    for plan, project, team, (lead, partner, organisation) in zip(
        plans, projects, teams, links, strict=True
    ):
        members.append(ProjectMember(project=project, person=lead, is_lead=True))
        if partner:
            members.append(ProjectMember(project=project, person=partner))
        if organisation:
            memberships.append(
                PersonOrganisation(person=lead, organisation=organisation, role="founder")
            )
        project_themes.extend(Through(project=project, theme=themes[c]) for c in plan.themes)
        previous = ("", "")
        for index, (day, stage, status, reason, note) in enumerate(plan.moves):
            mover = team["coach"] if team["coach"] and index > 1 else team["block_officer"]
            changes.append(
                StageChange(
                    project=project,
                    at=_aware(day, index),
                    by=mover,
                    from_stage=previous[0],
                    to_stage=stage,
                    from_status=previous[1],
                    to_status=status,
                    exit_reason=reason,
                    note=note,
                )
            )
            previous = (stage, status)
        measures.extend(ProjectMeasure(project=project, **m) for m in plan.measures)
        if plan.esf:
            esf.append(EsfParticipant(project=project, **plan.esf))
    ProjectMember.objects.bulk_create(members, batch_size=BATCH)
    PersonOrganisation.objects.bulk_create(memberships, batch_size=BATCH)
    Through.objects.bulk_create(project_themes, batch_size=BATCH)
    StageChange.objects.bulk_create(changes, batch_size=BATCH)
    ProjectMeasure.objects.bulk_create(measures, batch_size=BATCH)
    EsfParticipant.objects.bulk_create(esf, batch_size=BATCH)


def seed_scale(*, scale: int, users: dict, log=None) -> int:
    """Top the projects up to `scale` × 60. Returns the number of projects created."""
    target = scale * PROJECTS_PER_SCALE
    existing = Project.objects.count()
    if existing >= target:
        return 0
    communes = dict(Commune.objects.filter(in_territory=True).values_list("name", "pk"))
    themes = {t.code: t for t in Theme.objects.all()}
    today = timezone.localdate()
    created = 0
    while existing + created < target:
        count = min(BATCH, target - existing - created)
        first = existing + created
        plans = demo.build_plan(
            communes=sorted(communes),
            count=count,
            today=today,
            seed=2016 + first,
            first_index=first,
            years=10,
            tag="#",
        )
        _write_batch(plans, first_index=first, users=users, communes=communes, themes=themes)
        created += count
        if log:
            log(f"  {existing + created} / {target} projects")
    return created
