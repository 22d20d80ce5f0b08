"""Grants as money: the convention of an awarded grant and its instalments.

The instalments of a grant never add up to more than the amount awarded; only a winner's
grant has instalments. Officers write them (permissions.can_run_calls)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.core.concurrency import claim_version
from crm.models import Application, CommitteeDecision, GrantInstalment


def _scheduled(application: Application, *, excluding=None) -> Decimal:
    instalments = GrantInstalment.objects.filter(application=application)
    if excluding is not None:
        instalments = instalments.exclude(pk=excluding.pk)
    return instalments.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def remaining_to_pay(application: Application) -> Decimal:
    """The amount awarded less the instalments already paid (one query)."""
    paid = (
        GrantInstalment.objects.filter(application=application)
        .paid()
        .aggregate(total=Sum("amount"))["total"]
    )
    return application.amount_awarded - (paid or Decimal(0))


@transaction.atomic
def grant_convention_record(
    *,
    application: Application,
    by,
    convention_number: str,
    convention_signed_on: datetime.date | None,
    expected_version: int,
) -> Application:
    """Record the grant agreement's number and signature date."""
    permissions.require(permissions.can_run_calls(by))
    locked = Application.objects.select_for_update().get(pk=application.pk)
    claim_version(locked, expected_version=expected_version)
    if locked.decision != CommitteeDecision.WINNER and (convention_number or convention_signed_on):
        raise ValidationError(
            {"convention_number": _("Seul un projet lauréat signe une convention.")}
        )
    locked.convention_number = convention_number.strip()
    locked.convention_signed_on = convention_signed_on
    locked.full_clean()
    locked.save(update_fields=["convention_number", "convention_signed_on", "version"])
    application.version = locked.version
    return locked


@transaction.atomic
def grant_instalment_add(
    *,
    application: Application,
    by,
    amount: Decimal,
    due_on: datetime.date,
    paid_on: datetime.date | None = None,
    payment_reference: str = "",
) -> GrantInstalment:
    """Schedule an instalment of an awarded grant (already paid if `paid_on` is given)."""
    permissions.require(permissions.can_run_calls(by))
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.decision != CommitteeDecision.WINNER:
        raise ValidationError({"amount": _("Seul un projet lauréat reçoit des versements.")})
    left = locked.amount_awarded - _scheduled(locked)
    if amount > left:
        raise ValidationError(
            {
                "amount": _("Les versements dépasseraient le montant attribué (reste %(left)s €).")
                % {"left": left}
            }
        )
    instalment = GrantInstalment(
        application=locked,
        amount=amount,
        due_on=due_on,
        paid_on=paid_on,
        payment_reference=payment_reference.strip(),
    )
    instalment.full_clean()
    instalment.save()
    return instalment


@transaction.atomic
def grant_instalment_pay(
    *,
    instalment: GrantInstalment,
    by,
    paid_on: datetime.date,
    payment_reference: str = "",
) -> GrantInstalment:
    """Record the payment of an instalment: once (another officer's payment recorded
    meanwhile is not overwritten)."""
    permissions.require(permissions.can_run_calls(by))
    locked = GrantInstalment.objects.select_for_update().get(pk=instalment.pk)
    if locked.paid_on is not None:
        raise ValidationError(
            {
                "paid_on": _("Ce versement est déjà enregistré comme payé le %(date)s.")
                % {"date": locked.paid_on.strftime("%d/%m/%Y")}
            }
        )
    locked.paid_on = paid_on
    locked.payment_reference = payment_reference.strip()
    locked.full_clean()
    locked.save(update_fields=["paid_on", "payment_reference"])
    return locked
