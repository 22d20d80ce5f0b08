"""The public registration: what was typed recorded with its project; existing people and
structures it may match are flagged for an officer to reconcile, never changed."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.duplicates import Reason
from contacts.gdpr.consents import consent_give
from contacts.models import ConsentOrigin, ConsentPurpose, Organisation, OrganisationKind, Person
from crm.core import roles, stored_text
from crm.core.mail import absolute_url
from crm.core.stored_text import app_text
from crm.intake.services.emails import send_email
from crm.intake.services.reconciliation import (
    PERSON_FIELDS,
    organisations_matching,
    people_matching,
)
from crm.models import Registration, Source, Status, User
from crm.projects.services import project_create


def officer_notification_addresses() -> list[str]:
    """REGISTRATION_NOTIFY_EMAILS, or every active officer's address."""
    if settings.REGISTRATION_NOTIFY_EMAILS:
        return list(settings.REGISTRATION_NOTIFY_EMAILS)
    officers = User.objects.filter(groups__name=roles.Role.OFFICER, is_active=True).exclude(
        email=""
    )
    return sorted(set(officers.values_list("email", flat=True)))


def registration_submit(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    commune=None,
    gender: str = "",
    birth_year: int | None = None,
    employment_situation: str = "",
    lives_in_qpv: bool | None = None,
    project_name: str,
    description: str,
    sector: str = "",
    stage: str,
    social_impact: str = "",
    environmental_impact: str = "",
    project_commune=None,
    project_in_qpv: bool = False,
    organisation_name: str = "",
    legal_form: str = "",
    siret: str = "",
    help_sought: str,
    heard_from: str = "",
    consent_newsletter: bool = False,
    at: datetime.datetime | None = None,
) -> Registration:
    """Record a registration from the public form: the person, their structure and the
    project (status `applicant`, source online form), then tell the applicant and officers.

    Nothing that exists is changed: when the person (same email, same or similar name) or
    the structure (same SIRET or SIREN, same name) may be known, what was typed waits on the
    registration until an officer reconciles it (`registration_reconcile`); otherwise the
    person and the structure are created.
    Raises ValidationError naming the field at fault.
    """
    at = at or timezone.now()
    with transaction.atomic():
        registration = _record_registration(
            at=at,
            person_fields={
                "first_name": first_name,
                "last_name": last_name,
                "email": email,
                "phone": phone,
                "commune": commune,
                "gender": gender,
                "birth_year": birth_year,
                "employment_situation_at_entry": employment_situation,
                "lives_in_qpv": lives_in_qpv,
            },
            consent_newsletter=consent_newsletter,
            organisation_fields={
                "name": organisation_name,
                "legal_form": legal_form,
                "siret": siret,
            },
            project_fields={
                "name": project_name,
                "summary": description,
                "sector": sector,
                "stage": stage,
                "social_impact": social_impact,
                "environmental_impact": environmental_impact,
                "commune": project_commune,
                "in_qpv": project_in_qpv,
            },
            help_sought=help_sought,
            heard_from=heard_from,
        )
    # Until reconciled, the person is what the form said (never the record it may match).
    person = registration.person or Person(
        first_name=first_name, last_name=last_name, email=email.strip().lower()
    )
    context = {
        "registration": registration,
        "project": registration.project,
        "person": person,
        "triage_url": absolute_url("crm:triage-detail", registration.project.pk),
        "triage_list_url": absolute_url("crm:triage-list"),
    }
    # Fixed text only: it goes to any address a visitor types (see the template).
    send_email(
        subject=_("Demande d'accompagnement reçue : nous vous répondons sous quinze jours"),
        template="registration_public/email_confirmation.txt",
        context={"dpo_contact": settings.DPO_CONTACT},
        to=[person.email],
    )
    send_email(
        subject=_("À trier : nouvelle candidature en ligne « %(name)s »")
        % {"name": registration.project},
        template="registration_public/email_officers.txt",
        context=context,
        to=officer_notification_addresses(),
    )
    return registration


def _record_registration(
    *,
    at,
    person_fields: dict,
    consent_newsletter: bool,
    organisation_fields: dict,
    project_fields: dict,
    help_sought: str,
    heard_from: str,
) -> Registration:
    """Write the registration and its project. Nothing that exists is changed (an
    anonymous visitor may type anybody's email or SIRET): when the person or the structure
    may already be known, the submission waits on the registration for an officer to
    reconcile it (crm.intake.services.reconciliation); only records nobody else could be
    are created here."""
    person = Person(**person_fields)
    person.normalize()
    person_matches = people_matching(person_fields)
    person_candidates = [c.record for c in person_matches]
    if not person_candidates:
        person.full_clean()
        person.save()
        if consent_newsletter:
            consent_give(
                person=person,
                purpose=ConsentPurpose.NEWSLETTER,
                origin=ConsentOrigin.PUBLIC_FORM,
                at=at,
            )

    organisation = None
    organisation_candidates, organisation_matches = [], []
    wants_organisation = bool(
        organisation_fields["name"].strip() or organisation_fields["siret"].strip()
    )
    if wants_organisation:
        probe = Organisation(
            name=organisation_fields["name"] or "",
            legal_form=organisation_fields["legal_form"] or "",
            siret=organisation_fields["siret"] or "",
            kind=OrganisationKind.ESS_STRUCTURE,
        )
        probe.normalize()
        if not probe.name:
            raise ValidationError({"organisation_name": _("Indiquez le nom de la structure.")})
        probe.full_clean(validate_unique=False, validate_constraints=False)
        organisation_matches = organisations_matching({"name": probe.name, "siret": probe.siret})
        organisation_candidates = [c.record for c in organisation_matches]
        if not organisation_candidates:
            probe.save()
            organisation = probe

    project = project_create(
        by=None,
        name=project_fields.pop("name"),
        # A new person is the lead now, founder of a new structure; a known person or
        # structure is linked only once an officer has said so.
        lead=person if person.pk else None,
        at=at,
        note=app_text(stored_text.ONLINE_REGISTRATION),
        status=Status.APPLICANT,
        source=Source.ONLINE_FORM,
        organisation=organisation,
        **project_fields,
    )
    registration = Registration(
        project=project,
        person=person if person.pk else None,
        submitted_at=at,
        help_sought=help_sought,
        heard_from=heard_from,
        person_matched=any(Reason.SAME_EMAIL in c.reasons for c in person_matches),
        organisation_matched=any(Reason.SAME_SIRET in c.reasons for c in organisation_matches),
        submitted_person=submitted_person(person, consent_newsletter),
        submitted_organisation=(
            {name: value or "" for name, value in organisation_fields.items()}
            if wants_organisation
            else {}
        ),
        person_to_reconcile=bool(person_candidates),
        organisation_to_reconcile=bool(organisation_candidates),
    )
    if not registration.to_reconcile:
        registration.reconciled_at = at
    registration.full_clean()
    registration.save()
    registration.possible_duplicate_people.set(person_candidates)
    registration.possible_duplicate_organisations.set(organisation_candidates)
    return registration


def submitted_person(person: Person, consent_newsletter: bool) -> dict:
    """The person as typed (normalised as the model stores it), in JSON: the commune by
    its pk."""
    data = {
        name: getattr(person, f"{name}_id" if name == "commune" else name)
        for name in PERSON_FIELDS
        if name != "consent_newsletter"
    }
    data["consent_newsletter"] = bool(consent_newsletter)
    return data
