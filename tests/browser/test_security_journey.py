"""Security pages in the browser: the History page after an admin edit, the lockout
message, two-factor enrolment and the access log; the CSP blocks nothing we ship."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from crm.config import settings as production
from tests.browser.conftest import log_in
from tests.factories import OfficerFactory, ProjectFactory, UserFactory

PASSWORD = "correct-horse-battery"
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "")) if os.environ.get("SCREENSHOT_DIR") else None


def shoot(page, name):
    """Screenshots for review when SCREENSHOT_DIR is set (not in CI)."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def watch_csp(page) -> list[str]:
    """Collect the console's Content-Security-Policy complaints."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_officer_opens_the_history_of_a_project_edited_in_the_admin(
    page, transactional_db, assert_accessible
):
    UserFactory(
        username="admin_camille",
        first_name="Camille",
        last_name="Martin",
        is_staff=True,
        is_superuser=True,
        password=PASSWORD,
    )
    project = ProjectFactory(name="Ressourcerie de Créteil", summary="Une ressourcerie.")
    violations = watch_csp(page)
    log_in(page, "admin_camille", PASSWORD)

    page.goto(f"/admin/crm/project/{project.pk}/change/")
    page.get_by_label("Résumé").fill("Réemploi et ateliers de réparation <b>le samedi</b>")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url("**/admin/crm/project/")
    assert not violations, violations

    page.goto(f"/history/crm/project/{project.pk}/")
    expect(page.get_by_role("heading", name="Historique – Ressourcerie de Créteil")).to_be_visible()
    latest = page.locator(".history-entry").first
    assert "Modification" in latest.inner_text() and "Camille Martin" in latest.inner_text()
    row = latest.get_by_role("row", name="Résumé")
    assert "Une ressourcerie." in row.inner_text()
    assert "Réemploi et ateliers de réparation <b>le samedi</b>" in row.inner_text()
    assert_accessible(page)
    shoot(page, "history-desktop")
    assert not violations, violations


def test_history_page_on_a_phone(phone_page, transactional_db, assert_accessible):
    OfficerFactory(username="camille", password=PASSWORD)
    project = ProjectFactory(name="Épicerie solidaire de Sucy-en-Brie")
    project.summary = "Épicerie à prix solidaires, ouverte à tous les habitants du quartier."
    project.save()
    log_in(phone_page, "camille", PASSWORD)
    phone_page.goto(f"/history/crm/project/{project.pk}/")
    assert phone_page.locator(".history-entry").count() == 2
    overflow = phone_page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    assert_accessible(phone_page)
    shoot(phone_page, "history-phone")


def test_a_login_lockout_shows_the_french_message(
    page, transactional_db, settings, assert_accessible
):
    settings.AXES_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = production.AUTHENTICATION_BACKENDS
    settings.AXES_FAILURE_LIMIT = 3
    OfficerFactory(username="camille", password=PASSWORD)
    for _ in range(3):
        page.goto("/accounts/login/")
        page.get_by_label("Nom d’utilisateur").fill("camille")
        page.get_by_label("Mot de passe").fill("pas le bon")
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Connexion bloquée")).to_be_visible()
    assert page.get_by_role("alert").inner_text().startswith("Trop de tentatives")
    assert_accessible(page)
    shoot(page, "lockout-desktop")


@pytest.mark.parametrize("phone", [False, True])
def test_two_factor_enrolment_and_access_log_pages(
    page, phone_page, transactional_db, assert_accessible, phone
):
    screen = phone_page if phone else page
    OfficerFactory(username="camille", password=PASSWORD)
    violations = watch_csp(screen)
    log_in(screen, "camille", PASSWORD)
    if phone:  # on a phone the account links sit behind the menu button
        screen.get_by_role("button", name="Menu").click()
    screen.get_by_role("link", name="Double authentification").click()
    expect(screen.get_by_role("heading", name="Double authentification")).to_be_visible()
    expect(screen.locator(".qr-code svg")).to_be_visible()
    assert_accessible(screen)
    shoot(screen, f"two-factor-{'phone' if phone else 'desktop'}")

    if phone:
        screen.goto("/access-log/")
    else:
        screen.get_by_role("link", name="Journal d'accès").click()
    expect(screen.get_by_role("heading", name="Journal d'accès")).to_be_visible()
    assert "Connexion" in screen.locator("table.data-table tbody").inner_text()
    assert_accessible(screen)
    shoot(screen, f"access-log-{'phone' if phone else 'desktop'}")
    assert not violations, violations


@pytest.mark.parametrize("phone", [False, True])
def test_an_enrolled_officer_logs_in_with_a_code(
    page, phone_page, transactional_db, assert_accessible, phone
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.security.test_two_factor import code

    screen = phone_page if phone else page
    officer = OfficerFactory(username="camille", password=PASSWORD)
    device = TOTPDevice.objects.create(user=officer, name="Téléphone", confirmed=True)
    screen.goto("/accounts/login/")
    screen.get_by_label("Nom d’utilisateur").fill("camille")
    screen.get_by_label("Mot de passe").fill(PASSWORD)
    screen.get_by_role("button", name="Se connecter").click()
    expect(screen.get_by_role("heading", name="Double authentification")).to_be_visible()
    assert_accessible(screen)
    shoot(screen, f"otp-verify-{'phone' if phone else 'desktop'}")
    screen.get_by_label("Code à 6 chiffres de votre application").fill(code(device))
    screen.get_by_role("button", name="Valider").click()
    screen.wait_for_url("**/")
    expect(screen.get_by_role("heading", name="Mon portefeuille")).to_be_visible()
