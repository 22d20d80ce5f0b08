import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import MergeRecord, Organisation, Person
from tests.factories import OrganisationFactory, PersonFactory, ProjectFactory, commune

PERSON_NEW = reverse("contacts:person-create")
ORGANISATION_NEW = reverse("contacts:organisation-create")


def person_data(**overrides):
    data = {
        "first_name": "Hélène",
        "last_name": "Lefèvre",
        "email": "helene@exemple.fr",
        "phone": "06 12 34 56 78",
        "gender": "female",
        "birth_year": "1985",
        "commune": commune().pk,
        "lives_in_qpv": "true",
        "employment_situation_at_entry": "jobseeker",
        # Edit forms carry the version they were loaded with (ignored on creation).
        "version": "1",
    }
    data.update(overrides)
    return data


def organisation_data(**overrides):
    data = {
        "name": "Recyclerie du Mont",
        "kind": "ess_structure",
        "legal_form": "association",
        "siret": "732 829 320 00074",
        "naf_version": "naf2008",
        "commune": commune().pk,
        "labels-TOTAL_FORMS": "1",
        "labels-INITIAL_FORMS": "0",
        "labels-0-kind": "esus",
        "labels-0-obtained_on": "2024-02-29",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "version": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_officer_creates_a_person_with_consent_dated(client, officer):
    client.force_login(officer)
    response = client.post(PERSON_NEW, person_data(consent_newsletter="on"))
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert person.phone == "+33612345678" and person.lives_in_qpv is True
    assert person.consent_newsletter and person.consent_newsletter_at is not None
    assert not person.consent_photos and person.consent_photos_at is None
    page = client.get(person.get_absolute_url()).content.decode()
    assert f"Oui, depuis le {timezone.localtime(person.consent_newsletter_at):%d/%m/%Y}" in page


@pytest.mark.django_db
def test_unticking_a_consent_forgets_its_date(client, officer):
    person = PersonFactory(
        consent_photos=True, consent_photos_at=datetime.datetime.now(datetime.UTC)
    )
    client.force_login(officer)
    data = person_data(email=person.email, first_name=person.first_name, last_name=person.last_name)
    client.post(reverse("contacts:person-edit", args=[person.pk]), data)
    person.refresh_from_db()
    assert not person.consent_photos and person.consent_photos_at is None


@pytest.mark.django_db
def test_person_form_names_the_field_in_french_and_keeps_what_was_typed(client, officer):
    client.force_login(officer)
    response = client.post(PERSON_NEW, person_data(phone="12", last_name=""))
    content = response.content.decode()
    assert response.status_code == 200 and not Person.objects.exists()
    assert "Téléphone" in content and "Nom" in content and "Ce champ est obligatoire" in content
    assert 'value="Hélène"' in content and 'value="helene@exemple.fr"' in content


@pytest.mark.django_db
def test_forms_collecting_personal_data_show_the_dpo_contact(client, officer, settings):
    settings.DPO_CONTACT = "dpo@territoire.fr"
    client.force_login(officer)
    assert "dpo@territoire.fr" in client.get(PERSON_NEW).content.decode()
    assert "dpo@territoire.fr" in client.get(ORGANISATION_NEW).content.decode()


@pytest.mark.django_db
def test_likely_duplicates_are_shown_before_saving_then_creation_can_be_confirmed(client, officer):
    existing = PersonFactory(first_name="Helene", last_name="LEFEVRE", email="")
    client.force_login(officer)
    response = client.post(PERSON_NEW, person_data())
    content = response.content.decode()
    assert Person.objects.count() == 1
    assert "existe peut-être déjà" in content and existing.get_absolute_url() in content
    assert "Créer quand même" in content and 'value="helene@exemple.fr"' in content
    response = client.post(PERSON_NEW, person_data(confirm_duplicates="1"))
    assert response.status_code == 302 and Person.objects.count() == 2


@pytest.mark.django_db
def test_an_email_already_taken_shows_its_owner_and_refuses_to_save(client, officer):
    existing = PersonFactory(first_name="Léa", last_name="Martin", email="lea@exemple.fr")
    client.force_login(officer)
    data = person_data(email="LEA@exemple.fr", confirm_duplicates="1")
    content = client.post(PERSON_NEW, data).content.decode()
    assert Person.objects.count() == 1
    assert "cette valeur est déjà celle de « " in content  # names the owner, with a link
    assert existing.get_absolute_url() in content


@pytest.mark.django_db
def test_officer_creates_an_organisation_with_a_label(client, officer):
    client.force_login(officer)
    response = client.post(ORGANISATION_NEW, organisation_data())
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert organisation.siret == "73282932000074" and organisation.siren == "732829320"
    label = organisation.labels.get()
    assert label.expires_on == datetime.date(2029, 2, 28)


@pytest.mark.django_db
def test_invalid_siret_is_reported_on_the_siret_field(client, officer):
    client.force_login(officer)
    content = client.post(ORGANISATION_NEW, organisation_data(siret="73282932000075")).content
    content = content.decode()
    assert not Organisation.objects.exists()
    assert "SIRET" in content and "Recyclerie du Mont" in content


@pytest.mark.django_db
def test_same_siret_shows_the_existing_organisation(client, officer):
    existing = OrganisationFactory(name="Autre nom", siret="73282932000074")
    client.force_login(officer)
    content = client.post(ORGANISATION_NEW, organisation_data()).content.decode()
    assert Organisation.objects.count() == 1
    assert "Même SIRET" in content and existing.get_absolute_url() in content


@pytest.mark.django_db
def test_organisation_edit_adds_a_member(client, officer, structure):
    person = PersonFactory()
    client.force_login(officer)
    data = organisation_data(
        name=structure.name,
        siret=structure.siret,
        **{
            "labels-TOTAL_FORMS": "0",
            "members-TOTAL_FORMS": "1",
            "members-0-person": person.pk,
            "members-0-role": "director",
        },
    )
    response = client.post(reverse("contacts:organisation-edit", args=[structure.pk]), data)
    assert response.status_code == 302
    assert structure.memberships.get().person == person


@pytest.mark.django_db
def test_officer_archives_and_restores_a_person(client, officer, project, lead):
    client.force_login(officer)
    client.post(reverse("contacts:person-archive", args=[lead.pk]))
    lead.refresh_from_db()
    assert lead.archived_at is not None
    assert "Fiche archivée le" in client.get(lead.get_absolute_url()).content.decode()
    client.post(reverse("contacts:person-restore", args=[lead.pk]))
    lead.refresh_from_db()
    assert lead.archived_at is None


@pytest.mark.django_db
def test_merge_page_previews_then_merges_and_the_history_shows_it(client, officer, lead):
    twin = PersonFactory(first_name="Lea", last_name="MARTIN", email="l.martin@exemple.fr")
    ProjectFactory(name="Friperie", lead=twin)
    client.force_login(officer)
    url = reverse("contacts:person-merge", args=[lead.pk])
    choose = client.get(url).content.decode()
    assert f"?other={twin.pk}" in choose and "Même nom" in choose
    preview = client.get(url, {"other": twin.pk}).content.decode()
    assert "Porteur·ses du projet : 1" in preview and "Confirmer la fusion" in preview
    response = client.post(url, {"keep": lead.pk, "drop": twin.pk})
    assert response.status_code == 302 and response["Location"] == lead.get_absolute_url()
    record = MergeRecord.objects.get()
    assert record.kept_person == lead
    page = client.get(lead.get_absolute_url()).content.decode()
    assert "Friperie" in page and "fusionnée par" in page and "l.martin@exemple.fr" in page
    twin_page = client.get(twin.get_absolute_url()).content.decode()
    assert "fusionnée dans" in twin_page and lead.get_absolute_url() in twin_page


@pytest.mark.django_db
def test_merge_can_keep_the_other_record(client, officer, lead):
    twin = PersonFactory()
    client.force_login(officer)
    url = reverse("contacts:person-merge", args=[lead.pk])
    preview = client.get(url, {"other": twin.pk, "keep": "other"}).content.decode()
    assert "Conserver plutôt" in preview
    client.post(url, {"keep": twin.pk, "drop": lead.pk})
    lead.refresh_from_db()
    assert lead.merged_into == twin


@pytest.mark.django_db
def test_merge_refuses_a_pair_that_does_not_include_the_page_record(client, officer, lead):
    a, b = PersonFactory(), PersonFactory()
    client.force_login(officer)
    client.post(reverse("contacts:person-merge", args=[lead.pk]), {"keep": a.pk, "drop": b.pk})
    assert not MergeRecord.objects.exists()


@pytest.mark.django_db
def test_organisation_merge_through_the_page(client, officer, structure):
    twin = OrganisationFactory(name="Velo solidaire")
    ProjectFactory(name="Atelier mobile", organisation=twin)
    client.force_login(officer)
    url = reverse("contacts:organisation-merge", args=[structure.pk])
    assert f"?other={twin.pk}" in client.get(url).content.decode()
    assert "Projets accompagnés : 1" in client.get(url, {"other": twin.pk}).content.decode()
    client.post(url, {"keep": structure.pk, "drop": twin.pk})
    assert "Atelier mobile" in client.get(structure.get_absolute_url()).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "coach"])
def test_detail_pages_run_a_fixed_number_of_queries(
    client, request, persona, coach, lead, structure, project, django_assert_max_num_queries
):
    from contacts.models import OrganisationLabel, PersonOrganisation

    labels_added = []

    def grow(count):
        for _ in range(count):
            ProjectFactory(coach=coach, lead=PersonFactory(), organisation=structure)
            other = OrganisationFactory()
            PersonOrganisation.objects.create(person=lead, organisation=other)
            ProjectFactory(coach=coach, lead=PersonFactory(), organisation=other)
            member = ProjectFactory(coach=coach, organisation=structure).members.get().person
            PersonOrganisation.objects.create(person=member, organisation=structure)
            ProjectFactory(coach=coach).members.create(person=lead)
        labels_added.append(
            OrganisationLabel.objects.create(
                organisation=structure,
                kind="siae_ei",
                obtained_on=datetime.date(2020 + len(labels_added), 1, 1),
            )
        )

    client.force_login(request.getfixturevalue(persona))
    for url in (lead.get_absolute_url(), structure.get_absolute_url()):
        grow(2)
        with django_assert_max_num_queries(25) as small:
            client.get(url)
        grow(5)
        # session, user, roles, the record, its projects, memberships, labels, history,
        # merges: none per row.
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_organisation_form_loads_the_people_once_whatever_the_number_of_members(
    client, officer, structure, django_assert_max_num_queries
):
    from contacts.models import PersonOrganisation

    url = reverse("contacts:organisation-edit", args=[structure.pk])
    client.force_login(officer)
    PersonOrganisation.objects.create(person=PersonFactory(), organisation=structure)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for _ in range(5):
        PersonOrganisation.objects.create(person=PersonFactory(), organisation=structure)
    with django_assert_max_num_queries(len(small.captured_queries)):
        content = client.get(url).content.decode()
    assert content.count("selected>") >= 6


@pytest.mark.django_db
def test_second_save_of_a_stale_person_form_is_refused_with_both_versions(client, officer):
    person = PersonFactory(first_name="Léa", last_name="Martin", email="lea@exemple.fr")
    client.force_login(officer)
    url = reverse("contacts:person-edit", args=[person.pk])
    first = person_data(first_name="Léa", last_name="Martin-Dupont", email="lea@exemple.fr")
    assert client.post(url, first).status_code == 302
    # A colleague who opened the form before that save (version 1) saves their change.
    stale = person_data(first_name="Léa", last_name="Martín", email="lea@exemple.fr")
    response = client.post(url, stale)
    assert response.status_code == 409
    content = response.content.decode()
    assert "modifiée par quelqu" in content
    assert "Martin-Dupont" in content and "Martín" in content  # both versions shown
    person.refresh_from_db()
    assert person.last_name == "Martin-Dupont"  # nothing silently overwritten
    # Saving again deliberately, from the refreshed form, applies the colleague's version.
    retry = person_data(first_name="Léa", last_name="Martín", email="lea@exemple.fr", version="2")
    assert client.post(url, retry).status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Martín"


@pytest.mark.django_db
def test_second_save_of_a_stale_organisation_form_is_refused(client, officer, structure):
    client.force_login(officer)
    url = reverse("contacts:organisation-edit", args=[structure.pk])
    common = {"siret": structure.siret, "labels-TOTAL_FORMS": "0"}
    assert client.post(url, organisation_data(name="Recyclerie A", **common)).status_code == 302
    response = client.post(url, organisation_data(name="Recyclerie B", **common))
    assert response.status_code == 409
    structure.refresh_from_db()
    assert structure.name == "Recyclerie A"
