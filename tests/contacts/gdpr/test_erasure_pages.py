"""The erasure from the person's page: a button for officers, a confirmation listing what
goes and what stays, the refusals explained, and the done erasure shown on the page."""

import pytest
from django.urls import reverse

from contacts.models import Erasure, LegalHold, Person
from tests.contacts.gdpr.conftest import NAME
from tests.factories import PersonFactory, ProjectFactory


def erase_url(person):
    return reverse("contacts:person-erase", args=[person.pk])


def test_officers_see_the_erase_button_and_others_do_not(client, distinctive, officer, manager):
    page = reverse("contacts:person-detail", args=[distinctive["person"].pk])
    client.force_login(officer)
    assert erase_url(distinctive["person"]) in client.get(page).content.decode()
    client.force_login(manager)
    assert erase_url(distinctive["person"]) not in client.get(page).content.decode()


def test_the_confirmation_lists_what_goes_and_what_stays_and_erases_nothing(
    client, distinctive, officer
):
    client.force_login(officer)
    response = client.get(erase_url(distinctive["person"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ce qui sera effacé" in content
    assert "Ce qui reste (anonyme)" in content
    assert "rendez-vous : compte rendu" in content.lower() or "compte rendu" in content
    assert Person.objects.get(pk=distinctive["person"].pk).last_name == NAME[1]


def test_confirming_erases_and_the_page_says_so(client, distinctive, officer):
    client.force_login(officer)
    response = client.post(erase_url(distinctive["person"]), {"confirm": "on"}, follow=True)
    content = response.content.decode()
    assert "Données d&#x27;identification effacées le" in content or "effacées le" in content
    assert NAME[1] not in content
    assert Erasure.objects.get(person=distinctive["person"]).by == officer


def test_without_the_box_ticked_nothing_is_erased(client, distinctive, officer):
    client.force_login(officer)
    response = client.post(erase_url(distinctive["person"]), {})
    assert response.status_code == 400
    assert "Cochez la case pour confirmer" in response.content.decode()
    assert not Erasure.objects.exists()


def test_the_lead_of_an_open_project_needs_the_force_box_and_a_reason(client, officer):
    lead = PersonFactory(last_name="Enclours")
    ProjectFactory(name="Tiers-lieu des Coteaux", lead=lead, status="active")
    client.force_login(officer)
    page = client.get(erase_url(lead)).content.decode()
    assert "Tiers-lieu des Coteaux" in page
    response = client.post(erase_url(lead), {"confirm": "on"})
    assert response.status_code == 400
    response = client.post(erase_url(lead), {"confirm": "on", "force": "on"})
    assert "Un effacement forcé demande un motif." in response.content.decode()
    assert not Erasure.objects.exists()
    client.post(erase_url(lead), {"confirm": "on", "force": "on", "reason": "Demande urgente"})
    assert Erasure.objects.get(person=lead).forced


def test_a_legal_hold_is_shown_and_the_form_withheld(client, distinctive, officer):
    LegalHold.objects.create(person=distinctive["person"], reason="Réquisition judiciaire")
    client.force_login(officer)
    content = client.get(erase_url(distinctive["person"])).content.decode()
    assert "Réquisition judiciaire" in content
    assert "Effacer définitivement" not in content
    client.post(erase_url(distinctive["person"]), {"confirm": "on"})
    assert not Erasure.objects.exists()


@pytest.mark.parametrize("persona", ["coach", "manager"])
def test_coaches_and_managers_cannot_open_the_erasure(client, distinctive, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(erase_url(distinctive["person"])).status_code == 403
