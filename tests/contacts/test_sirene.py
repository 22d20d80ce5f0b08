"""Company data from SIRENE, against a local fake of the API (never the network)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from contacts import sirene
from contacts.models import Organisation
from tests.contacts.sirene_server import FakeSirene
from tests.factories import OrganisationFactory, commune


@pytest.fixture
def fake_sirene(settings):
    with FakeSirene() as fake:
        settings.SIRENE_API_URL = fake.url
        settings.SIRENE_TIMEOUT_SECONDS = 1
        yield fake


@pytest.mark.django_db
def test_a_siret_reads_the_establishment_and_its_company(fake_sirene):
    found = sirene.lookup("732 829 320 00074")
    assert found["name"] == "LA RECYCLERIE DU MONT"
    assert found["legal_form"] == "association" and found["legal_category"] == "9220"
    assert found["naf_code"] == "3832Z"
    assert found["address"] == "12 RUE DU MONT MESLY" and found["postal_code"] == "94000"
    assert found["commune"] == commune("Créteil")
    assert found["founded_on"] == datetime.date(2015, 3, 2)
    assert found["is_active"] is True and found["headcount_band"] == "10 à 19 salariés"
    closed = sirene.lookup("73282932000082")
    assert closed["is_active"] is False and closed["closed_on"] == datetime.date(2024, 6, 30)


@pytest.mark.django_db
def test_officer_sees_the_differences_then_saves_the_fields_ticked(client, officer, fake_sirene):
    organisation = OrganisationFactory(name="Recyclerie du Mont", siret="73282932000074")
    client.force_login(officer)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Compléter depuis SIRENE" in page
    url = reverse("contacts:organisation-sirene", args=[organisation.pk])
    page = client.get(url).content.decode()
    assert "LA RECYCLERIE DU MONT" in page, page[page.find("<main") :][:3000]
    assert "02/03/2015" in page
    # Nothing is written by looking.
    organisation.refresh_from_db()
    assert organisation.founded_on is None
    response = client.post(url, {"fields": ["founded_on", "naf_code", "is_active"]})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.founded_on == datetime.date(2015, 3, 2)
    assert organisation.naf_code == "3832Z" and organisation.is_active is True
    assert organisation.name == "Recyclerie du Mont"  # not ticked: left as typed
    assert organisation.sirene_checked_at is not None
    assert organisation.history.first().history_change_reason == "Complétée depuis SIRENE"


@pytest.mark.django_db
def test_an_unreachable_directory_gives_a_clear_message_and_changes_nothing(
    client, officer, fake_sirene
):
    organisation = OrganisationFactory(name="Recyclerie du Mont", siret="73282932000074")
    client.force_login(officer)
    url = reverse("contacts:organisation-sirene", args=[organisation.pk])
    fake_sirene.delay = 1.5
    response = client.post(url, {"fields": ["name"]}, follow=True)
    assert "ne répond pas" in response.content.decode()
    fake_sirene.delay = 0
    fake_sirene.status = 429
    response = client.get(url, follow=True)
    assert "trop de demandes" in response.content.decode()
    fake_sirene.status = 200
    fake_sirene.body = "<html>maintenance</html>"
    response = client.get(url, follow=True)
    assert "illisible" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Recyclerie du Mont" and organisation.sirene_checked_at is None


@pytest.mark.django_db
def test_an_unknown_number_is_said_so(fake_sirene):
    with pytest.raises(sirene.SireneUnavailable, match="ne connaît pas"):
        sirene.lookup("55210055400013")


@pytest.mark.django_db
def test_with_no_url_the_feature_is_off_and_nothing_is_asked(client, officer, settings):
    settings.SIRENE_API_URL = ""
    organisation = OrganisationFactory(siret="73282932000074")
    client.force_login(officer)
    assert (
        "Compléter depuis SIRENE"
        not in client.get(organisation.get_absolute_url()).content.decode()
    )
    url = reverse("contacts:organisation-sirene", args=[organisation.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_weekly_refresh_flags_closed_organisations(fake_sirene, capsys):
    open_one = OrganisationFactory(name="Recyclerie", siret="73282932000074")
    closed = OrganisationFactory(name="Antenne de Boissy", siret="73282932000082")
    call_command("sirene_refresh", pause=0)
    open_one.refresh_from_db()
    closed.refresh_from_db()
    assert open_one.is_active is True and open_one.name == "Recyclerie"
    assert closed.is_active is False and closed.closed_on == datetime.date(2024, 6, 30)
    output = capsys.readouterr().out
    assert "fermée : " in output and "Antenne de Boissy" in output
    assert Organisation.objects.filter(is_active=False).count() == 1
