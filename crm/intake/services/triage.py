"""Triage of applications: accept, redirect to a partner or decline, and tell the applicant."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import Organisation, Person
from crm.core import roles, stored_text
from crm.core.concurrency import claim_version
from crm.core.stored_text import app_text
from crm.intake.services.emails import send_email
from crm.models import (
    ExitReason,
    Project,
    Registration,
    Status,
    TriageDecision,
    TriageOutcome,
)
from crm.projects.services import project_move

DECLINE_EXIT_REASONS = (
    ExitReason.NOT_ELIGIBLE,
    ExitReason.ABANDONED,
    ExitReason.NO_CONTACT,
    ExitReason.MOVED_AWAY,
    ExitReason.OTHER,
)


def _lead(project: Project) -> Person | None:
    member = project.members.select_related("person").filter(is_lead=True).first()
    return member.person if member else None


def _check_applicant(project: Project, expected_version: int | None = None) -> Project:
    """Lock the project and make sure it still waits for a decision (two officers may open
    the same application) and is still the version the officer read (by default the one
    `project` was loaded with; StaleObjectError otherwise). The decision counts as a save."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.status != Status.APPLICANT:
        raise ValidationError(_("Cette candidature a déjà été traitée."))
    claim_version(
        locked, expected_version=project.version if expected_version is None else expected_version
    )
    Project.objects.filter(pk=locked.pk).update(version=locked.version)
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
    expected_version: int | None = None,
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
        locked = _check_applicant(project, expected_version)
        if (
            Registration.objects.filter(project=locked)
            .filter(Q(person_to_reconcile=True) | Q(organisation_to_reconcile=True))
            .exists()
        ):
            # Accompanying somebody starts from the right person and structure.
            raise ValidationError(
                _(
                    "Rapprochez d'abord l'inscription des fiches existantes (porteur·se, "
                    "structure) avant d'accepter la candidature."
                )
            )
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
    if lead and send_email(
        subject=_("Candidature acceptée : votre accompagnateur·rice vous contacte bientôt"),
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
    expected_version: int | None = None,
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
        locked = _check_applicant(project, expected_version)
        project_move(
            project=locked,
            by=by,
            status=Status.EXITED,
            exit_reason=ExitReason.REDIRECTED,
            note=app_text(stored_text.REDIRECTED, partner=partner, reason=reason),
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
        and send_email(
            subject=_("Votre demande d'accompagnement : contactez %(partner)s")
            % {"partner": partner.name},
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
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> TriageDecision:
    """Decline an application with a reason; the applicant is told by email."""
    at = at or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif du refus.")})
    if exit_reason not in DECLINE_EXIT_REASONS:
        raise ValidationError({"exit_reason": _("Choisissez un motif de sortie.")})
    with transaction.atomic():
        locked = _check_applicant(project, expected_version)
        project_move(
            project=locked,
            by=by,
            status=Status.EXITED,
            exit_reason=exit_reason,
            note=app_text(stored_text.DECLINED, reason=reason),
            at=at,
        )
        decision = _record_decision(
            project=locked, outcome=TriageOutcome.DECLINED, at=at, by=by, reason=reason
        )
    lead = _lead(locked)
    if lead and send_email(
        subject=_("Réponse à votre demande d'accompagnement « %(project)s »")
        % {"project": locked.name},
        template="registration_public/email_declined.txt",
        context={"project": locked, "person": lead, "reason": reason},
        to=[lead.email],
    ):
        decision.applicant_emailed = True
        decision.save(update_fields=["applicant_emailed"])
    project.refresh_from_db()
    return decision
