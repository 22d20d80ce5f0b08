"""The flat price per cohort entrepreneur on the ledger, and collective hours of a cohort."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from followups import selectors, services
from followups.models import (
    Cohort,
    Consumption,
    OrderLine,
    PurchaseOrder,
    ServiceCertification,
    TimeKind,
    UnitKind,
    UnitPrice,
)
from tests.factories import ContractFactory, EventFactory, MeetingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(coach):
    contract = ContractFactory(start_date=datetime.date(2025, 1, 1))
    coach.organisation = contract.provider
    coach.save()
    UnitPrice.objects.create(contract=contract, unit=UnitKind.COACHING_HOUR, price=Decimal(80))
    UnitPrice.objects.create(
        contract=contract, unit=UnitKind.COHORT_ENTREPRENEUR, price=Decimal(1200)
    )
    order = PurchaseOrder.objects.create(
        contract=contract, number="BC-PROMO", issued_on=datetime.date(2026, 1, 5)
    )
    OrderLine.objects.create(order=order, unit=UnitKind.COACHING_HOUR, quantity=50)
    OrderLine.objects.create(order=order, unit=UnitKind.COHORT_ENTREPRENEUR, quantity=10)
    return order


@pytest.fixture
def cohort(order):
    today = timezone.localdate()
    return Cohort.objects.create(
        name="Promotion test",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=150),
        order=order,
    )


def _flat_units(order):
    return Consumption.objects.filter(order=order, unit=UnitKind.COHORT_ENTREPRENEUR)


def test_each_project_joining_consumes_one_flat_unit_once(officer, project, cohort, order):
    other = ProjectFactory(name="Épicerie solidaire")
    services.cohort_save(cohort=cohort, projects=[project, other], by=officer)
    assert _flat_units(order).count() == 2
    assert {c.project for c in _flat_units(order)} == {project, other}
    # Saving again, or adding a project already there, counts nothing twice.
    services.cohort_save(cohort=cohort, projects=[project, other], by=officer)
    services.cohort_project_add(cohort=cohort, project=project, by=officer)
    assert _flat_units(order).count() == 2


def test_statement_and_contract_totals_include_the_flat_unit(officer, project, cohort, order):
    other = ProjectFactory(name="Épicerie solidaire")
    services.cohort_save(cohort=cohort, projects=[project, other], by=officer)
    month = timezone.localdate().replace(day=1)
    statement = selectors.order_statement(order, month, user=officer)
    line = next(li for li in statement["lines"] if li["unit"] == UnitKind.COHORT_ENTREPRENEUR)
    assert line["month_quantity"] == 2 and line["month_amount"] == Decimal("2400.00")
    assert line["remaining"] == 8 and line["remaining_amount"] == Decimal("9600.00")
    assert statement["month_amount"] == Decimal("2400.00")
    # Ordered: 50 h × 80 + 10 × 1200 = 16 000; remaining: 4 000 + 9 600.
    assert statement["ordered_amount"] == Decimal("16000.00")
    assert statement["remaining_amount"] == Decimal("13600.00")
    assert len(statement["details"]) == 2
    summary = selectors.contract_summary(order.contract, user=officer)
    assert summary["consumed_amount"] == Decimal("2400.00")


def test_leaving_before_certification_gives_the_unit_back(officer, project, cohort, order):
    services.cohort_save(cohort=cohort, projects=[project], by=officer)
    result = services.cohort_project_remove(cohort=cohort, project=project, by=officer)
    assert result["removed"] == 1 and not _flat_units(order).exists()


def test_leaving_after_certification_keeps_the_certified_unit(officer, project, cohort, order):
    services.cohort_save(cohort=cohort, projects=[project], by=officer)
    unit = _flat_units(order).get()
    ServiceCertification.objects.create(
        order=order, month=unit.on.replace(day=1), amount=Decimal(1200), certified_by=officer
    )
    result = services.cohort_project_remove(cohort=cohort, project=project, by=officer)
    assert result["kept"] == 1 and _flat_units(order).count() == 1
    # Rejoining does not add a second unit.
    services.cohort_project_add(cohort=cohort, project=project, by=officer)
    assert _flat_units(order).count() == 1


def test_a_cohort_without_order_consumes_nothing(officer, project, order):
    cohort = Cohort.objects.create(
        name="Sans bon", start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 30)
    )
    services.cohort_save(cohort=cohort, projects=[project], by=officer)
    assert not _flat_units(order).exists()


def test_the_order_must_price_the_flat_unit(officer, project, order):
    UnitPrice.objects.filter(unit=UnitKind.COHORT_ENTREPRENEUR).delete()
    cohort = Cohort(
        name="Promo", start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 30)
    )
    cohort.order = order
    with pytest.raises(ValidationError) as error:
        services.cohort_save(cohort=cohort, projects=[project], by=officer)
    assert "entrepreneur·e en promotion" in str(error.value)


def test_only_officers_change_cohorts(coach, manager, project, cohort):
    for user in (coach, manager):
        with pytest.raises(PermissionDenied):
            services.cohort_project_add(cohort=cohort, project=project, by=user)


def test_coach_sees_only_their_projects_flat_units(officer, coach, project, cohort, order):
    other = ProjectFactory(name="Projet d'un collègue")
    services.cohort_save(cohort=cohort, projects=[project, other], by=officer)
    month = timezone.localdate().replace(day=1)
    statement = selectors.order_statement(order, month, user=coach)
    assert [d.project for d in statement["details"]] == [project]


# Collective hours


def test_cohort_hours_count_collective_meetings_and_events(officer, project, cohort):
    cohort.projects.add(project)
    cohort.hours_allocated = Decimal(10)
    cohort.save()
    start = timezone.now()
    MeetingFactory(
        project=project, duration_minutes=90, time_kind=TimeKind.COLLECTIVE, cohort=cohort
    )
    MeetingFactory(project=project, duration_minutes=600)  # individual: not the cohort's
    EventFactory(cohort=cohort, start=start, end=start + datetime.timedelta(hours=3))
    EventFactory(start=start, end=start + datetime.timedelta(hours=7))  # another cohort's
    hours = selectors.cohort_hours(cohort)
    assert hours["used"] == Decimal("4.50") and hours["allocated"] == Decimal(10)
    assert hours["level"] == "ok"


def test_cohort_hours_run_a_fixed_number_of_queries(
    officer, project, cohort, django_assert_num_queries
):
    cohort.projects.add(project)
    start = timezone.now()
    for n in range(5):
        MeetingFactory(project=project, time_kind=TimeKind.COLLECTIVE, cohort=cohort)
        EventFactory(cohort=cohort, start=start, end=start + datetime.timedelta(hours=n + 1))
    with django_assert_num_queries(2):
        selectors.cohort_hours(cohort)


def test_logging_collective_time_warns_before_the_allocation_runs_out(coach, project, cohort):
    cohort.projects.add(project)
    cohort.hours_allocated = Decimal(5)
    cohort.save()
    start = timezone.now() - datetime.timedelta(days=1)

    def log(minutes):
        return services.meeting_log(
            project=project,
            by=coach,
            details=services.MeetingDetails(
                start=start,
                duration_minutes=minutes,
                format="workshop",
                time_kind=TimeKind.COLLECTIVE,
                cohort=cohort,
            ),
        )

    assert log(120).warning == ""  # 2 h of 5
    warning = log(120).warning  # 4 h of 5: 80 % reached
    assert "4 h de temps collectif utilisées sur 5 h" in warning and "presque épuisée" in warning
    warning = log(120).warning  # 6 h of 5
    assert "6 h de temps collectif utilisées pour 5 h" in warning and "dépassée" in warning
    assert selectors.cohort_hours(cohort)["level"] == "over"


def test_cohort_page_shows_used_and_allocated_hours(client, officer, project, cohort):
    cohort.projects.add(project)
    cohort.hours_allocated = Decimal(4)
    cohort.save()
    MeetingFactory(
        project=project, duration_minutes=210, time_kind=TimeKind.COLLECTIVE, cohort=cohort
    )
    client.force_login(officer)
    page = client.get(reverse("followups:cohort-detail", args=[cohort.pk])).content.decode()
    assert "3,5\u00a0h utilisées sur 4\u00a0h allouées" in page
    assert "presque épuisée" in page


@pytest.mark.parametrize("size", [2, 12])
def test_cohort_page_runs_a_fixed_number_of_queries(
    client, officer, cohort, size, django_assert_max_num_queries
):
    start = timezone.now()
    for n in range(size):
        project = ProjectFactory(name=f"Projet {n}")
        cohort.projects.add(project)
        MeetingFactory(project=project, time_kind=TimeKind.COLLECTIVE, cohort=cohort)
        EventFactory(cohort=cohort, start=start, end=start + datetime.timedelta(hours=2))
    client.force_login(officer)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("followups:cohort-detail", args=[cohort.pk]))
    assert response.status_code == 200
