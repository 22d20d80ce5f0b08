"""Ledger workflows: contracts and their prices, purchase orders, the service certified,
and the flat unit each cohort project consumes."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.core.concurrency import save_versioned
from crm.models import Project
from followups.models import (
    Cohort,
    Consumption,
    Contract,
    OrderLine,
    PurchaseOrder,
    ServiceCertification,
    UnitKind,
    UnitPrice,
)
from followups.selectors import order_statement
from followups.services.allocation import _hours


def check_month_in_contract(contract: Contract, month: datetime.date) -> None:
    """A certified month falls within the contract's dates (ValidationError on "month")."""
    if not contract.covers_month(month):
        raise ValidationError(
            {
                "month": _(
                    "Le marché %(ref)s court du %(start)s au %(end)s : choisissez un mois "
                    "de cette période."
                )
                % {
                    "ref": contract.reference,
                    "start": contract.start_date.strftime("%d/%m/%Y"),
                    "end": contract.end_date.strftime("%d/%m/%Y"),
                }
            }
        )


@transaction.atomic
def service_certify(*, order: PurchaseOrder, month: datetime.date, by) -> ServiceCertification:
    """An officer certifies the service done on `order` for `month`: a month of the
    contract, not to come, and not already certified (unless that was revoked)."""
    permissions.require(permissions.can_run_programme(by))
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValidationError({"month": _("On ne certifie pas un mois à venir.")})
    check_month_in_contract(order.contract, month)
    if ServiceCertification.objects.active().filter(order=order, month=month).exists():
        raise ValidationError({"month": _("Le service fait de ce mois est déjà certifié.")})
    statement = order_statement(order, month, user=by)
    certification = ServiceCertification(
        order=order, month=month, amount=statement["month_amount"], certified_by=by
    )
    certification.full_clean()
    certification.save()
    return certification


@transaction.atomic
def service_revoke(*, certification: ServiceCertification, by, reason: str):
    """An officer revokes a certification with a reason (who, when and why stay on the
    row): the month counts as not certified again and can be certified anew."""
    permissions.require(permissions.can_run_programme(by))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
    locked = ServiceCertification.objects.select_for_update().get(pk=certification.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("Cette certification est déjà annulée."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = by
    locked.revocation_reason = reason
    locked.full_clean()
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return locked


# Cohorts: the flat unit per cohort entrepreneur


def _certified(order_id, day: datetime.date) -> bool:
    months = ServiceCertification.objects.active()
    return months.filter(order_id=order_id, month=day.replace(day=1)).exists()


@transaction.atomic
def cohort_consume(cohort: Cohort) -> dict:
    """Bring the cohort's flat units in line with its projects and purchase order.

    Each project of a cohort tied to an order consumes one "cohort entrepreneur" unit,
    dated the day it joined (or the cohort's start, if later). Idempotent: a second call
    changes nothing. A project that left (or an order that changed) loses its unit unless
    the month of that unit is already certified: what was certified stays on the ledger.
    Returns {"added": n, "removed": n, "kept": n} (kept: certified units left in place)."""
    today = timezone.localdate()
    members = set(cohort.projects.values_list("pk", flat=True))
    existing = list(Consumption.objects.filter(cohort=cohort).select_related("project"))
    added = removed = kept = 0
    have = set()
    for row in existing:
        wanted = row.project_id in members and row.order_id == cohort.order_id
        if wanted:
            have.add(row.project_id)
        elif _certified(row.order_id, row.on):
            kept += 1
            have.add(row.project_id)
        else:
            row.delete()
            removed += 1
    if cohort.order_id is not None:
        on = max(today, cohort.start_date)
        names = dict(Project.objects.filter(pk__in=members - have).values_list("pk", "name"))
        for project_id in sorted(members - have):
            Consumption.objects.create(
                order_id=cohort.order_id,
                unit=UnitKind.COHORT_ENTREPRENEUR,
                quantity=Decimal(1),
                on=on,
                cohort=cohort,
                project_id=project_id,
                label=f"{cohort.name} – {names[project_id]}",
            )
            added += 1
    return {"added": added, "removed": removed, "kept": kept}


def _check_cohort_order(cohort: Cohort, by) -> None:
    order = cohort.order
    if order is None:
        return
    if not Contract.objects.visible_to(by).filter(pk=order.contract_id).exists():
        raise ValidationError({"order": _("Bon de commande inconnu.")})
    if not UnitPrice.objects.filter(
        contract_id=order.contract_id, unit=UnitKind.COHORT_ENTREPRENEUR
    ).exists():
        raise ValidationError(
            {
                "order": _(
                    "Le marché de ce bon n'a pas de prix « entrepreneur·e en promotion "
                    "(forfait) » : ajoutez ce prix unitaire au marché d'abord."
                )
            }
        )


@transaction.atomic
def cohort_save(
    *, cohort: Cohort, projects, by, expected_version: int | None = None, update_fields=None
) -> dict:
    """Create or update a cohort with its projects (officers only), then bring its flat
    units on the purchase order in line (see cohort_consume). An update expects the version
    the user loaded (StaleObjectError, nothing written, when somebody saved since)."""
    permissions.require(permissions.can_run_programme(by))
    _check_cohort_order(cohort, by)
    cohort.full_clean()
    save_versioned(cohort, expected_version=expected_version, update_fields=update_fields)
    cohort.projects.set(projects)
    return cohort_consume(cohort)


@transaction.atomic
def cohort_project_add(*, cohort: Cohort, project: Project, by) -> dict:
    """A project joins a cohort (officers only): it consumes the cohort's flat unit."""
    permissions.require(permissions.can_run_programme(by))
    cohort.projects.add(project)
    return cohort_consume(cohort)


@transaction.atomic
def cohort_project_remove(*, cohort: Cohort, project: Project, by) -> dict:
    """A project leaves a cohort (officers only): its flat unit is given back unless the
    month it was consumed in is already certified."""
    permissions.require(permissions.can_run_programme(by))
    cohort.projects.remove(project)
    return cohort_consume(cohort)


# Contracts, unit prices, purchase orders


def _price_of(prices: dict, unit: str) -> Decimal:
    return prices.get(unit, Decimal(0))


def _ordered_amount(contract: Contract, *, prices: dict, replace_order=None, lines=None):
    """The amount ordered on `contract`'s purchase orders at `prices`, with `replace_order`'s
    lines replaced by `lines` ({unit: quantity}) when given (1 query)."""
    total = Decimal(0)
    rows = OrderLine.objects.filter(order__contract=contract)
    if replace_order is not None and replace_order.pk:
        rows = rows.exclude(order=replace_order)
    for unit, quantity in rows.values_list("unit", "quantity"):
        total += quantity * _price_of(prices, unit)
    for unit, quantity in (lines or {}).items():
        total += quantity * _price_of(prices, unit)
    return total.quantize(Decimal("0.01"))


def _euros(value: Decimal) -> str:
    from followups.templatetags.followups import euros

    return euros(value)


@transaction.atomic
def contract_save(
    *, contract: Contract, prices: dict, by, expected_version: int | None = None
) -> Contract:
    """Create or update a contract and its unit prices ({unit: price}) (officers only).

    The purchase orders already issued must still fit under the maximum at the new prices,
    and a unit ordered on one of them keeps a price. An update expects the version the user
    loaded (StaleObjectError, nothing written, when somebody saved since)."""
    permissions.require(permissions.can_run_programme(by))
    errors = {}
    for unit, price in prices.items():
        if unit not in UnitKind.values:
            errors.setdefault("prices", []).append(_("Unité d'œuvre inconnue : %s") % unit)
        elif price is None or price <= 0:
            errors.setdefault("prices", []).append(
                _("Le prix « %(unit)s » doit être positif.") % {"unit": UnitKind(unit).label}
            )
    if errors:
        raise ValidationError(errors)
    contract.full_clean()
    if contract.pk:
        ordered_units = set(
            OrderLine.objects.filter(order__contract=contract).values_list("unit", flat=True)
        )
        missing = sorted(ordered_units - set(prices))
        if missing:
            raise ValidationError(
                {
                    "prices": _(
                        "Ces unités figurent sur des bons de commande et gardent un prix : %s."
                    )
                    % ", ".join(str(UnitKind(u).label) for u in missing)
                }
            )
        ordered = _ordered_amount(contract, prices=prices)
        if ordered > contract.max_amount:
            raise ValidationError(
                {
                    "max_amount": _(
                        "Les bons de commande du marché totalisent %(ordered)s à ces prix, "
                        "plus que le montant maximum (%(max)s)."
                    )
                    % {"ordered": _euros(ordered), "max": _euros(contract.max_amount)}
                }
            )
        bad_orders = contract.orders.exclude(
            issued_on__gte=contract.start_date, issued_on__lte=contract.end_date
        ).values_list("number", flat=True)
        if bad_orders:
            raise ValidationError(
                {
                    "end_date": _("Ces bons de commande sortiraient des dates du marché : %s.")
                    % ", ".join(bad_orders)
                }
            )
        certified = ServiceCertification.objects.active().filter(order__contract=contract)
        outside = sorted(
            {c.month for c in certified.only("month") if not contract.covers_month(c.month)}
        )
        if outside:
            # A certified month stays within the contract (revoke it first).
            raise ValidationError(
                {
                    "end_date": _("Ces mois certifiés sortiraient des dates du marché : %s.")
                    % ", ".join(f"{month:%m/%Y}" for month in outside)
                }
            )
    save_versioned(contract, expected_version=expected_version)
    UnitPrice.objects.filter(contract=contract).exclude(unit__in=list(prices)).delete()
    current = {p.unit: p for p in UnitPrice.objects.filter(contract=contract)}
    for unit, price in prices.items():
        row = current.get(unit) or UnitPrice(contract=contract, unit=unit)
        if row.price != price:
            row.price = price
            row.full_clean()
            row.save()
    return contract


@transaction.atomic
def order_save(
    *, order: PurchaseOrder, lines: dict, by, expected_version: int | None = None
) -> PurchaseOrder:
    """Create or update a purchase order and its lines ({unit: quantity}) (officers only).

    The order falls within its contract's dates, orders only priced units, never less than
    what is already consumed, and the contract's orders stay under its maximum. An update
    expects the version the user loaded (StaleObjectError, nothing written, when somebody
    saved since)."""
    permissions.require(permissions.can_run_programme(by))
    contract = order.contract
    if not lines:
        raise ValidationError({"lines": _("Commandez au moins une unité d'œuvre.")})
    prices = dict(UnitPrice.objects.filter(contract=contract).values_list("unit", "price"))
    errors: dict[str, list] = {}
    for unit, quantity in lines.items():
        label = UnitKind(unit).label if unit in UnitKind.values else unit
        if unit not in prices:
            errors.setdefault("lines", []).append(
                _("« %(unit)s » n'a pas de prix unitaire dans le marché.") % {"unit": label}
            )
        if quantity is None or quantity <= 0:
            errors.setdefault("lines", []).append(
                _("La quantité de « %(unit)s » doit être positive.") % {"unit": label}
            )
    if order.issued_on and not contract.start_date <= order.issued_on <= contract.end_date:
        errors.setdefault("issued_on", []).append(
            _("La date du bon doit être dans les dates du marché (du %(start)s au %(end)s).")
            % {
                "start": contract.start_date.strftime("%d/%m/%Y"),
                "end": contract.end_date.strftime("%d/%m/%Y"),
            }
        )
    if order.pk:
        consumed = dict(
            Consumption.objects.filter(order=order)
            .order_by()
            .values_list("unit")
            .annotate(total=models.Sum("quantity"))
        )
        for unit, total in consumed.items():
            if lines.get(unit, Decimal(0)) < total:
                errors.setdefault("lines", []).append(
                    _(
                        "« %(unit)s » : %(consumed)s déjà consommé(s), la quantité commandée "
                        "ne peut pas être inférieure."
                    )
                    % {"unit": UnitKind(unit).label, "consumed": _hours(total)}
                )
    if errors:
        raise ValidationError(errors)
    ordered = _ordered_amount(contract, prices=prices, replace_order=order, lines=lines)
    if ordered > contract.max_amount:
        raise ValidationError(
            {
                "lines": _(
                    "Avec ce bon, les commandes du marché atteindraient %(ordered)s, plus que "
                    "son montant maximum (%(max)s)."
                )
                % {"ordered": _euros(ordered), "max": _euros(contract.max_amount)}
            }
        )
    order.full_clean()
    save_versioned(order, expected_version=expected_version)
    OrderLine.objects.filter(order=order).exclude(unit__in=list(lines)).delete()
    current = {line.unit: line for line in OrderLine.objects.filter(order=order)}
    for unit, quantity in lines.items():
        line = current.get(unit) or OrderLine(order=order, unit=unit)
        if line.quantity != quantity:
            line.quantity = quantity
            line.full_clean()
            line.save()
    return order
