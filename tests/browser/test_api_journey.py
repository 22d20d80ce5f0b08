"""The API in the browser: a coach makes a token on the account page (its key shown once),
then reads the API documentation, which Swagger UI renders from our static files under the
Content Security Policy."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_security_journey import shoot, watch_csp
from tests.factories import CoachFactory, ProjectFactory

PASSWORD = "correct-horse-battery"


@pytest.mark.slow
def test_a_coach_makes_a_token_then_reads_the_api_docs(page, transactional_db, assert_accessible):
    coach = CoachFactory(username="coach_julien", first_name="Julien", password=PASSWORD)
    ProjectFactory(name="Atelier vélo", coach=coach)
    violations = watch_csp(page)
    log_in(page, "coach_julien", PASSWORD)

    page.get_by_role("link", name="Jetons d'API").click()
    expect(page.get_by_role("heading", name="Jetons d'API", level=1)).to_be_visible()
    page.get_by_label("Nom du jeton (l'outil qui l'utilise)").fill("Reporting prestataire")
    page.get_by_role("button", name="Créer le jeton").click()
    key = page.locator(".api-key")
    expect(key).to_be_visible()
    expect(page.get_by_role("button", name="Révoquer « Reporting prestataire »")).to_be_visible()
    shoot(page, "api-tokens")
    assert_accessible(page)

    page.get_by_role("link", name="Documentation de l'API").click()
    expect(page.get_by_role("heading", name="Documentation de l'API", level=1)).to_be_visible()
    # Swagger UI has fetched the schema and listed the operations.
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/projects/").first
    ).to_be_visible()
    shoot(page, "api-docs")
    assert not violations, violations
    assert_accessible(page)
