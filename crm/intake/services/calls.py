"""Calls for projects: applications, scores, decisions within the envelope, grant payments."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core import formatting
from crm.core.concurrency import claim_version
from crm.models import Application, Call, CommitteeDecision, Project


def euros(amount) -> str:
    """25000 → "25 000 €", 1250.5 → "1 250,50 €" in French (crm.core.formatting)."""
    return formatting.amount(amount)


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


def _lock(application: Application, expected_version: int | None) -> Application:
    """The application's row, locked, still at the version the user loaded (by default the
    one `application` was read with), else StaleObjectError: scores, decision and payments
    are one record, so two people editing any of them do not overwrite each other."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    expected = application.version if expected_version is None else expected_version
    claim_version(locked, expected_version=expected)
    return locked


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
    expected_version: int | None = None,
) -> Application:
    """Record the commune's opinion and the committee's scores (0 to 5 per criterion)."""
    locked = _lock(application, expected_version)
    locked.score_jobs = score_jobs
    locked.score_local_roots = score_local_roots
    locked.score_social_utility = score_social_utility
    locked.score_viability = score_viability
    locked.commune_opinion = commune_opinion
    locked.commune_opinion_comment = commune_opinion_comment
    locked.full_clean()
    locked.save()
    application.version = locked.version  # the caller's copy is now the saved one
    return locked


@transaction.atomic
def call_application_decide(
    *,
    application: Application,
    by,
    decision: str,
    amount_awarded: Decimal = Decimal(0),
    at: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> Application:
    """Record the committee's decision. The call's row is locked first, so two officers
    deciding at the same moment cannot together award more than the envelope."""
    call = Call.objects.select_for_update().get(pk=application.call_id)
    locked = _lock(application, expected_version)
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
    application.version = locked.version  # the caller's copy is now the saved one
    return locked


@transaction.atomic
def call_application_record_payments(
    *,
    application: Application,
    by,
    first_payment_on: datetime.date | None,
    balance_paid_on: datetime.date | None,
    expected_version: int | None = None,
) -> Application:
    """Record when the grant was paid: the first instalment, then the balance."""
    locked = _lock(application, expected_version)
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
    locked.save(update_fields=["first_payment_on", "balance_paid_on", "version"])
    application.version = locked.version
    return locked
