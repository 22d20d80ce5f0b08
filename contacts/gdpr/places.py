"""Where a person's identifying data can live: one declaration per model.

Every model that relates to a Person or has a text column must be declared here (a test
walks the model graph and names whatever is missing), so a new model or field cannot be
forgotten by the erasure. Models are named by label: the erasure reaches every app through
Django's app registry, so it needs no import from the apps above contacts.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q


@dataclass(frozen=True)
class Place:
    """How one model holds personal data.

    - `of`: a lookup from this model to the person's pk (or a function of the pk returning
      a Q) selecting the rows that are the person's own; there the first or last name alone
      is also replaced, and `identity` fields are overwritten.
    - `identity`: fields overwritten on the person's own rows ("first_name" -> the token).
    - `scrub`: free-text (or JSON) fields in which the person's name, e-mail and phone are
      replaced wherever they appear, in any row.
    - `safe`: text fields that never hold data on the people we accompany, with `why`.
    """

    of: str | Callable[[int], Q] | None = None
    identity: tuple[str, ...] = ()
    scrub: tuple[str, ...] = ()
    safe: tuple[str, ...] = ()
    why: str = ""

    def rows_of(self, pks: list[int]) -> Q | None:
        if self.of is None:
            return None
        if callable(self.of):
            combined = Q(pk__in=[])
            for pk in pks:
                combined |= self.of(pk)
            return combined
        return Q(**{f"{self.of}__in": pks})

    def fields(self) -> set[str]:
        return set(self.identity) | set(self.scrub) | set(self.safe)


PERSON_IDENTITY = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "name_key",
    "email_key",
    "sound_key",
)


def _historical_project_of(pk: int) -> Q:
    members = apps.get_model("crm", "ProjectMember").objects.filter(person_id=pk)
    return Q(id__in=members.values("project_id"))


def _admin_log_of(pk: int) -> Q:
    return Q(content_type__app_label="contacts", content_type__model="person", object_id=str(pk))


# Duplicate keys derived from the name and address (contacts.matching).
ORG_KEYS = ("sound_key", "address_key")
# Public identifiers and the SIRENE directory's public data on a legal person.
SIRENE_SAFE = (
    "siren",
    "siret",
    "rna",
    "naf_code",
    "postal_code",
    "legal_category",
    "headcount_band",
)

STAFF = "staff accounts and technical records, not the people the CRM accompanies"

PLACES: dict[str, Place] = {
    # The person and every version of them.
    "contacts.Person": Place(of="pk", identity=PERSON_IDENTITY),
    "contacts.HistoricalPerson": Place(
        of="id", identity=PERSON_IDENTITY, scrub=("history_change_reason",)
    ),
    "contacts.MergeRecord": Place(
        of="kept_person", scrub=("dropped_name", "dropped_details", "moved")
    ),
    "contacts.DuplicatePair": Place(
        of=lambda pk: Q(first_person_id=pk) | Q(second_person_id=pk),
        safe=("reasons",),
        why="reason codes and a score: the pair names no value",
    ),
    "contacts.PersonOrganisation": Place(of="person", why="a link, kept: the person is anonymised"),
    "contacts.Consent": Place(of="person", why="dated consents, kept: the person is anonymised"),
    # Organisations may be named after, or reached through, their founder.
    "contacts.Organisation": Place(
        scrub=("name", "address", "email", "phone", "website", "name_key", *ORG_KEYS),
        safe=SIRENE_SAFE,
        why="public identifiers of a legal person",
    ),
    "contacts.HistoricalOrganisation": Place(
        scrub=(
            "name",
            "address",
            "email",
            "phone",
            "website",
            "name_key",
            *ORG_KEYS,
            "history_change_reason",
        ),
        safe=SIRENE_SAFE,
        why="public identifiers of a legal person",
    ),
    # The lifecycle's own records hold no erased value (reasons are officers' words).
    "contacts.Erasure": Place(of="person", scrub=("reason",), safe=("counts",), why="counts only"),
    "contacts.LegalHold": Place(of="person", scrub=("reason",)),
    "contacts.RetentionExtension": Place(of="person", scrub=("reason",)),
    "contacts.EliminationList": Place(
        of="people",
        safe=("years", "approval_reference"),
        why="counts per year and the archives' reference",
    ),
    "contacts.EliminationList_people": Place(of="person"),
    # Projects and what hangs off them: kept for the statistics, their text scrubbed.
    "crm.Project": Place(
        of="people", scrub=("name", "summary", "social_impact", "environmental_impact")
    ),
    "crm.HistoricalProject": Place(
        of=_historical_project_of,
        scrub=("name", "summary", "social_impact", "environmental_impact", "history_change_reason"),
    ),
    "crm.ProjectMember": Place(of="person"),
    "crm.StageChange": Place(of="project__people", scrub=("note",)),
    # What the public form held for reconciliation is the person's data as they typed it.
    "crm.Registration": Place(
        of="person",
        scrub=("help_sought", "submitted_person", "submitted_organisation", "reconciliation"),
    ),
    "crm.Registration_possible_duplicate_people": Place(of="person"),
    "crm.TriageDecision": Place(of="project__people", scrub=("reason",)),
    "crm.Application": Place(
        of="project__people",
        scrub=("commune_opinion_comment",),
        safe=("convention_number",),
        why="the grant agreement's reference number",
    ),
    "crm.HistoricalApplication": Place(
        of="project__people",
        scrub=("commune_opinion_comment", "history_change_reason"),
        safe=("convention_number",),
        why="the grant agreement's reference number",
    ),
    "crm.GrantInstalment": Place(
        safe=("payment_reference",), why="the treasury's payment reference"
    ),
    "crm.ProjectMeasure": Place(
        safe=("legal_status", "siret"),
        why="a legal-form code and the structure's public SIRENE number",
    ),
    "crm.Call": Place(safe=("title", "criteria"), why="the call's own text"),
    # The body's letterhead and letter templates: its own staff and words, not the people
    # we accompany (an applicant's name is merged into a letter when it is generated).
    "crm.Branding": Place(
        safe=("name", "address", "signatory_name", "signatory_title", "logo", "colour"),
        why="the body's own letterhead",
    ),
    "crm.ListPreference": Place(
        safe=("list_name", "hidden_columns", "views"),
        why="a user's own list settings: column names and saved filters",
    ),
    "crm.LetterTemplate": Place(safe=("subject", "body"), why="templates: merged when sent"),
    "crm.Commune": Place(
        safe=("insee_code", "name", "postal_code", "boundary", "boundary_source"),
        why="reference data (the territory and its outlines)",
    ),
    "crm.Theme": Place(safe=("code", "label"), why="reference data"),
    # Import traces: the rows of a file are kept in the batch's preview and result.
    "crm.ImportBatch": Place(
        scrub=("original_name", "mapping", "preview", "result", "failure", "undo"),
        safe=("file", "fixes"),
        why="the stored file is checked and removed by the erasure itself",
    ),
    "crm.ImportColumnMapping": Place(safe=("header", "target"), why="column headers"),
    "crm.ImportFixRule": Place(safe=("signature", "column"), why="column headers"),
    # Access log and login traces.
    "crm.AccessEvent": Place(scrub=("username", "detail"), safe=("user_agent",), why="browser"),
    "axes.AccessAttempt": Place(
        scrub=("username", "get_data", "post_data"),
        safe=("user_agent", "http_accept", "path_info"),
        why="request headers and paths",
    ),
    "axes.AccessFailureLog": Place(
        scrub=("username",), safe=("user_agent", "http_accept", "path_info"), why="headers"
    ),
    "axes.AccessLog": Place(
        scrub=("username",),
        safe=("user_agent", "http_accept", "path_info", "session_hash"),
        why="headers and a hash",
    ),
    "admin.LogEntry": Place(
        of=_admin_log_of, scrub=("object_repr", "change_message"), safe=("object_id",), why="a pk"
    ),
    # Follow-ups.
    "followups.Meeting": Place(of="project__people", scrub=("place", "summary", "decisions")),
    "followups.HistoricalMeeting": Place(
        of="project__people", scrub=("place", "summary", "decisions", "history_change_reason")
    ),
    "followups.Meeting_participants": Place(of="person"),
    "followups.ServiceCertification": Place(scrub=("revocation_reason",)),
    "followups.MeetingNote": Place(of="meeting__project__people", scrub=("text",)),
    "followups.HistoricalMeetingNote": Place(
        of="meeting__project__people", scrub=("text", "history_change_reason")
    ),
    "followups.Action": Place(of="project__people", scrub=("title",)),
    "followups.HistoricalAction": Place(
        of="project__people", scrub=("title", "history_change_reason")
    ),
    "followups.Attendance": Place(of="person"),
    "followups.ActionChange": Place(of="action__project__people", scrub=("detail",)),
    # E-mails written to a person from the CRM: theirs, with what they said of them.
    "followups.SentMessage": Place(of="person", scrub=("to_address", "subject", "body", "error")),
    "followups.MessageTemplate": Place(
        safe=("name", "subject", "body"), why="officers' templates: merge fields, no one's data"
    ),
    "followups.Consumption": Place(scrub=("label",)),
    "followups.Event": Place(safe=("title", "place"), why="a workshop's public title and place"),
    "followups.Cohort": Place(safe=("name",), why="a cohort's name"),
    "followups.Contract": Place(safe=("reference",), why="the provider's contract"),
    "followups.PurchaseOrder": Place(safe=("number",), why="an order number"),
    "followups.CalendarToken": Place(safe=("token",), why="a staff user's feed secret"),
    # Documents (crm.documents): deleted with their files by the erasure (its hook in
    # crm.documents.gdpr) before any place is scrubbed; declared for what may remain.
    "documents.Document": Place(of="person", scrub=("title",)),
    "documents.DocumentVersion": Place(
        of="document__person",
        scrub=("original_name",),
        safe=("storage_name", "content_type", "sha256"),
        why="a random storage key, a type and a fingerprint",
    ),
    "documents.DocumentCategory": Place(safe=("name",), why="reference data"),
    # The entrepreneur space (crm.portal): its erasure hook (crm.portal.gdpr) closes the
    # account, renames its login (their address) and deletes links, waits and requests.
    "portal.PortalAccount": Place(of="person", why="the link to the account, closed by the hook"),
    "portal.PortalInvitation": Place(
        of="person", safe=("token_hash",), why="a hash of a one-time link, deleted by the hook"
    ),
    "portal.WaitlistEntry": Place(of="person", why="a place in a queue, deleted by the hook"),
    "portal.ErasureRequest": Place(of="person", scrub=("message",)),
    # Staff and framework tables.
    "crm.User": Place(safe=("password", "username", "first_name", "last_name", "email"), why=STAFF),
    "otp_totp.TOTPDevice": Place(safe=("name", "key"), why=STAFF),
    "crm.ApiToken": Place(safe=("name", "key_hash", "prefix"), why=STAFF),
    "auth.Permission": Place(safe=("name", "codename"), why=STAFF),
    "auth.Group": Place(safe=("name",), why=STAFF),
    "contenttypes.ContentType": Place(safe=("app_label", "model"), why=STAFF),
    "sessions.Session": Place(
        safe=("session_key", "session_data"), why="signed login state: a user id and tokens"
    ),
}
