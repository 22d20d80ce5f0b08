"""Every follow-up page: anonymous → login, no role → nothing, and fixed query counts."""

import datetime

import pytest
from django.urls import reverse

from followups.models import Cohort, PurchaseOrder
from tests.factories import ContractFactory, EventFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(project, coach):
    contract = ContractFactory()
    order = PurchaseOrder.objects.create(
        contract=contract, number="BC-9", issued_on=datetime.date(2026, 2, 1)
    )
    cohort = Cohort.objects.create(
        name="Promotion test",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 6, 1),
    )
    cohort.projects.add(project)
    return {
        "meeting": MeetingFactory(project=project, led_by=coach),
        "event": EventFactory(cohort=cohort),
        "cohort": cohort,
        "contract": contract,
        "order": order,
    }


def _pages(objects):
    return [
        reverse("followups:my-work"),
        reverse("followups:meeting-list"),
        reverse("followups:meeting-detail", args=[objects["meeting"].pk]),
        reverse("followups:event-list"),
        reverse("followups:event-detail", args=[objects["event"].pk]),
        reverse("followups:event-sheet", args=[objects["event"].pk]),
        reverse("followups:cohort-list"),
        reverse("followups:cohort-detail", args=[objects["cohort"].pk]),
        reverse("followups:contract-list"),
        reverse("followups:contract-detail", args=[objects["contract"].pk]),
        reverse("followups:order-statement", args=[objects["order"].pk]),
    ]


def test_anonymous_visitors_are_sent_to_login_everywhere(client, objects):
    for url in _pages(objects):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_user_without_a_role_reaches_no_record(client, no_role_user, objects):
    client.force_login(no_role_user)
    pages = _pages(objects)
    lists = {pages[i] for i in (0, 1, 3, 6, 8)}
    for url in pages:
        response = client.get(url)
        if url in lists:
            content = response.content.decode()
            assert response.status_code == 200, url
            assert objects["event"].title not in content and "Promotion test" not in content
            assert objects["contract"].reference not in content
        else:
            assert response.status_code == 404, url


def test_officer_and_manager_open_every_page(client, officer, manager, objects):
    for user in (officer, manager):
        client.force_login(user)
        for url in _pages(objects):
            assert client.get(url).status_code == 200, (user, url)


def test_coach_of_another_provider_sees_no_contract(client, coach, objects):
    client.force_login(coach)
    assert (
        objects["contract"].reference
        not in client.get(reverse("followups:contract-list")).content.decode()
    )


@pytest.mark.parametrize("name", ["cohort-list", "contract-list"])
def test_small_lists_run_a_fixed_number_of_queries(
    client, officer, name, django_assert_max_num_queries
):
    client.force_login(officer)
    ContractFactory.create_batch(2)
    for n in range(2):
        Cohort.objects.create(
            name=f"P{n}", start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 1)
        )
    with django_assert_max_num_queries(20) as small:
        client.get(reverse(f"followups:{name}"))
    ContractFactory.create_batch(20)
    for n in range(20):
        Cohort.objects.create(
            name=f"Q{n}", start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 1)
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse(f"followups:{name}"))


def test_officer_edits_a_meeting_and_the_hours_follow(client, officer, objects):
    meeting = objects["meeting"]
    client.force_login(officer)
    url = reverse("followups:meeting-edit", args=[meeting.pk])
    form = client.get(url).content.decode()
    assert "Point sur le plan de financement." in form
    response = client.post(
        url,
        {
            "start": "2026-10-05T14:00",
            "duration_minutes": "30",
            "format": "individual",
            "mode": "phone",
            "time_kind": "individual",
            "summary": "Compte rendu corrigé.",
            "note_visibility": "internal",
            "version": meeting.version,
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.duration_minutes == 30 and meeting.summary == "Compte rendu corrigé."
