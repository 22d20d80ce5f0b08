"""Optional TOTP two-factor authentication for officers and administrators."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm.models import AccessEvent, AccessEventKind

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def code(device, steps_ahead=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrol(client, user) -> TOTPDevice:
    client.force_login(user)
    page = client.get(reverse("security:two-factor"))
    assert "<svg" in page.content.decode()  # the QR code
    assert not TOTPDevice.objects.filter(user=user).exists()  # a GET writes nothing
    offered = TOTPDevice(key=client.session["crm_otp_enrol_key"])
    response = client.post(reverse("security:two-factor"), {"token": code(offered)})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    return device


def test_an_officer_enrols_with_a_code_from_the_qr_code(client, officer):
    enrol(client, officer)
    page = client.get(reverse("security:two-factor"))
    assert "La double authentification est activée" in page.content.decode()


def test_a_wrong_code_does_not_confirm_the_device(client, officer):
    client.force_login(officer)
    client.get(reverse("security:two-factor"))
    response = client.post(reverse("security:two-factor"), {"token": "000000"})
    assert "Ce code n&#x27;est pas valide" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    letters = client.post(reverse("security:two-factor"), {"token": "abcdef"})
    assert "Le code ne contient que des chiffres" in letters.content.decode()


def test_coaches_and_managers_have_no_enrolment_page(client, coach, manager):
    for user in (coach, manager):
        client.force_login(user)
        assert client.get(reverse("security:two-factor")).status_code == 403


def test_login_asks_for_the_code_once_a_device_is_confirmed(officer):
    device = enrol(Client(), officer)
    client = Client()
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert response["Location"].startswith(reverse("security:otp-verify"))
    # Not signed in yet: the password alone opens nothing.
    assert client.get(reverse("crm:home")).status_code == 302
    refused = client.post(response["Location"], {"token": "000000"})
    assert "Ce code n&#x27;est pas valide" in refused.content.decode()
    assert AccessEvent.objects.filter(kind=AccessEventKind.LOGIN_FAILED).exists()
    device.refresh_from_db()
    device.throttle_reset()  # as if the throttling delay (1 s after a failure) had passed
    accepted = client.post(response["Location"], {"token": code(device, steps_ahead=1)})
    assert accepted["Location"] == reverse("crm:home")
    assert client.get(reverse("crm:home")).status_code == 200


def test_a_user_without_a_device_logs_in_with_the_password_alone(client, officer):
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert response["Location"] == reverse("crm:home")


def test_the_admin_requires_the_second_factor_of_a_staff_member_with_a_device(admin_user):
    enrolled = Client()
    device = enrol(enrolled, admin_user)
    # The session that enrolled is verified.
    assert enrolled.get(reverse("admin:index")).status_code == 200
    # A session opened some other way (not through the code) is refused.
    other = Client()
    other.force_login(admin_user)
    response = other.get(reverse("admin:index"))
    assert response.status_code == 302
    assert device.confirmed


def test_the_setting_can_require_officers_to_enrol(client, officer, settings):
    settings.OTP_REQUIRED_FOR_OFFICERS = True
    client.force_login(officer)
    response = client.get(reverse("crm:project-list"))
    assert response["Location"] == reverse("security:two-factor")
    assert client.get(reverse("security:two-factor")).status_code == 200


def test_the_setting_leaves_coaches_alone(client, coach, settings):
    settings.OTP_REQUIRED_FOR_OFFICERS = True
    client.force_login(coach)
    assert client.get(reverse("crm:project-list")).status_code == 200


def test_disabling_needs_a_current_code(client, officer):
    device = enrol(client, officer)
    client.post(reverse("security:two-factor"), {"token": "000000"})
    assert TOTPDevice.objects.filter(user=officer).exists()
    device.refresh_from_db()
    device.throttle_reset()
    client.post(reverse("security:two-factor"), {"token": code(device, steps_ahead=1)})
    assert not TOTPDevice.objects.filter(user=officer).exists()
