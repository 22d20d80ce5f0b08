"""Certification of the service done: bounded by the contract's dates, revocable by an
officer with a reason that stays on the ledger, and the figures follow the revocation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from followups import selectors, services
from followups.models import (
    Cohort,
    Consumption,
    OrderLine,
    PurchaseOrder,
    ServiceCertification,
    UnitKind,
    UnitPrice,
)
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 1)


@pytest.fixture
def order(coach):
    # A contract from 15 March to 30 June 2026: March counts (partly covered), not February.
    contract = ContractFactory(
        reference="2026-BORNES",
        start_date=datetime.date(2026, 3, 15),
        end_date=datetime.date(2026, 6, 30),
    )
    coach.organisation = contract.provider  # the coach works for the provider
    coach.save()
    UnitPrice.objects.create(contract=contract, unit=UnitKind.COACHING_HOUR, price=Decimal(80))
    UnitPrice.objects.create(
        contract=contract, unit=UnitKind.COHORT_ENTREPRENEUR, price=Decimal(1200)
    )
    order = PurchaseOrder.objects.create(
        contract=contract, number="BC-BORNES", issued_on=datetime.date(2026, 3, 20)
    )
    OrderLine.objects.create(order=order, unit=UnitKind.COACHING_HOUR, quantity=50)
    OrderLine.objects.create(order=order, unit=UnitKind.COHORT_ENTREPRENEUR, quantity=5)
    return order


@pytest.fixture
def consumed(order, coach, project):
    services.meeting_log(
        project=project,
        by=coach,
        details=services.MeetingDetails(
            start=datetime.datetime(2026, 3, 20, 10, tzinfo=datetime.UTC),
            duration_minutes=90,
            order=order,
        ),
    )
    return order


# --- Bounds -----------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2026-02", "2026-07", "2031-01"])
def test_a_month_outside_the_contract_is_refused_naming_the_field(client, officer, order, month):
    client.force_login(officer)
    url = reverse("followups:order-certify", args=[order.pk])
    response = client.post(url, {"month": month}, follow=True)
    body = response.content.decode()
    assert "Mois : " in body
    assert "Le marché 2026-BORNES court du 15/03/2026 au 30/06/2026" in body
    assert not ServiceCertification.objects.exists()


def test_the_service_refuses_a_month_outside_the_contract(officer, order):
    with pytest.raises(ValidationError) as refused:
        services.service_certify(order=order, month=datetime.date(2026, 2, 1), by=officer)
    assert "court du 15/03/2026" in refused.value.message_dict["month"][0]


def test_a_partly_covered_month_can_be_certified(client, officer, consumed, time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 2, 9, tzinfo=datetime.UTC))
    client.force_login(officer)
    url = reverse("followups:order-certify", args=[consumed.pk])
    response = client.post(url, {"month": "2026-03"}, follow=True)
    assert "Service fait certifié pour 03/2026." in response.content.decode()
    assert consumed.certifications.get().amount == Decimal(120)


def test_the_statement_offers_no_certification_outside_the_contract(client, officer, order):
    client.force_login(officer)
    url = reverse("followups:order-statement", args=[order.pk])
    body = client.get(url, {"month": "2026-02"}).content.decode()
    assert "Ce mois est hors du marché 2026-BORNES" in body
    assert reverse("followups:order-certify", args=[order.pk]) not in body


# --- Revocation -------------------------------------------------------------------------


def _certify(order, officer, month=MARCH):
    return services.service_certify(order=order, month=month, by=officer)


@pytest.fixture
def certified(consumed, officer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 2, 9, tzinfo=datetime.UTC))
    return _certify(consumed, officer)


def test_officer_revokes_with_a_reason_and_the_ledger_shows_it(client, officer, certified):
    client.force_login(officer)
    statement = reverse("followups:order-statement", args=[certified.order.pk])
    page = client.get(statement, {"month": "2026-03"}).content.decode()
    assert "Certifié à ce jour sur ce bon : 120\u00a0€." in page
    url = reverse("followups:certification-revoke", args=[certified.pk])
    assert url in page
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Confirmer l'annulation" in confirm.content.decode()
    # Nothing happens before the confirmation with a reason.
    refused = client.post(url, {"reason": "   "})
    assert refused.status_code == 400
    assert "Motif de l&#x27;annulation" in refused.content.decode()
    assert ServiceCertification.objects.active().count() == 1
    response = client.post(url, {"reason": "Heures saisies sur le mauvais bon."}, follow=True)
    body = response.content.decode()
    assert "La certification de 03/2026 est annulée." in body
    revoked = ServiceCertification.objects.get(pk=certified.pk)
    assert revoked.revoked_by == officer and revoked.revoked_at is not None
    assert revoked.revocation_reason == "Heures saisies sur le mauvais bon."
    # The ledger page: the amount certified to date drops, the revocation is listed with
    # who and why, and the month can be certified again.
    assert "Certifié à ce jour sur ce bon : 0\u00a0€." in body
    assert "Annulée par" in body and "Heures saisies sur le mauvais bon." in body
    assert reverse("followups:order-certify", args=[certified.order.pk]) in body


def test_a_revoked_month_can_be_certified_again(officer, certified):
    services.service_revoke(certification=certified, by=officer, reason="Erreur de mois.")
    again = _certify(certified.order, officer)
    figures = selectors.order_certifications(certified.order, MARCH)
    assert figures["current"] == again
    assert figures["certified_amount"] == Decimal(120)
    assert [row.pk for row in figures["rows"]] == [again.pk, certified.pk]
    assert figures["revoked_count"] == 1


def test_revocation_needs_a_reason_an_officer_and_happens_once(officer, coach, manager, certified):
    with pytest.raises(ValidationError) as refused:
        services.service_revoke(certification=certified, by=officer, reason=" ")
    assert "reason" in refused.value.message_dict
    for user in (coach, manager):
        with pytest.raises(PermissionDenied):
            services.service_revoke(certification=certified, by=user, reason="Pourquoi pas")
    services.service_revoke(certification=certified, by=officer, reason="Erreur.")
    with pytest.raises(ValidationError, match="déjà annulée"):
        services.service_revoke(certification=certified, by=officer, reason="Encore.")


def test_the_database_keeps_one_standing_certification_per_month(officer, certified):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceCertification.objects.create(
            order=certified.order, month=MARCH, amount=1, certified_by=officer
        )


@pytest.mark.parametrize("persona", ["coach", "manager"])
def test_only_officers_see_and_use_the_revocation(client, request, persona, certified):
    client.force_login(request.getfixturevalue(persona))
    statement = reverse("followups:order-statement", args=[certified.order.pk])
    url = reverse("followups:certification-revoke", args=[certified.pk])
    assert url not in client.get(statement, {"month": "2026-03"}).content.decode()
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"reason": "Non"}).status_code in (403, 404)
    assert ServiceCertification.objects.active().count() == 1


def test_after_revocation_a_cohort_project_leaving_gives_its_unit_back(officer, project, certified):
    """What was certified stays on the ledger; once revoked, the month is open again."""
    cohort = Cohort.objects.create(
        name="Promotion bornée",
        start_date=datetime.date(2026, 3, 15),
        end_date=datetime.date(2026, 6, 30),
        order=certified.order,
    )
    services.cohort_save(cohort=cohort, projects=[project], by=officer)
    unit = Consumption.objects.get(cohort=cohort)
    assert unit.on.replace(day=1) == datetime.date(2026, 4, 1)
    april = _certify(certified.order, officer, month=datetime.date(2026, 4, 1))
    assert services.cohort_project_remove(cohort=cohort, project=project, by=officer)["kept"] == 1
    services.service_revoke(certification=april, by=officer, reason="Avril à refaire.")
    services.cohort_project_add(cohort=cohort, project=project, by=officer)
    result = services.cohort_project_remove(cohort=cohort, project=project, by=officer)
    assert result["removed"] == 1 and not Consumption.objects.filter(cohort=cohort).exists()


def test_the_contract_cannot_shrink_below_a_certified_month(officer, certified):
    april = _certify(certified.order, officer, month=datetime.date(2026, 4, 1))
    contract = certified.order.contract
    contract.end_date = datetime.date(2026, 3, 31)
    prices = dict(contract.prices.values_list("unit", "price"))
    with pytest.raises(ValidationError) as refused:
        services.contract_save(contract=contract, prices=prices, by=officer)
    assert "Ces mois certifiés sortiraient des dates du marché : 04/2026." in str(refused.value)
    # Once April is revoked, the contract can end in March.
    services.service_revoke(certification=april, by=officer, reason="Avril hors marché.")
    services.contract_save(contract=contract, prices=prices, by=officer)
    contract.refresh_from_db()
    assert contract.end_date == datetime.date(2026, 3, 31)
