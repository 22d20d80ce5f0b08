"""Consents (newsletter, photos): dated, with their origin (public form, officer, import),
withdrawn with who and when, the record kept; the people list filters on them, so a
newsletter export holds only people whose consent is in force."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from contacts.gdpr.consents import consent_give, consent_withdraw
from contacts.models import Consent, ConsentOrigin, ConsentPurpose, Person
from tests.contacts.test_forms import person_data
from tests.crm.test_registration import answers
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_box_ticked_by_an_officer_is_a_consent_recorded_by_them(client, officer):
    client.force_login(officer)
    client.post(reverse("contacts:person-create"), person_data(consent_photos="on"))
    person = Person.objects.get()
    consent = Consent.objects.get(person=person)
    assert (consent.purpose, consent.origin, consent.recorded_by) == (
        ConsentPurpose.PHOTOS,
        ConsentOrigin.OFFICER,
        officer,
    )
    assert consent.given_at == person.consent_photos_at and consent.is_active
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Saisie par un·e chargé·e de mission" in page


def test_unticking_the_box_records_a_withdrawal_and_keeps_the_consent(client, officer):
    person = PersonFactory()
    consent = consent_give(person=person, purpose="newsletter", origin=ConsentOrigin.IMPORT)
    client.force_login(officer)
    data = person_data(email=person.email, first_name=person.first_name, last_name=person.last_name)
    response = client.post(reverse("contacts:person-edit", args=[person.pk]), data)
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_by == officer and consent.withdrawn_at is not None
    person.refresh_from_db()
    assert not person.consent_newsletter


def test_the_public_form_records_its_origin(client, settings):
    settings.REGISTRATION_MIN_SECONDS = 5
    settings.REGISTRATION_NOTIFY_EMAILS = []
    cache.clear()
    client.post(reverse("registration:form"), answers(consent_newsletter="on"))
    consent = Consent.objects.get()
    assert consent.origin == ConsentOrigin.PUBLIC_FORM and consent.recorded_by is None
    assert consent.person.consent_newsletter_at == consent.given_at


def test_officer_records_a_withdrawal_from_the_person_page(client, officer):
    person = PersonFactory()
    consent_give(person=person, purpose="newsletter", origin=ConsentOrigin.PUBLIC_FORM)
    client.force_login(officer)
    url = reverse("contacts:person-consent-withdraw", args=[person.pk, "newsletter"])
    assert url in client.get(person.get_absolute_url()).content.decode()
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert "Le retrait du consentement « Lettre d&#x27;information » est enregistré." in page
    assert "retiré le" in page
    consent = Consent.objects.get(person=person)
    assert consent.withdrawn_by == officer
    person.refresh_from_db()
    assert not person.consent_newsletter and person.consent_newsletter_at is None
    # The change is in the person's history too.
    assert person.history.filter(consent_newsletter=False).exists()
    # A second withdrawal changes nothing.
    assert consent_withdraw(person=person, purpose="newsletter", by=officer) is None


def test_only_officers_record_withdrawals(client, manager, coach, project):
    person = project.people.get()
    consent_give(person=person, purpose="photos", origin=ConsentOrigin.OFFICER)
    url = reverse("contacts:person-consent-withdraw", args=[person.pk, "photos"])
    for user in (manager, coach):
        client.force_login(user)
        assert url not in client.get(person.get_absolute_url()).content.decode()
        assert client.post(url).status_code == 403
    assert Consent.objects.get().is_active


def test_an_unknown_purpose_is_a_404(client, officer):
    person = PersonFactory()
    client.force_login(officer)
    url = reverse("contacts:person-consent-withdraw", args=[person.pk, "telephone"])
    assert client.post(url).status_code == 404


def test_a_newsletter_export_holds_only_people_whose_consent_is_in_force(client, officer):
    agrees = PersonFactory(last_name="Accepte")
    consent_give(person=agrees, purpose="newsletter", origin=ConsentOrigin.PUBLIC_FORM)
    withdrew = PersonFactory(last_name="Retire")
    consent_give(person=withdrew, purpose="newsletter", origin=ConsentOrigin.PUBLIC_FORM)
    consent_withdraw(person=withdrew, purpose="newsletter", by=officer)
    PersonFactory(last_name="Jamais")
    client.force_login(officer)
    response = client.get(
        reverse("contacts:person-list"), {"consent_newsletter": "true", "export": "csv"}
    )
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert [row[:2] for row in rows[1:]] == [["Accepte", agrees.email]]
    # The filter is offered on the list page.
    page = client.get(reverse("contacts:person-list")).content.decode()
    assert 'name="consent_newsletter"' in page


def test_an_import_records_the_consents_it_gives_with_their_origin(officer):
    from crm.importing.reading import read_upload
    from crm.importing.runner import run_import

    known = PersonFactory(email="hugo.dubois@exemple.fr")
    text = (
        "Prénom;Nom;Courriel;Lettre d'information;Photos\r\n"
        "Léa;Martin;lea.martin@exemple.fr;oui;non\r\n"
        "Hugo;Dubois;hugo.dubois@exemple.fr;oui;\r\n"
        "Inès;Petit;ines.petit@exemple.fr;;oui\r\n"
    )
    table = read_upload("fichier.csv", text.encode("utf-8"))
    preview = run_import(kind="people", table=table, by=officer, dry_run=True)
    assert not Consent.objects.exists()  # a preview writes nothing
    assert preview.refused == 0
    run_import(kind="people", table=table, by=officer, dry_run=False)
    given = {
        (c.person.email, c.purpose): (c.origin, c.recorded_by)
        for c in Consent.objects.select_related("person")
    }
    assert given == {
        ("lea.martin@exemple.fr", "newsletter"): (ConsentOrigin.IMPORT, officer),
        ("hugo.dubois@exemple.fr", "newsletter"): (ConsentOrigin.IMPORT, officer),
        ("ines.petit@exemple.fr", "photos"): (ConsentOrigin.IMPORT, officer),
    }
    known.refresh_from_db()
    assert known.consent_newsletter and known.consent_newsletter_at is not None
    # The same file again gives nothing new.
    run_import(kind="people", table=table, by=officer, dry_run=False)
    assert Consent.objects.count() == 3


def test_a_merge_carries_the_dated_consent_over_with_the_flag(officer):
    from contacts import services

    keep = PersonFactory()
    drop = PersonFactory()
    consent = consent_give(person=drop, purpose="photos", origin=ConsentOrigin.PUBLIC_FORM)
    services.person_merge(keep=keep, drop=drop, by=officer)
    keep.refresh_from_db()
    consent.refresh_from_db()
    assert keep.consent_photos and keep.consent_photos_at == consent.given_at
    assert consent.person == keep and consent.is_active
