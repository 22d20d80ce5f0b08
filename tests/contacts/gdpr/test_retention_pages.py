"""The retention page (what falls due in the next 90 days, extension with a reason) and the
archives pages (lists, downloads, the visa recorded, then the execution)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.gdpr.archives import elimination_propose
from contacts.models import EliminationList, EliminationStatus, Person, RetentionExtension
from crm.models import AccessEvent, AccessEventKind
from tests.contacts.gdpr.test_retention import TODAY, beneficiary, prospect

RETENTION = reverse("contacts:retention")


def test_the_page_lists_who_falls_due_within_90_days_and_not_later(client, officer):
    soon = prospect(3 * 365 - 30, last_name="Bientôt")
    prospect(3 * 365 - 200, last_name="Tardif")
    client.force_login(officer)
    content = client.get(RETENTION).content.decode()
    assert "BIENTÔT" in content
    assert "TARDIF" not in content
    assert reverse("contacts:retention-extend", args=[soon.pk]) in content


def test_the_page_runs_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    for days in range(5):
        prospect(3 * 365 - days)
        beneficiary(3 * 365 - days)
    # Session and user, the count, the page of rows (with their subqueries), the filter.
    with django_assert_max_num_queries(8):
        first = client.get(RETENTION)
    for days in range(10):
        prospect(3 * 365 - days)
    with django_assert_max_num_queries(8):
        second = client.get(RETENTION)
    assert first.status_code == second.status_code == 200


def test_the_page_filters_on_the_rule(client, officer):
    prospect(3 * 365, last_name="Prospecta")
    beneficiary(3 * 365)
    client.force_login(officer)
    content = client.get(RETENTION, {"rule": "beneficiary"}).content.decode()
    assert "PROSPECTA" not in content


def test_an_officer_extends_a_record_with_a_reason(client, officer):
    person = prospect(3 * 365 - 30)
    url = reverse("contacts:retention-extend", args=[person.pk])
    client.force_login(officer)
    response = client.post(url, {"until": TODAY.isoformat(), "reason": ""})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Indiquez le motif" in content or "Ce champ est obligatoire" in content
    assert "postérieure à l&#x27;échéance actuelle" in content
    until = TODAY + datetime.timedelta(days=365)
    response = client.post(url, {"until": until.isoformat(), "reason": "Contentieux prud'homal"})
    assert response.status_code == 302
    extension = RetentionExtension.objects.get(person=person)
    assert (extension.until, extension.by, extension.reason) == (
        until,
        officer,
        "Contentieux prud'homal",
    )
    assert f"{person.last_name.upper()}" not in client.get(RETENTION).content.decode()


@pytest.mark.parametrize("persona", ["coach", "manager"])
def test_only_officers_reach_retention_and_archives(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(RETENTION).status_code == 403
    assert client.get(reverse("contacts:archives")).status_code == 403


def test_an_officer_draws_up_approves_and_runs_a_list(client, officer):
    person = prospect(4 * 365)
    client.force_login(officer)
    client.post(reverse("contacts:archives-propose"))
    elimination = EliminationList.objects.get()
    detail = reverse("contacts:archives-detail", args=[elimination.pk])
    assert "Enregistrer le visa" in client.get(detail).content.decode()
    pdf = client.get(reverse("contacts:archives-pdf", args=[elimination.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT).count() == 1
    # Running it before the visa is refused.
    client.post(reverse("contacts:archives-execute", args=[elimination.pk]), follow=True)
    assert Person.objects.get(pk=person.pk).first_name != "Anonyme"

    approve = reverse("contacts:archives-approve", args=[elimination.pk])
    response = client.post(approve, {"approved_on": TODAY.isoformat(), "reference": ""})
    assert response.status_code == 400
    client.post(
        approve, {"approved_on": TODAY.isoformat(), "reference": "AD-17", "action": "approve"}
    )
    elimination.refresh_from_db()
    assert (elimination.status, elimination.approved_by, elimination.approval_reference) == (
        EliminationStatus.APPROVED,
        officer,
        "AD-17",
    )
    client.post(reverse("contacts:archives-execute", args=[elimination.pk]))
    assert Person.objects.get(pk=person.pk).first_name == "Anonyme"


def test_a_transfer_is_recorded_like_a_visa(client, officer):
    prospect(4 * 365)
    [elimination] = elimination_propose(today=timezone.localdate())
    client.force_login(officer)
    zipped = client.get(reverse("contacts:archives-transfer", args=[elimination.pk]))
    assert zipped["Content-Type"] == "application/zip"
    client.post(
        reverse("contacts:archives-approve", args=[elimination.pk]),
        {"approved_on": TODAY.isoformat(), "reference": "Versement 2026-4", "action": "transfer"},
    )
    elimination.refresh_from_db()
    assert elimination.status == EliminationStatus.TRANSFERRED
