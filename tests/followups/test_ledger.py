"""The provider's contract ledger: statements, exports, certification, scoping."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followups import selectors, services
from followups.models import OrderLine, PurchaseOrder, UnitKind, UnitPrice
from tests.factories import CoachFactory, ContractFactory, EventFactory, ProjectFactory

pytestmark = pytest.mark.django_db
NOV = datetime.date(2026, 11, 1)


@pytest.fixture
def order(coach):
    contract = ContractFactory()
    coach.organisation = contract.provider
    coach.save()
    UnitPrice.objects.create(contract=contract, unit=UnitKind.COACHING_HOUR, price=Decimal(80))
    UnitPrice.objects.create(contract=contract, unit=UnitKind.DIAGNOSTIC, price=Decimal(450))
    UnitPrice.objects.create(contract=contract, unit=UnitKind.WORKSHOP_HALF_DAY, price=Decimal(600))
    order = PurchaseOrder.objects.create(
        contract=contract, number="BC-2026-07", issued_on=datetime.date(2026, 9, 1)
    )
    OrderLine.objects.create(order=order, unit=UnitKind.COACHING_HOUR, quantity=100)
    OrderLine.objects.create(order=order, unit=UnitKind.DIAGNOSTIC, quantity=10)
    OrderLine.objects.create(order=order, unit=UnitKind.WORKSHOP_HALF_DAY, quantity=4)
    return order


def _log(project, by, order, day, minutes, format="individual"):
    start = datetime.datetime(2026, day[0], day[1], 10, tzinfo=datetime.UTC)
    return services.meeting_log(
        project=project,
        by=by,
        details=services.MeetingDetails(
            start=start, duration_minutes=minutes, format=format, order=order
        ),
    )


@pytest.fixture
def consumed(order, coach, other_coach, officer, project):
    _log(project, coach, order, (10, 15), 120)  # October: 2 h
    _log(project, coach, order, (11, 3), 90)  # November: 1.5 h
    _log(project, coach, order, (11, 5), 60, format="diagnostic")  # November: 1 diagnostic
    colleague = CoachFactory(username="coach_c", organisation=order.contract.provider)
    other = ProjectFactory(coach=colleague)
    _log(other, colleague, order, (11, 6), 180)  # November, a colleague at the provider: 3 h
    event = EventFactory(
        order=order,
        start=datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC),
        end=datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC),
    )
    services.event_consume(event=event, by=officer)
    return order


def test_statement_totals_for_a_month(consumed, officer):
    statement = selectors.order_statement(consumed, NOV, user=officer)
    lines = {line["unit"]: line for line in statement["lines"]}
    hour = lines[UnitKind.COACHING_HOUR]
    assert hour["month_quantity"] == Decimal("4.5") and hour["month_amount"] == Decimal(360)
    assert hour["to_date"] == Decimal("6.5") and hour["remaining"] == Decimal("93.5")
    assert lines[UnitKind.DIAGNOSTIC]["month_amount"] == Decimal(450)
    assert lines[UnitKind.WORKSHOP_HALF_DAY]["month_quantity"] == 1
    assert statement["month_amount"] == Decimal(360 + 450 + 600)


def test_a_coach_reads_only_their_own_work(client, consumed, coach):
    statement = selectors.order_statement(consumed, NOV, user=coach)
    lines = {line["unit"]: line for line in statement["lines"]}
    assert lines[UnitKind.COACHING_HOUR]["month_quantity"] == Decimal("1.5")
    assert UnitKind.WORKSHOP_HALF_DAY not in [
        u for u, line in lines.items() if line["month_quantity"]
    ]
    client.force_login(coach)
    url = reverse("followups:order-statement", args=[consumed.pk])
    csv = client.get(url, {"month": "2026-11", "export": "csv"}).content.decode("utf-8-sig")
    assert "1,5" in csv or "1.5" in csv
    assert "4.5" not in csv and "4,5" not in csv


def test_coach_of_another_provider_gets_404(client, consumed, other_coach):
    client.force_login(other_coach)
    url = reverse("followups:order-statement", args=[consumed.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("followups:contract-detail", args=[consumed.contract.pk])).status_code
        == 404
    )


def test_csv_export_has_a_bom_semicolons_and_totals(client, consumed, officer):
    client.force_login(officer)
    url = reverse("followups:order-statement", args=[consumed.pk])
    response = client.get(url, {"month": "2026-11", "export": "csv"})
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Unité d'œuvre;Prix unitaire")
    assert text.splitlines()[-1].startswith("Total;") and "1410" in text.splitlines()[-1]


def test_xlsx_export_opens(client, consumed, officer):
    client.force_login(officer)
    url = reverse("followups:order-statement", args=[consumed.pk])
    response = client.get(url, {"month": "2026-11", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Unité d'œuvre" and rows[-1][0] == "Total"


def test_officer_certifies_a_month_once(client, consumed, officer):
    client.force_login(officer)
    url = reverse("followups:order-certify", args=[consumed.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"month": "2026-11"}, follow=True)
    assert "Service fait certifié pour 11/2026." in response.content.decode()
    certification = consumed.certifications.get()
    assert certification.amount == Decimal(1410)
    with pytest.raises(ValidationError):
        services.service_certify(order=consumed, month=NOV, by=officer)


def test_only_officers_certify(consumed, coach, manager):
    for user in (coach, manager):
        with pytest.raises(PermissionDenied):
            services.service_certify(order=consumed, month=NOV, by=user)


def test_statement_page_shows_the_month(client, consumed, officer):
    client.force_login(officer)
    url = reverse("followups:order-statement", args=[consumed.pk])
    content = client.get(url, {"month": "2026-11"}).content.decode()
    assert "Bon n° BC-2026-07 – état de 11/2026" in content
    assert "1\u00a0410\u00a0€" in content


def test_contract_page_sums_orders_and_consumption_against_the_maximum(client, consumed, officer):
    summary = selectors.contract_summary(consumed.contract, user=officer)
    # Ordered: 100 h × 80 + 10 × 450 + 4 × 600; consumed: 6.5 h × 80 + 450 + 600.
    assert summary["ordered_amount"] == Decimal(8000 + 4500 + 2400)
    assert summary["consumed_amount"] == Decimal(520 + 450 + 600)
    assert summary["left_on_contract"] == Decimal(90000 - 14900)
    client.force_login(officer)
    content = client.get(
        reverse("followups:contract-detail", args=[consumed.contract.pk])
    ).content.decode()
    assert "14\u00a0900\u00a0€" in content
