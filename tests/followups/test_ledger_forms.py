"""Officers create and edit contracts, unit prices, purchase orders and cohorts in the app;
French errors for bad input; coaches and managers read only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from contacts.models import OrganisationKind
from followups.models import Cohort, Contract, OrderLine, PurchaseOrder, UnitKind, UnitPrice
from tests.factories import ContractFactory, OrganisationFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return OrganisationFactory(name="Coop Conseil", kind=OrganisationKind.PROVIDER)


@pytest.fixture
def contract(provider):
    contract = ContractFactory(provider=provider, max_amount=20000)
    UnitPrice.objects.create(contract=contract, unit=UnitKind.COACHING_HOUR, price=Decimal(80))
    UnitPrice.objects.create(contract=contract, unit=UnitKind.DIAGNOSTIC, price=Decimal(450))
    return contract


def _contract_post(provider, **overrides):
    data = {
        "reference": "2027-ESS-010",
        "provider": str(provider.pk),
        "start_date": "2027-01-01",
        "end_date": "2027-12-31",
        "max_amount": "30000",
        "price_coaching_hour": "82,50",
        "price_cohort_entrepreneur": "1200",
    }
    data.update(overrides)
    return data


def test_officer_creates_a_contract_with_unit_prices(client, officer, provider):
    client.force_login(officer)
    response = client.post(reverse("followups:contract-create"), _contract_post(provider))
    contract = Contract.objects.get(reference="2027-ESS-010")
    assert response.status_code == 302
    assert response["Location"] == reverse("followups:contract-detail", args=[contract.pk])
    assert dict(contract.prices.values_list("unit", "price")) == {
        UnitKind.COACHING_HOUR: Decimal("82.50"),
        UnitKind.COHORT_ENTREPRENEUR: Decimal(1200),
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "2026-12-31"}, "La fin du marché doit être après son début."),
        ({"max_amount": "0"}, "Le montant maximum doit être positif."),
        ({"max_amount": "-5"}, "Le montant maximum doit être positif."),
        ({"price_coaching_hour": "-3"}, "Le prix doit être positif."),
        (
            {"price_coaching_hour": "", "price_cohort_entrepreneur": ""},
            "Indiquez le prix d&#x27;au moins une unité d&#x27;œuvre.",
        ),
    ],
)
def test_bad_contract_input_is_refused_in_french(client, officer, provider, overrides, message):
    client.force_login(officer)
    response = client.post(
        reverse("followups:contract-create"), _contract_post(provider, **overrides)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="2027-ESS-010"' in body  # nothing valid is lost
    assert not Contract.objects.filter(reference="2027-ESS-010").exists()


def test_contract_maximum_cannot_drop_below_what_is_ordered(client, officer, contract):
    order = PurchaseOrder.objects.create(
        contract=contract, number="BC-1", issued_on=datetime.date(2026, 3, 1)
    )
    OrderLine.objects.create(order=order, unit=UnitKind.COACHING_HOUR, quantity=100)  # 8 000
    client.force_login(officer)
    url = reverse("followups:contract-edit", args=[contract.pk])
    data = _contract_post(
        contract.provider,
        reference=contract.reference,
        start_date="2026-01-01",
        end_date="2028-12-31",
        max_amount="5000",
        price_coaching_hour="80",
        price_cohort_entrepreneur="",
        version=str(contract.version),
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "plus que le montant maximum" in response.content.decode()
    # A unit ordered on a purchase order keeps its price.
    response = client.post(
        url,
        {**data, "max_amount": "20000", "price_coaching_hour": "", "price_diagnostic": "450"},
    )
    assert "gardent un prix" in response.content.decode()
    contract.refresh_from_db()
    assert contract.max_amount == 20000
    response = client.post(url, {**data, "max_amount": "25000"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.max_amount == 25000
    assert not contract.prices.filter(unit=UnitKind.DIAGNOSTIC).exists()


def test_officer_creates_and_edits_a_purchase_order(client, officer, contract):
    client.force_login(officer)
    url = reverse("followups:order-create", args=[contract.pk])
    page = client.get(url).content.decode()
    assert "Quantité : Heure d&#x27;accompagnement individuel" in page
    response = client.post(
        url,
        {
            "number": "BC-2026-01",
            "issued_on": "2026-02-01",
            "quantity_coaching_hour": "100",
            "quantity_diagnostic": "8",
        },
    )
    assert response.status_code == 302
    order = PurchaseOrder.objects.get(number="BC-2026-01")
    assert dict(order.lines.values_list("unit", "quantity")) == {
        UnitKind.COACHING_HOUR: 100,
        UnitKind.DIAGNOSTIC: 8,
    }
    edit = reverse("followups:order-edit", args=[order.pk])
    response = client.post(
        edit,
        {
            "number": "BC-2026-01",
            "issued_on": "2026-02-01",
            "quantity_coaching_hour": "120",
            "version": order.version,
        },
    )
    assert response.status_code == 302
    assert dict(order.lines.values_list("unit", "quantity")) == {UnitKind.COACHING_HOUR: 120}


def test_orders_total_cannot_exceed_the_contract_maximum(client, officer, contract):
    client.force_login(officer)
    url = reverse("followups:order-create", args=[contract.pk])
    base = {"number": "BC-A", "issued_on": "2026-02-01"}
    assert client.post(url, {**base, "quantity_coaching_hour": "200"}).status_code == 302  # 16 000
    response = client.post(url, {**base, "number": "BC-B", "quantity_diagnostic": "10"})  # +4 500
    assert response.status_code == 200
    body = response.content.decode()
    assert "atteindraient 20\u00a0500\u00a0€" in body and "maximum (20\u00a0000\u00a0€)" in body
    assert not PurchaseOrder.objects.filter(number="BC-B").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"issued_on": "2025-06-01", "quantity_coaching_hour": "1"}, "dans les dates du marché"),
        ({"quantity_coaching_hour": "0"}, "La quantité doit être positive."),
        ({}, "Commandez au moins une unité d&#x27;œuvre."),
    ],
)
def test_bad_order_input_is_refused_in_french(client, officer, contract, data, message):
    client.force_login(officer)
    url = reverse("followups:order-create", args=[contract.pk])
    response = client.post(url, {"number": "BC-X", "issued_on": "2026-02-01", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PurchaseOrder.objects.filter(number="BC-X").exists()


def test_order_quantity_cannot_drop_below_what_is_consumed(client, officer, contract, project):
    from followups import services

    order = PurchaseOrder.objects.create(
        contract=contract, number="BC-C", issued_on=datetime.date(2026, 2, 1)
    )
    OrderLine.objects.create(order=order, unit=UnitKind.COACHING_HOUR, quantity=10)
    services.meeting_log(
        project=project,
        by=officer,
        details=services.MeetingDetails(
            start=datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC),
            duration_minutes=300,
            order=order,
        ),
    )
    client.force_login(officer)
    response = client.post(
        reverse("followups:order-edit", args=[order.pk]),
        {
            "number": "BC-C",
            "issued_on": "2026-02-01",
            "quantity_coaching_hour": "4",
            "version": order.version,
        },
    )
    assert response.status_code == 200
    assert "5 déjà consommé(s)" in response.content.decode()


def test_officer_creates_a_cohort_with_projects(client, officer, project):
    other = ProjectFactory(name="Recyclerie")
    client.force_login(officer)
    response = client.post(
        reverse("followups:cohort-create"),
        {
            "name": "Promotion printemps",
            "start_date": "2026-03-01",
            "end_date": "2026-06-30",
            "hours_allocated": "24,5",
            "projects": [project.pk, other.pk],
        },
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Promotion printemps")
    assert cohort.hours_allocated == Decimal("24.5")
    assert set(cohort.projects.all()) == {project, other}


def test_bad_cohort_input_is_refused_in_french(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("followups:cohort-create"),
        {
            "name": "Promotion à l'envers",
            "start_date": "2026-06-01",
            "end_date": "2026-03-01",
            "hours_allocated": "-2",
        },
    )
    body = response.content.decode()
    assert "La fin de la promotion doit être après son début." in body
    assert "Les heures allouées ne peuvent pas être négatives." in body
    assert not Cohort.objects.exists()


@pytest.mark.parametrize("who", ["coach", "manager"])
def test_coaches_and_managers_read_but_do_not_get_the_forms(
    client, request, who, contract, project
):
    user = request.getfixturevalue(who)
    user.organisation = contract.provider
    user.save()
    cohort = Cohort.objects.create(
        name="P", start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 30)
    )
    cohort.projects.add(project)
    client.force_login(user)
    detail = client.get(reverse("followups:contract-detail", args=[contract.pk])).content.decode()
    assert reverse("followups:contract-edit", args=[contract.pk]) not in detail
    assert reverse("followups:order-create", args=[contract.pk]) not in detail
    for name, args in [
        ("followups:contract-create", []),
        ("followups:contract-edit", [contract.pk]),
        ("followups:order-create", [contract.pk]),
        ("followups:cohort-create", []),
        ("followups:cohort-edit", [cohort.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403
        assert client.post(reverse(name, args=args), {"name": "x"}).status_code == 403
    cohort.refresh_from_db()
    assert cohort.name == "P"


def test_contract_list_offers_the_new_contract_button_to_officers_only(client, officer, coach):
    client.force_login(officer)
    new = reverse("followups:contract-create")
    assert new in client.get(reverse("followups:contract-list")).content.decode()
    client.force_login(coach)
    assert new not in client.get(reverse("followups:contract-list")).content.decode()
