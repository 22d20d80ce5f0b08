import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contacts.models import Organisation, OrganisationLabel, Person
from tests.factories import OrganisationFactory, PersonFactory


@pytest.mark.django_db
def test_email_is_unique_ignoring_case_in_the_database():
    PersonFactory(email="Lea.Martin@Exemple.fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        # Bypass normalisation to prove the database constraint itself holds.
        Person.objects.bulk_create(
            [Person(first_name="Léa", last_name="M", email="LEA.MARTIN@exemple.fr")]
        )


@pytest.mark.django_db
def test_email_clash_is_reported_on_the_email_field_in_french():
    PersonFactory(email="lea.martin@exemple.fr")
    duplicate = Person(first_name="Léa", last_name="Martin", email=" LEA.Martin@exemple.fr ")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "déjà cette adresse" in error.value.message_dict["email"][0]


@pytest.mark.django_db
def test_people_without_email_do_not_clash():
    PersonFactory(email="")
    PersonFactory(email="")
    assert Person.objects.filter(email="").count() == 2


@pytest.mark.django_db
def test_person_contact_details_are_normalised_on_save():
    person = PersonFactory(
        first_name="  Léa ", email=" Lea.Martin@EXEMPLE.fr", phone="06 12 34 56 78"
    )
    person.refresh_from_db()
    assert (person.first_name, person.email, person.phone) == (
        "Léa",
        "lea.martin@exemple.fr",
        "+33612345678",
    )


@pytest.mark.django_db
def test_organisation_identifiers_are_normalised_and_siren_derived_from_siret():
    organisation = OrganisationFactory(
        siret="732 829 320 00074", naf_code="88.99b", rna="w941234567"
    )
    organisation.refresh_from_db()
    assert organisation.siret == "73282932000074"
    assert organisation.siren == "732829320"
    assert organisation.naf_code == "8899B"
    assert organisation.rna == "W941234567"


@pytest.mark.django_db
def test_invalid_siret_is_refused_on_the_siret_field():
    organisation = Organisation(name="Recyclerie", siret="73282932000075")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "SIRET" in error.value.message_dict["siret"][0]


@pytest.mark.django_db
def test_siret_must_start_with_the_organisations_siren():
    organisation = Organisation(name="Recyclerie", siren="552100554", siret="73282932000074")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "commencer par le SIREN" in error.value.message_dict["siret"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.bulk_create([organisation])


@pytest.mark.django_db
def test_two_organisations_cannot_share_a_siret():
    OrganisationFactory(siret="73282932000074")
    with pytest.raises(ValidationError):
        Organisation(name="Autre", siret="73282932000074").full_clean()


@pytest.mark.django_db
def test_esus_label_lasts_five_years_by_default():
    import datetime

    label = OrganisationLabel(
        organisation=OrganisationFactory(), kind="esus", obtained_on=datetime.date(2024, 2, 29)
    )
    label.full_clean()
    assert label.expires_on == datetime.date(2029, 2, 28)
