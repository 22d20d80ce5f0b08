"""The public registration: person, structure and project recorded, likely duplicates flagged."""

import datetime
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.gdpr.consents import consent_give
from contacts.models import (
    ConsentOrigin,
    ConsentPurpose,
    Organisation,
    OrganisationKind,
    Person,
    PersonOrganisation,
)
from crm.core import roles
from crm.intake.services.emails import send_email
from crm.models import Registration, Source, Status, User
from crm.projects.services import project_create


def simplify(text: str) -> str:
    """Lower case without accents or extra spaces: "  Hélène " and "helene" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def officer_notification_addresses() -> list[str]:
    """REGISTRATION_NOTIFY_EMAILS, or every active officer's address."""
    if settings.REGISTRATION_NOTIFY_EMAILS:
        return list(settings.REGISTRATION_NOTIFY_EMAILS)
    officers = User.objects.filter(groups__name=roles.Role.OFFICER, is_active=True).exclude(
        email=""
    )
    return sorted(set(officers.values_list("email", flat=True)))


def _likely_duplicate_people(person: Person) -> list[Person]:
    """Other people with the same name, ignoring case and accents. The length filter keeps
    the candidates few (accents do not change a name's length) before comparing in Python."""
    first, last = simplify(person.first_name), simplify(person.last_name)
    candidates = (
        Person.objects.annotate(last_len=Length("last_name"))
        .filter(last_len=len(person.last_name), archived_at__isnull=True)
        .exclude(pk=person.pk)
        .only("pk", "first_name", "last_name")
    )
    return [
        other
        for other in candidates
        if simplify(other.last_name) == last and simplify(other.first_name) == first
    ]


def _likely_duplicate_organisations(organisation: Organisation) -> list[Organisation]:
    name = simplify(organisation.name)
    candidates = (
        Organisation.objects.annotate(name_len=Length("name"))
        .filter(name_len=len(organisation.name), archived_at__isnull=True)
        .exclude(pk=organisation.pk)
        .only("pk", "name")
    )
    return [other for other in candidates if simplify(other.name) == name]


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

    A person with the same email (any case) and a structure with the same SIRET are reused,
    not duplicated; people and structures with the same name are flagged for the officer.
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
    person = registration.person
    context = {"registration": registration, "project": registration.project, "person": person}
    send_email(
        subject=_("Votre demande d'accompagnement a bien été reçue"),
        template="registration_public/email_confirmation.txt",
        context={**context, "dpo_contact": settings.DPO_CONTACT},
        to=[person.email],
    )
    send_email(
        subject=_("Nouvelle candidature en ligne : %(name)s") % {"name": registration.project},
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
    email = person_fields["email"].strip().lower()
    person = Person.objects.filter(email__iexact=email).first() if email else None
    person_matched = person is not None
    if person is None:
        person = Person(**person_fields)
        person.full_clean()
        person.save()
    else:
        # Known person: keep what officers recorded; fill only what is still empty.
        changed = []
        for name, value in person_fields.items():
            if value not in ("", None) and getattr(person, name) in ("", None):
                setattr(person, name, value)
                changed.append(name)
        if changed:
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
    organisation_matched = False
    if organisation_fields["name"].strip() or organisation_fields["siret"].strip():
        probe = Organisation(
            name=organisation_fields["name"] or "",
            legal_form=organisation_fields["legal_form"] or "",
            siret=organisation_fields["siret"] or "",
            kind=OrganisationKind.ESS_STRUCTURE,
        )
        probe.normalize()
        if probe.siret:
            organisation = Organisation.objects.filter(siret=probe.siret).first()
            organisation_matched = organisation is not None
        if organisation is None:
            if not probe.name:
                raise ValidationError({"organisation_name": _("Indiquez le nom de la structure.")})
            probe.full_clean()
            probe.save()
            organisation = probe
        PersonOrganisation.objects.get_or_create(
            person=person, organisation=organisation, defaults={"role": "founder"}
        )

    project = project_create(
        by=None,
        name=project_fields.pop("name"),
        lead=person,
        at=at,
        note=_("Inscription par le formulaire en ligne."),
        status=Status.APPLICANT,
        source=Source.ONLINE_FORM,
        organisation=organisation,
        **project_fields,
    )
    registration = Registration(
        project=project,
        person=person,
        submitted_at=at,
        help_sought=help_sought,
        heard_from=heard_from,
        person_matched=person_matched,
        organisation_matched=organisation_matched,
    )
    registration.full_clean()
    registration.save()
    if not person_matched:
        registration.possible_duplicate_people.set(_likely_duplicate_people(person))
    if organisation is not None and not organisation_matched:
        registration.possible_duplicate_organisations.set(
            _likely_duplicate_organisations(organisation)
        )
    return registration
