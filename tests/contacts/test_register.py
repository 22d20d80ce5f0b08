"""The register of processing activities (/rgpd/): officers and managers, as a page and a
PDF, with the retention periods read from the settings and the DPO's contact."""

import pytest
from django.urls import reverse
from pypdf import PdfReader

from crm.models import AccessEvent, AccessEventKind
from tests.security.helpers import assert_no_inline_code

pytestmark = pytest.mark.django_db

URL = reverse("gdpr:register")
PDF = reverse("gdpr:register-pdf")


@pytest.mark.parametrize("persona", ["officer", "manager"])
def test_officers_and_managers_read_the_register(client, request, persona, settings):
    settings.DPO_CONTACT = "dpo@gpsea.fr"
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for activity in (
        "Accompagnement des porteur·ses de projet",
        "Appels à projets",
        "Ateliers et temps d&#x27;information",
        "Lettre d&#x27;information",
    ):
        assert activity in page
    assert "article 6, paragraphe 1, point e" in page
    assert "Consentement de la personne" in page
    assert "accompagnateur·rices du prestataire" in page
    assert "dpo@gpsea.fr" in page
    assert_no_inline_code(response)


def test_the_register_states_the_durations_of_the_settings(client, officer, settings):
    settings.RETENTION_PROSPECT_YEARS = 2
    settings.ACCESS_LOG_RETENTION_DAYS = 180
    client.force_login(officer)
    page = client.get(URL).content.decode()
    assert "2 ans après le dernier contact" in page
    assert "180 jours pour chaque ligne du journal d&#x27;accès" in page


@pytest.mark.parametrize("persona", ["coach", "no_role_user"])
def test_the_provider_and_users_without_a_role_cannot(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(PDF).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL)["Location"].startswith(reverse("login"))


@pytest.mark.slow
def test_the_register_downloads_as_a_pdf_and_is_logged(client, manager, tmp_path):
    client.force_login(manager)
    response = client.get(PDF)
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "registre.pdf"
    path.write_bytes(response.content)
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Registre des traitements" in text and "Lettre d" in text
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT, user=manager).exists()
