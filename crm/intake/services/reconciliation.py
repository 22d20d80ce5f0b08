"""Reconcile an online registration with the people and structures it may match.

The public form never changes an existing record (anybody can type anybody's email or
SIRET): what was typed waits on the `Registration`. An officer compares it field by field
with the existing record, consent included, and chooses what to take, or links without
changing anything, or creates a new record. Only then is the project linked.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contacts.duplicates import Candidate, find_organisation_duplicates, find_person_duplicates
from contacts.gdpr.consents import consent_give, consent_withdraw
from contacts.models import ConsentOrigin, ConsentPurpose, Organisation, OrganisationKind, Person
from crm.core import permissions
from crm.models import Commune, Project, ProjectMember, Registration
from crm.projects.services import _link_lead_to_organisation as link_lead_to_organisation

# What the public form asks, in the order the comparison shows it.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "commune",
    "gender",
    "birth_year",
    "employment_situation_at_entry",
    "lives_in_qpv",
    "consent_newsletter",
)
ORGANISATION_FIELDS = ("name", "legal_form", "siret")

LINK, NEW, NONE = "link", "new", "none"


@dataclass(frozen=True)
class Difference:
    """One row of the comparison: the stored value and the submitted one, as shown."""

    name: str
    label: str
    existing: str
    submitted: str
    differs: bool


@dataclass(frozen=True)
class Choice:
    """The officer's answer for the person or the structure: link to `record` taking the
    submitted value of `fields`, create a new record, or (structure only) none."""

    action: str
    record: Person | Organisation | None = None
    fields: tuple[str, ...] = field(default_factory=tuple)


def _submitted(registration: Registration, model, name: str):
    """The submitted value as the model holds it (the commune as a Commune)."""
    data = registration.submitted_person if model is Person else registration.submitted_organisation
    value = data.get(name)
    if name == "commune":
        return Commune.objects.filter(pk=value).first() if value else None
    if model is Organisation and name == "siret":
        probe = Organisation(name="-", siret=value or "")
        probe.normalize()
        return probe.siret
    if value is None and name not in ("birth_year", "lives_in_qpv"):
        return ""
    return value


def _comparable(value):
    return getattr(value, "pk", value) if value not in ("", None) else None


def _shown(model, name: str, value) -> str:
    if value in ("", None):
        return "—"
    model_field = model._meta.get_field(name)
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _consent_shown(person: Person) -> str:
    if not person.consent_newsletter:
        return _("Non")
    when = person.consent_newsletter_at
    if when is None:
        return _("Oui")
    return _("Oui, depuis le %(date)s") % {"date": date_format(timezone.localtime(when), "d/m/Y")}


def differences(registration: Registration, model, record) -> list[Difference]:
    """Each submitted field of `model` beside the stored one of `record` (None: the record
    would be new, every field is taken)."""
    names = PERSON_FIELDS if model is Person else ORGANISATION_FIELDS
    rows = []
    for name in names:
        submitted = _submitted(registration, model, name)
        label = str(model._meta.get_field(name).verbose_name)
        if record is None:
            rows.append(Difference(name, label, "—", _shown(model, name, submitted), True))
            continue
        stored = getattr(record, name)
        rows.append(
            Difference(
                name=name,
                label=label,
                existing=(
                    _consent_shown(record)
                    if name == "consent_newsletter"
                    else _shown(model, name, stored)
                ),
                submitted=_shown(model, name, submitted),
                differs=_comparable(stored) != _comparable(submitted),
            )
        )
    return rows


def _followed(candidates: list[Candidate]) -> list[Candidate]:
    """A record merged into another stands for the one it went into (its email or SIRET
    stays on the archived record, so it is still what a submission matches)."""
    result: dict[int, Candidate] = {}
    for candidate in candidates:
        record = candidate.record
        seen = set()
        while record.merged_into_id is not None and record.pk not in seen:
            seen.add(record.pk)
            record = type(record).objects.select_related("commune").get(pk=record.merged_into_id)
        kept = result.setdefault(record.pk, Candidate(record))
        kept.reasons.extend(r for r in candidate.reasons if r not in kept.reasons)
    return list(result.values())


def people_matching(data: dict) -> list[Candidate]:
    """The people a submission may be, by the person form's duplicate rules (same email,
    same or similar name): two queries, plus one per merged record met."""
    return _followed(
        find_person_duplicates(
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
            commune=data.get("commune"),
        )
    )


def organisations_matching(data: dict) -> list[Candidate]:
    """The structures a submission may be (same SIRET or SIREN, same or similar name)."""
    if not data:
        return []
    return _followed(
        find_organisation_duplicates(name=data.get("name", ""), siret=data.get("siret", ""))
    )


def person_candidates(registration: Registration) -> list[Candidate]:
    """The people the submission may be, read now (records may have changed since)."""
    return people_matching(registration.submitted_person)


def organisation_candidates(registration: Registration) -> list[Candidate]:
    return organisations_matching(registration.submitted_organisation)


def _reason(registration: Registration) -> str:
    return _("Rapprochement avec l'inscription en ligne du %(date)s") % {
        "date": date_format(timezone.localtime(registration.submitted_at), "d/m/Y")
    }


def _take(record, registration: Registration, names, *, by) -> list[str]:
    """Write the submitted value of each of `names` that differs onto `record` (locked),
    with its history line; the version changes so that an edit in progress is warned."""
    model = type(record)
    allowed = PERSON_FIELDS if model is Person else ORGANISATION_FIELDS
    unknown = set(names) - set(allowed)
    if unknown:
        raise ValidationError(_("Champ inconnu : %(name)s") % {"name": ", ".join(sorted(unknown))})
    taken, consent = [], None
    for name in allowed:
        if name not in names:
            continue
        value = _submitted(registration, model, name)
        if _comparable(getattr(record, name)) == _comparable(value):
            continue
        if name == "consent_newsletter":
            consent = bool(value)
        else:
            setattr(record, name, value)
        taken.append(name)
    if taken:
        record.full_clean()
        record.version += 1
        record._history_user = by
        record._change_reason = _reason(registration)
        record.save()
    if consent is not None:
        _record_consent(record, registration, given=consent, by=by)
    return taken


def _record_consent(person: Person, registration: Registration, *, given: bool, by) -> None:
    """The newsletter consent as the form gave (or refused) it, dated from the form, in the
    person's dated consents."""
    if given:
        consent_give(
            person=person,
            purpose=ConsentPurpose.NEWSLETTER,
            origin=ConsentOrigin.PUBLIC_FORM,
            by=by,
            at=registration.submitted_at,
        )
    else:
        consent_withdraw(person=person, purpose=ConsentPurpose.NEWSLETTER, by=by)


def _create(record, registration: Registration, *, by, clash: str | None):
    """Save a record made from the submission, refusing when its email or SIRET is already
    someone else's (`clash`: the message naming it)."""
    if clash:
        raise ValidationError(clash)
    record.full_clean()
    record._history_user = by
    record._change_reason = _reason(registration)
    record.save()
    return record


def _new_person(registration: Registration, *, by) -> Person:
    data = {name: _submitted(registration, Person, name) for name in PERSON_FIELDS}
    consent = bool(data.pop("consent_newsletter"))
    person = Person(**data)
    taken = person.email and Person.objects.with_email(person.email).exists()
    message = _(
        "Une fiche utilise déjà le courriel %(email)s : rattachez l'inscription à cette fiche."
    )
    person = _create(
        person, registration, by=by, clash=message % {"email": person.email} if taken else None
    )
    if consent:
        _record_consent(person, registration, given=True, by=by)
    return person


def _new_organisation(registration: Registration, *, by) -> Organisation:
    organisation = Organisation(
        **{name: _submitted(registration, Organisation, name) for name in ORGANISATION_FIELDS},
        kind=OrganisationKind.ESS_STRUCTURE,
    )
    taken = organisation.siret and Organisation.objects.filter(siret=organisation.siret).exists()
    message = _(
        "Une structure a déjà le SIRET %(siret)s : rattachez l'inscription à cette structure."
    )
    return _create(
        organisation,
        registration,
        by=by,
        clash=message % {"siret": organisation.siret} if taken else None,
    )


def _linkable(model, record):
    if record is None:
        raise ValidationError(_("Choisissez la fiche à rattacher."))
    locked = model.objects.select_for_update().get(pk=record.pk)
    if locked.merged_into_id is not None or locked.archived_at is not None:
        raise ValidationError(
            _("« %(name)s » est archivée : restaurez-la d'abord ou choisissez une autre fiche.")
            % {"name": locked}
        )
    return locked


def _resolve(choice: Choice | None, model, registration, *, by, allow_none: bool):
    """(record or None, what to record about it)."""
    if choice is None or choice.action not in (LINK, NEW) + ((NONE,) if allow_none else ()):
        raise ValidationError(_("Choisissez quoi faire de la fiche."))
    if choice.action == NONE:
        return None, {"action": NONE}
    if choice.action == NEW:
        make = _new_person if model is Person else _new_organisation
        record = make(registration, by=by)
        return record, {"action": NEW, "pk": record.pk}
    record = _linkable(model, choice.record)
    taken = _take(record, registration, choice.fields, by=by)
    labels = [str(model._meta.get_field(name).verbose_name) for name in taken]
    return record, {"action": LINK, "pk": record.pk, "fields": taken, "labels": labels}


def _link_project(project: Project, person, organisation, *, by, reason: str) -> None:
    if person is not None:
        has_lead = project.members.filter(is_lead=True).exists()
        ProjectMember.objects.get_or_create(
            project=project, person=person, defaults={"is_lead": not has_lead}
        )
    if organisation is not None:
        if project.organisation_id != organisation.pk:
            project.organisation = organisation
            project.version += 1
            project._history_user = by
            project._change_reason = reason
            project.save(update_fields=["organisation", "version", "updated_at"])
        lead = person or next(
            (m.person for m in project.members.select_related("person") if m.is_lead), None
        )
        if lead is not None:
            # The rule of project creation: the lead is a founder unless they have a role
            # there already.
            link_lead_to_organisation(lead, organisation)


@transaction.atomic
def registration_reconcile(
    *,
    registration: Registration,
    by,
    person: Choice | None = None,
    organisation: Choice | None = None,
    at: datetime.datetime | None = None,
) -> Registration:
    """Apply an officer's reconciliation of `registration`: for the person (when it was
    waiting) and the structure (when it was waiting), link the existing record taking the
    chosen submitted fields (none: linked unchanged), or create a new record (or, for the
    structure, none). Then the project is linked, and the registration records who did what.

    Raises ValidationError with a message to show (a clash of email or SIRET, an archived
    record, a registration reconciled meanwhile)."""
    permissions.require(permissions.can_triage(by))
    locked = (
        Registration.objects.select_for_update().select_related("project").get(pk=registration.pk)
    )
    if not locked.to_reconcile:
        raise ValidationError(_("Cette inscription a déjà été rapprochée."))
    reason = _reason(locked)
    decided = {}
    chosen_person = locked.person
    if locked.person_to_reconcile:
        chosen_person, decided["person"] = _resolve(person, Person, locked, by=by, allow_none=False)
    chosen_organisation = None
    if locked.organisation_to_reconcile:
        chosen_organisation, decided["organisation"] = _resolve(
            organisation, Organisation, locked, by=by, allow_none=True
        )
    elif locked.person_to_reconcile and locked.project.organisation_id:
        # A new structure created with the registration: its founder is known now.
        chosen_organisation = locked.project.organisation
    _link_project(locked.project, chosen_person, chosen_organisation, by=by, reason=reason)

    locked.person = chosen_person
    locked.person_to_reconcile = locked.organisation_to_reconcile = False
    locked.reconciled_at = at or timezone.now()
    locked.reconciled_by = by
    locked.reconciliation = decided
    locked.save()
    registration.refresh_from_db()
    return locked
