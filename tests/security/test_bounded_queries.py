"""Out-of-range dates and numbers, NUL bytes and hostile file names: refused with a French
message on the field (or a 400), never a server error (issue 16, findings 3 and 9)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar

from crm.core.spreadsheets import download_filename, set_download_name
from followups.models import Action, CalendarToken, OrderLine, PurchaseOrder, UnitKind, UnitPrice
from tests.factories import ActionFactory, ContractFactory, ProjectFactory

pytestmark = pytest.mark.django_db

DATE_MESSAGE = "Indiquez une date entre le 01/01/1900 et le 31/12/2100."


@pytest.mark.parametrize(
    ("url_name", "param"),
    [
        ("crm:project-list", "entry_from"),
        ("crm:project-list", "received_to"),
        ("followups:meeting-list", "start_to"),
        ("followups:event-list", "start_from"),
        ("security:access-log", "before"),
    ],
)
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_list_refuses_a_far_date_with_a_message_on_its_filter(
    client, officer, url_name, param, day
):
    client.force_login(officer)
    response = client.get(reverse(url_name), {param: day})
    assert response.status_code == 200
    assert DATE_MESSAGE in response.content.decode()


def test_a_list_still_takes_the_edge_dates_of_the_range(client, officer):
    client.force_login(officer)
    ProjectFactory(name="Ressourcerie du bord", entry_date=datetime.date(2020, 5, 1))
    response = client.get(
        reverse("crm:project-list"), {"entry_from": "1900-01-01", "entry_to": "2100-12-31"}
    )
    assert "Ressourcerie du bord" in response.content.decode()
    assert DATE_MESSAGE not in response.content.decode()


@pytest.mark.parametrize("days", [str(10**30), "99999999"])
def test_a_huge_number_of_days_without_a_meeting_is_refused_on_its_field(client, officer, days):
    client.force_login(officer)
    response = client.get(reverse("crm:project-list"), {"no_meeting_days": days})
    assert response.status_code == 200
    assert "inférieure ou égale à" in response.content.decode()


def test_a_huge_call_year_is_refused(client, officer):
    client.force_login(officer)
    response = client.get(reverse("crm:call-list"), {"year": str(10**30)})
    assert response.status_code == 200
    assert "inférieure ou égale à 2100" in response.content.decode()


def test_the_dashboard_refuses_a_custom_period_out_of_range(client, officer):
    client.force_login(officer)
    response = client.get(
        reverse("reports:dashboard"),
        {"period": "custom", "start": "9999-01-01", "end": "9999-12-31"},
    )
    assert response.status_code == 200
    assert DATE_MESSAGE in response.content.decode()
    for download in ("reports:bilan-xlsx", "reports:bilan-pdf"):
        query = {"period": "custom", "start": "0001-01-01", "end": "0001-12-31"}
        assert client.get(reverse(download), query).status_code == 200


def _order(number="BC-1"):
    contract = ContractFactory()
    UnitPrice.objects.create(contract=contract, unit=UnitKind.COACHING_HOUR, price=Decimal(80))
    order = PurchaseOrder.objects.create(
        contract=contract, number=number, issued_on=datetime.date(2026, 1, 1)
    )
    OrderLine.objects.create(order=order, unit=UnitKind.COACHING_HOUR, quantity=10)
    return order


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "99999-01"])
def test_the_statement_refuses_a_month_out_of_range_on_its_field(client, officer, month):
    client.force_login(officer)
    url = reverse("followups:order-statement", args=[_order().pk])
    response = client.get(url, {"month": month})
    assert response.status_code == 200
    body = response.content.decode()
    assert DATE_MESSAGE in body or "Saisissez une date valide" in body
    for export in ("csv", "xlsx"):
        assert client.get(url, {"month": month, "export": export}).status_code == 200


def test_the_calendar_feed_renders_with_an_action_due_on_31_12_9999(client, coach, project):
    action = ActionFactory(project=project, owner=coach, title="Relancer la mairie")
    Action.objects.filter(pk=action.pk).update(due_on=datetime.date(9999, 12, 31))
    token = CalendarToken.objects.create(user=coach).token
    response = client.get(reverse("followups:calendar-feed", args=[token]))
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    far = [e for e in events if "Relancer la mairie" in str(e["summary"])]
    assert far and far[0].decoded("dtstart") == datetime.date(9999, 12, 31)


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "x\x1fy", "\x7f"])
def test_a_control_character_in_the_query_string_is_a_bad_request(client, officer, value):
    client.force_login(officer)
    for url in (reverse("crm:project-list"), reverse("contacts:person-search")):
        response = client.get(url, {"q": value})
        assert response.status_code == 400
        assert "caractère de contrôle" in response.content.decode()


def test_a_nul_byte_in_the_anonymous_calendar_url_is_a_bad_request(client):
    assert client.get("/calendar/abc%00def.ics").status_code == 400


def test_tabs_and_line_breaks_in_a_search_are_still_accepted(client, officer):
    client.force_login(officer)
    assert client.get(reverse("crm:project-list"), {"q": "vélo\tatelier\r\n"}).status_code == 200


def test_a_100_kb_search_is_refused_on_its_field_not_sent_to_the_database(client, officer):
    client.force_login(officer)
    response = client.get(reverse("crm:project-list"), {"q": "x" * 100_000})
    assert response.status_code == 200
    assert "au plus 200 caractères" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("etat-BC\r\n12-2026-01.csv", "etat-BC-12-2026-01.csv"),
        ('etat-"BC"-1.xlsx', "etat--BC--1.xlsx"),
        ("etat-BC/2026\\1.csv", "etat-BC-2026-1.csv"),
        ("état-n°1.csv", "état-n°1.csv"),
        ("\n\n.csv", "export.csv"),
    ],
)
def test_a_download_name_holds_no_line_break_quote_or_separator(name, expected):
    assert download_filename(name) == expected


def test_a_non_ascii_download_name_is_encoded_as_rfc_6266_says():
    from django.http import HttpResponse

    header = set_download_name(HttpResponse(), "état-n°1.csv")["Content-Disposition"]
    assert header == "attachment; filename*=utf-8''%C3%A9tat-n%C2%B01.csv"


@pytest.mark.parametrize("number", ['BC "2026"\n1', "BC\r\n/2026", "Bon n°1 \\ été"])
@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_the_statement_downloads_whatever_its_order_number_holds(client, officer, number, export):
    client.force_login(officer)
    order = _order(number)
    response = client.get(reverse("followups:order-statement", args=[order.pk]), {"export": export})
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename")
    assert "\n" not in disposition and "\r" not in disposition
