"""Login throttling and the access log see the real client, directly exposed and behind
proxies (the `network` fixture runs each test three ways, see tests/network.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from crm.models import AccessEvent, AccessEventKind

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
ATTACKER = "203.0.113.9"
COLLEAGUE = "198.51.100.20"


def attempt(network, username, password, client_ip, *, forged=None):
    return Client().post(
        reverse("login"),
        {"username": username, "password": password},
        **network.meta(client_ip, forged=forged),
    )


def test_forging_the_header_does_not_escape_the_lockout(axes_enabled, officer, network):
    axes_enabled.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        attempt(network, officer.username, "wrong", ATTACKER, forged=f"192.0.2.{n}")
    # A new forged address, the right password: still the attacker's address, still locked.
    locked = attempt(network, officer.username, PASSWORD, ATTACKER, forged="192.0.2.99")
    assert locked.status_code == 429
    assert "Connexion bloquée" in locked.content.decode()


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(
    axes_enabled, officer, network
):
    axes_enabled.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        attempt(network, officer.username, "wrong", ATTACKER)
    assert attempt(network, officer.username, PASSWORD, ATTACKER).status_code == 429
    # The officer at the office, even claiming the attacker's address in the header.
    response = attempt(network, officer.username, PASSWORD, COLLEAGUE, forged=ATTACKER)
    assert response.status_code == 302 and response["Location"] == reverse("crm:home")


def test_the_access_log_records_the_real_address(axes_enabled, officer, network):
    axes_enabled.AXES_FAILURE_LIMIT = 2
    attempt(network, officer.username, PASSWORD, COLLEAGUE, forged="192.0.2.1")
    for _ in range(2):
        attempt(network, officer.username, "wrong", ATTACKER, forged="192.0.2.2")
    login = AccessEvent.objects.get(kind=AccessEventKind.LOGIN)
    assert login.ip_address == COLLEAGUE
    failures = AccessEvent.objects.filter(kind=AccessEventKind.LOGIN_FAILED)
    assert [event.ip_address for event in failures] == [ATTACKER, ATTACKER]
    lockout = AccessEvent.objects.get(kind=AccessEventKind.LOCKOUT)
    assert lockout.ip_address == ATTACKER and ATTACKER in lockout.detail
