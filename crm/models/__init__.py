"""The crm app's models, one module per part of the domain; import them from here."""

from crm.models.access import AccessEvent, AccessEventKind, AccessEventQuerySet
from crm.models.api_tokens import ApiToken, ApiTokenQuerySet
from crm.models.branding import BRANDING_PK, Branding
from crm.models.esf import (
    ANSWER_FIELDS,
    Answer,
    EsfLabourStatus,
    EsfParticipant,
    IscedLevel,
)
from crm.models.grants import GrantInstalment, GrantInstalmentQuerySet
from crm.models.imports import (
    ImportBatch,
    ImportColumnMapping,
    ImportFault,
    ImportFixDecision,
    ImportFixRule,
    ImportKind,
    ImportMode,
    ImportStatus,
)
from crm.models.intake import (
    SCORE_FIELDS,
    Application,
    ApplicationQuerySet,
    Call,
    CallQuerySet,
    CommitteeDecision,
    CommuneOpinion,
    HeardFrom,
    Registration,
    TriageDecision,
    TriageOutcome,
)
from crm.models.letters import DEFAULT_LETTERS, LetterKind, LetterTemplate
from crm.models.measures import (
    FUND_FIELDS,
    JOB_FIELDS,
    MeasureKind,
    ProjectMeasure,
    ProjectMeasureQuerySet,
)
from crm.models.preferences import ListPreference
from crm.models.projects import (
    EmploymentSituation,
    ExitReason,
    Project,
    ProjectChildQuerySet,
    ProjectMember,
    ProjectQuerySet,
    Sector,
    Source,
    Stage,
    StageChange,
    Status,
)
from crm.models.territory import Commune, Theme
from crm.models.users import User

__all__ = [
    "ANSWER_FIELDS",
    "Answer",
    "EsfLabourStatus",
    "EsfParticipant",
    "IscedLevel",
    "DEFAULT_LETTERS",
    "BRANDING_PK",
    "FUND_FIELDS",
    "JOB_FIELDS",
    "SCORE_FIELDS",
    "AccessEvent",
    "ListPreference",
    "AccessEventKind",
    "AccessEventQuerySet",
    "ApiToken",
    "ApiTokenQuerySet",
    "Application",
    "Branding",
    "ApplicationQuerySet",
    "Call",
    "CallQuerySet",
    "CommitteeDecision",
    "Commune",
    "CommuneOpinion",
    "EmploymentSituation",
    "ExitReason",
    "GrantInstalment",
    "GrantInstalmentQuerySet",
    "HeardFrom",
    "ImportBatch",
    "ImportColumnMapping",
    "ImportFault",
    "ImportFixDecision",
    "ImportFixRule",
    "ImportKind",
    "ImportMode",
    "ImportStatus",
    "LetterKind",
    "LetterTemplate",
    "MeasureKind",
    "Project",
    "ProjectChildQuerySet",
    "ProjectMeasure",
    "ProjectMeasureQuerySet",
    "ProjectMember",
    "ProjectQuerySet",
    "Registration",
    "Sector",
    "Source",
    "Stage",
    "StageChange",
    "Status",
    "Theme",
    "TriageDecision",
    "TriageOutcome",
    "User",
]
