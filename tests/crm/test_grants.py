"""Grants as money: convention, instalments, remaining to pay, the payment schedule."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from crm.intake.selectors import call_envelope
from crm.intake.services.calls import call_application_decide
from crm.intake.services.grants import (
    grant_instalment_add,
    grant_instalment_pay,
    remaining_to_pay,
)
from tests.factories import CallApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def _winner(officer, amount=4000, **kwargs):
    application = CallApplicationFactory(**kwargs)
    call_application_decide(
        application=application, by=officer, decision="winner", amount_awarded=amount
    )
    application.refresh_from_db()
    return application


def test_officer_schedules_then_pays_an_instalment_and_the_envelope_counts_it(client, officer):
    application = _winner(officer)
    client.force_login(officer)
    create = reverse("crm:grant-instalment-create", args=[application.pk])
    response = client.post(create, {"amount": "1500", "due_on": "2026-09-15"})
    assert response.status_code == 302
    instalment = application.instalments.get()
    assert remaining_to_pay(application) == Decimal("4000")
    pay = reverse("crm:grant-instalment-pay", args=[instalment.pk])
    client.post(
        pay,
        {
            f"pay{instalment.pk}-paid_on": "2026-09-20",
            f"pay{instalment.pk}-payment_reference": "MDT-42",
        },
    )
    instalment.refresh_from_db()
    assert (instalment.paid_on, instalment.payment_reference) == (
        datetime.date(2026, 9, 20),
        "MDT-42",
    )
    assert remaining_to_pay(application) == Decimal("2500")
    figures = call_envelope(application.call)
    assert (figures["awarded"], figures["paid"], figures["to_pay"]) == (4000, 1500, 2500)
    page = client.get(reverse("crm:call-application-detail", args=[application.pk]))
    body = page.content.decode()
    assert "MDT-42" in body and "Reste à verser" in body


def test_instalments_never_exceed_the_award_and_only_winners_get_them(officer):
    application = _winner(officer, amount=3000)
    grant_instalment_add(
        application=application, by=officer, amount=2000, due_on=datetime.date(2026, 9, 1)
    )
    with pytest.raises(ValidationError, match="dépasseraient"):
        grant_instalment_add(
            application=application, by=officer, amount=1500, due_on=datetime.date(2026, 12, 1)
        )
    pending = CallApplicationFactory(call=CallFactory(year=2025))
    with pytest.raises(ValidationError, match="lauréat"):
        grant_instalment_add(
            application=pending, by=officer, amount=100, due_on=datetime.date(2026, 9, 1)
        )


def test_an_instalment_is_paid_once(officer):
    application = _winner(officer)
    instalment = grant_instalment_add(
        application=application, by=officer, amount=1000, due_on=datetime.date(2026, 9, 1)
    )
    grant_instalment_pay(instalment=instalment, by=officer, paid_on=datetime.date(2026, 9, 2))
    with pytest.raises(ValidationError, match="déjà enregistré comme payé le 02/09/2026"):
        grant_instalment_pay(instalment=instalment, by=officer, paid_on=datetime.date(2026, 9, 3))


def test_convention_is_recorded_on_the_application(client, officer):
    application = _winner(officer)
    client.force_login(officer)
    url = reverse("crm:call-application-convention", args=[application.pk])
    client.post(
        url,
        {
            "convention_number": "CONV-2026-07",
            "convention_signed_on": "2026-07-01",
            "version": application.version,
        },
    )
    application.refresh_from_db()
    assert application.convention_number == "CONV-2026-07"
    assert application.convention_signed_on == datetime.date(2026, 7, 1)


def _schedule(officer, count):
    for n in range(count):
        application = _winner(officer, amount=1000, call=CallFactory(year=2010 + n))
        grant_instalment_add(
            application=application,
            by=officer,
            amount=400,
            due_on=datetime.date(2026, 1 + n % 12, 5),
            paid_on=datetime.date(2026, 1 + n % 12, 6) if n % 2 else None,
        )


@pytest.mark.parametrize("count", [2, 8])
def test_the_schedule_groups_by_month_in_a_fixed_number_of_queries(
    client, manager, officer, count, django_assert_max_num_queries
):
    _schedule(officer, count)
    client.force_login(manager)
    # session, user, roles and what the layout reads (6), then the instalments with their
    # applications, projects and calls in one query.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("crm:payment-schedule"), {"year": "2026"})
    body = response.content.decode()
    assert response.status_code == 200 and "Janvier 2026" in body
    assert body.count("à verser") >= count // 2


def test_the_schedule_exports_as_csv_and_xlsx_for_finance(client, officer):
    _schedule(officer, 2)
    client.force_login(officer)
    url = reverse("crm:payment-schedule")
    csv_body = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    lines = csv_body.strip().splitlines()
    assert lines[0].startswith("Mois;Projet;Appel;Convention;Montant")
    assert lines[1].startswith("01/2026;") and len(lines) == 3
    response = client.get(url, {"format": "xlsx", "year": "2026"})
    assert "echeancier-subventions-2026.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "Mois" and rows[2][4] == 400


def test_a_coach_cannot_see_the_schedule(client, coach):
    client.force_login(coach)
    assert client.get(reverse("crm:payment-schedule")).status_code == 403
