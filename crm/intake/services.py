"""Intake workflows: the public registration, the triage of applications and the decisions
of the calls for projects. Views, commands and tests all call these functions.

Emails are sent after the database work is done: a mail server outage is logged and never
loses an application or a decision.
"""

import datetime
import logging
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Length
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import Organisation, OrganisationKind, Person, PersonOrganisation
from crm.core import roles
from crm.models import (
    Application,
    Call,
    CommitteeDecision,
    ExitReason,
    Project,
    Registration,
    Source,
    Status,
    TriageDecision,
    TriageOutcome,
    User,
)
from crm.projects.services import project_create, project_move

logger = logging.getLogger(__name__)

DECLINE_EXIT_REASONS = (
    ExitReason.NOT_ELIGIBLE,
    ExitReason.ABANDONED,
    ExitReason.NO_CONTACT,
    ExitReason.MOVED_AWAY,
    ExitReason.OTHER,
)


def euros(amount) -> str:
    """25000 → "25 000 €", 1250.5 → "1 250,50 €" (no-break spaces keep it on one line)."""
    if amount is None:
        return "—"
    value = Decimal(amount)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",") + "\u00a0€"


def simplify(text: str) -> str:
    """Lower case without accents or extra spaces: "  Hélène " and "helene" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def _send(*, subject: str, template: str, context: dict, to: list[str]) -> bool:
    """Send a plain-text email; log and report failure rather than raising."""
    recipients = [address for address in to if address]
    if not recipients:
        return False
    body = render_to_string(template, context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("Email %r to %s could not be sent", subject, recipients)
        return False
    return True


def officer_notification_addresses() -> list[str]:
    """REGISTRATION_NOTIFY_EMAILS, or every active officer's address."""
    if settings.REGISTRATION_NOTIFY_EMAILS:
        return list(settings.REGISTRATION_NOTIFY_EMAILS)
    officers = User.objects.filter(groups__name=roles.Role.OFFICER, is_active=True).exclude(
        email=""
    )
    return sorted(set(officers.values_list("email", flat=True)))


def _lead(project: Project) -> Person | None:
    member = project.members.select_related("person").filter(is_lead=True).first()
    return member.person if member else None


# --- Public registration -----------------------------------------------------------------


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
    _send(
        subject=_("Votre demande d'accompagnement a bien été reçue"),
        template="registration_public/email_confirmation.txt",
        context={**context, "dpo_contact": settings.DPO_CONTACT},
        to=[person.email],
    )
    _send(
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
    if consent_newsletter and not person.consent_newsletter:
        person.consent_newsletter = True
        person.consent_newsletter_at = at
        person.save(update_fields=["consent_newsletter", "consent_newsletter_at", "updated_at"])

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


# --- Triage --------------------------------------------------------------------------------


def _check_applicant(project: Project) -> Project:
    """Lock the project and make sure it still waits for a decision (two officers may open
    the same application)."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.status != Status.APPLICANT:
        raise ValidationError(_("Cette candidature a déjà été traitée."))
    return locked


def _record_decision(**fields) -> TriageDecision:
    decision = TriageDecision(**fields)
    decision.full_clean()
    decision.save()
    return decision


def application_accept(
    *,
    project: Project,
    by,
    officer,
    coach,
    hours_allocated: Decimal,
    note: str = "",
    cohort=None,
    at: datetime.datetime | None = None,
) -> TriageDecision:
    """Accept an application: the project starts its accompaniment with an officer, a coach
    and an allocation of hours, optionally in a cohort (promotion); the applicant is told by
    email."""
    at = at or timezone.now()
    if officer is None or not roles.is_officer(officer):
        raise ValidationError({"officer": _("Choisissez un·e chargé·e de mission.")})
    if coach is None or not roles.is_coach(coach):
        raise ValidationError({"coach": _("Choisissez un·e accompagnateur·rice.")})
    if hours_allocated is None or hours_allocated < 0:
        raise ValidationError(
            {"hours_allocated": _("Les heures allouées doivent être positives ou nulles.")}
        )
    with transaction.atomic():
        locked = _check_applicant(project)
        locked.officer, locked.coach, locked.hours_allocated = officer, coach, hours_allocated
        locked.entry_date = locked.entry_date or timezone.localdate(at)
        locked.full_clean()
        locked.save(update_fields=["officer", "coach", "hours_allocated", "entry_date"])
        project_move(
            project=locked,
            by=by,
            status=Status.ACTIVE,
            note=note or _("Candidature acceptée : accompagnement."),
            at=at,
        )
        if cohort is not None:
            cohort.projects.add(locked)
        decision = _record_decision(
            project=locked, outcome=TriageOutcome.ACCEPTED, at=at, by=by, reason=note
        )
    lead = _lead(locked)
    if lead and _send(
        subject=_("Votre candidature est acceptée"),
        template="registration_public/email_accepted.txt",
        context={"project": locked, "person": lead},
        to=[lead.email],
    ):
        decision.applicant_emailed = True
        decision.save(update_fields=["applicant_emailed"])
    project.refresh_from_db()
    return decision


def application_redirect(
    *,
    project: Project,
    by,
    partner: Organisation,
    reason: str,
    notify_applicant: bool = False,
    at: datetime.datetime | None = None,
) -> TriageDecision:
    """Redirect an application to a partner organisation; the project leaves the pipeline
    with the reason "redirected". The applicant is emailed only if asked."""
    at = at or timezone.now()
    if partner is None:
        raise ValidationError({"partner": _("Choisissez la structure partenaire.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la réorientation.")})
    with transaction.atomic():
        locked = _check_applicant(project)
        project_move(
            project=locked,
            by=by,
            status=Status.EXITED,
            exit_reason=ExitReason.REDIRECTED,
            note=_("Réorientée vers %(partner)s : %(reason)s")
            % {"partner": partner, "reason": reason},
            at=at,
        )
        decision = _record_decision(
            project=locked,
            outcome=TriageOutcome.REDIRECTED,
            at=at,
            by=by,
            reason=reason,
            partner=partner,
        )
    lead = _lead(locked)
    if (
        notify_applicant
        and lead
        and _send(
            subject=_("Votre demande d'accompagnement"),
            template="registration_public/email_redirected.txt",
            context={"project": locked, "person": lead, "partner": partner, "reason": reason},
            to=[lead.email],
        )
    ):
        decision.applicant_emailed = True
        decision.save(update_fields=["applicant_emailed"])
    project.refresh_from_db()
    return decision


def application_decline(
    *,
    project: Project,
    by,
    reason: str,
    exit_reason: str = ExitReason.NOT_ELIGIBLE,
    at: datetime.datetime | None = None,
) -> TriageDecision:
    """Decline an application with a reason; the applicant is told by email."""
    at = at or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif du refus.")})
    if exit_reason not in DECLINE_EXIT_REASONS:
        raise ValidationError({"exit_reason": _("Choisissez un motif de sortie.")})
    with transaction.atomic():
        locked = _check_applicant(project)
        project_move(
            project=locked,
            by=by,
            status=Status.EXITED,
            exit_reason=exit_reason,
            note=_("Candidature refusée : %(reason)s") % {"reason": reason},
            at=at,
        )
        decision = _record_decision(
            project=locked, outcome=TriageOutcome.DECLINED, at=at, by=by, reason=reason
        )
    lead = _lead(locked)
    if lead and _send(
        subject=_("Votre demande d'accompagnement"),
        template="registration_public/email_declined.txt",
        context={"project": locked, "person": lead, "reason": reason},
        to=[lead.email],
    ):
        decision.applicant_emailed = True
        decision.save(update_fields=["applicant_emailed"])
    project.refresh_from_db()
    return decision


# --- Calls for projects ---------------------------------------------------------------------


def awarded_total(call: Call, *, exclude: Application | None = None) -> Decimal:
    """Sum awarded to the call's winners (one query)."""
    winners = Application.objects.filter(call=call, decision=CommitteeDecision.WINNER)
    if exclude is not None:
        winners = winners.exclude(pk=exclude.pk)
    return winners.aggregate(total=Sum("amount_awarded"))["total"] or Decimal(0)


@transaction.atomic
def call_application_create(
    *, call: Call, project: Project, amount_requested: Decimal, by=None
) -> Application:
    """Register a project's application to a call (one per project and call)."""
    if Application.objects.filter(call=call, project=project).exists():
        raise ValidationError({"project": _("Ce projet a déjà candidaté à cet appel.")})
    application = Application(call=call, project=project, amount_requested=amount_requested)
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def call_application_score(
    *,
    application: Application,
    by,
    score_jobs: int | None,
    score_local_roots: int | None,
    score_social_utility: int | None,
    score_viability: int | None,
    commune_opinion: str = "",
    commune_opinion_comment: str = "",
) -> Application:
    """Record the commune's opinion and the committee's scores (0 to 5 per criterion)."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    locked.score_jobs = score_jobs
    locked.score_local_roots = score_local_roots
    locked.score_social_utility = score_social_utility
    locked.score_viability = score_viability
    locked.commune_opinion = commune_opinion
    locked.commune_opinion_comment = commune_opinion_comment
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def call_application_decide(
    *,
    application: Application,
    by,
    decision: str,
    amount_awarded: Decimal = Decimal(0),
    at: datetime.datetime | None = None,
) -> Application:
    """Record the committee's decision. The call's row is locked first, so two officers
    deciding at the same moment cannot together award more than the envelope."""
    call = Call.objects.select_for_update().get(pk=application.call_id)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if decision not in CommitteeDecision.values:
        raise ValidationError({"decision": _("Décision inconnue.")})
    amount_awarded = Decimal(amount_awarded or 0)
    if decision != CommitteeDecision.WINNER:
        amount_awarded = Decimal(0)
    elif amount_awarded <= 0:
        raise ValidationError(
            {"amount_awarded": _("Indiquez le montant attribué au projet lauréat.")}
        )
    if amount_awarded > locked.amount_requested:
        raise ValidationError(
            {
                "amount_awarded": _(
                    "Le montant attribué ne peut pas dépasser le montant demandé (%(requested)s)."
                )
                % {"requested": euros(locked.amount_requested)}
            }
        )
    left = call.envelope - awarded_total(call, exclude=locked)
    if amount_awarded > left:
        raise ValidationError(
            {
                "amount_awarded": _(
                    "L'enveloppe de l'appel est dépassée : il reste %(left)s à attribuer."
                )
                % {"left": euros(left)}
            }
        )
    locked.decision = decision
    locked.amount_awarded = amount_awarded
    locked.decided_at = None if decision == CommitteeDecision.PENDING else (at or timezone.now())
    locked.decided_by = None if decision == CommitteeDecision.PENDING else by
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def call_application_record_payments(
    *,
    application: Application,
    by,
    first_payment_on: datetime.date | None,
    balance_paid_on: datetime.date | None,
) -> Application:
    """Record when the grant was paid: the first instalment, then the balance."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.decision != CommitteeDecision.WINNER and (first_payment_on or balance_paid_on):
        raise ValidationError(
            {"first_payment_on": _("Seul un projet lauréat reçoit des versements.")}
        )
    if balance_paid_on and not first_payment_on:
        raise ValidationError(
            {"first_payment_on": _("Indiquez d'abord la date du premier versement.")}
        )
    if balance_paid_on and first_payment_on and balance_paid_on < first_payment_on:
        raise ValidationError(
            {"balance_paid_on": _("Le solde ne peut pas être versé avant le premier versement.")}
        )
    locked.first_payment_on = first_payment_on
    locked.balance_paid_on = balance_paid_on
    locked.full_clean()
    locked.save(update_fields=["first_payment_on", "balance_paid_on"])
    return locked
