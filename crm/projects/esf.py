"""The ESF+ participant data of a project: read and record (crm.models.EsfParticipant)."""

from django.db import transaction

from crm.core import permissions
from crm.core.concurrency import save_versioned
from crm.models import EsfParticipant, Project

ESF_FIELDS = (
    "labour_status",
    "education_level",
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
    "rural_area",
    "qualification_at_exit",
)


def esf_for(project: Project) -> EsfParticipant:
    """The project's answers, or an unsaved blank row (one query)."""
    return EsfParticipant.objects.filter(project=project).first() or EsfParticipant(project=project)


def esf_record(
    *, project: Project, by, expected_version: int | None = None, **answers
) -> EsfParticipant:
    """Record the participant's answers; an answer left out or "" stays "not asked". Raises
    StaleObjectError when someone saved them since `expected_version` was read."""
    permissions.require(permissions.can_record_esf(by, project))
    unknown = set(answers) - set(ESF_FIELDS)
    if unknown:
        raise TypeError(f"unknown ESF+ fields: {sorted(unknown)}")
    record = esf_for(project)
    for name in ESF_FIELDS:
        setattr(record, name, answers.get(name) or "")
    record.updated_by = by
    record.full_clean()
    with transaction.atomic():
        save_versioned(record, expected_version=expected_version)
    return record
