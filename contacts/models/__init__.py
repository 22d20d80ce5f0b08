"""People (entrepreneurs, partners' contacts) and organisations (ESS structures, partners,
funders, the coaching provider): the contacts app's models, re-exported from their modules."""

from contacts.models.choices import (
    Gender,
    LabelKind,
    LegalForm,
    MergeKind,
    NafVersion,
    OrganisationKind,
    PersonRole,
)
from contacts.models.consents import (
    PERSON_CONSENT_FIELDS,
    Consent,
    ConsentOrigin,
    ConsentPurpose,
)
from contacts.models.duplicates import DuplicatePair
from contacts.models.gdpr import (
    EliminationList,
    EliminationStatus,
    Erasure,
    LegalHold,
    RetentionExtension,
    RetentionRule,
)
from contacts.models.memberships import PersonOrganisation
from contacts.models.merges import MergeRecord
from contacts.models.organisations import Organisation, OrganisationLabel
from contacts.models.people import EmploymentSituation, Person
from contacts.models.querysets import ArchivableQuerySet, OrganisationQuerySet, PersonQuerySet

__all__ = [
    "PERSON_CONSENT_FIELDS",
    "ArchivableQuerySet",
    "Consent",
    "ConsentOrigin",
    "ConsentPurpose",
    # Owned by crm.models; imported from here by the contacts import resources.
    "EmploymentSituation",
    "DuplicatePair",
    "EliminationList",
    "EliminationStatus",
    "Erasure",
    "LegalHold",
    "RetentionExtension",
    "RetentionRule",
    "Gender",
    "LabelKind",
    "LegalForm",
    "MergeKind",
    "MergeRecord",
    "NafVersion",
    "Organisation",
    "OrganisationKind",
    "OrganisationLabel",
    "OrganisationQuerySet",
    "Person",
    "PersonOrganisation",
    "PersonQuerySet",
    "PersonRole",
]
