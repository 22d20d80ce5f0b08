import pytest

from contacts.duplicates import (
    Reason,
    find_organisation_duplicates,
    find_person_duplicates,
)
from contacts.validators import name_key
from tests.factories import OrganisationFactory, PersonFactory, commune


def reasons_by_pk(candidates):
    return {c.record.pk: c.reasons for c in candidates}


def test_name_key_ignores_case_accents_punctuation_and_spaces():
    assert name_key("  Hélène ", "LEFÈVRE-Dupont") == "helene lefevre dupont"
    assert name_key("Œuvre d'Économie") == "oeuvre d economie"


@pytest.mark.django_db
def test_same_email_ignoring_case_is_a_duplicate():
    existing = PersonFactory(first_name="Léa", last_name="Martin", email="lea@exemple.fr")
    found = find_person_duplicates(first_name="Autre", last_name="Nom", email="LEA@Exemple.FR")
    assert reasons_by_pk(found) == {existing.pk: [Reason.SAME_EMAIL]}


@pytest.mark.django_db
def test_same_name_ignoring_case_and_accents_is_a_duplicate():
    existing = PersonFactory(first_name="Hélène", last_name="Lefèvre", email="")
    found = find_person_duplicates(first_name="helene", last_name="lefevre", email="")
    assert reasons_by_pk(found) == {existing.pk: [Reason.SAME_NAME]}


@pytest.mark.django_db
def test_a_typo_in_the_name_is_found_and_the_same_commune_makes_it_more_probable():
    creteil, sucy = commune("Créteil"), commune("Sucy-en-Brie")
    neighbour = PersonFactory(first_name="Léa", last_name="Martin", commune=creteil)
    [near] = find_person_duplicates(first_name="Léa", last_name="Martinn", commune=creteil)
    assert near.record == neighbour
    assert near.reasons == [Reason.SIMILAR_NAME, Reason.SAME_COMMUNE]
    [far] = find_person_duplicates(first_name="Lea", last_name="Martinn", commune=sucy)
    assert far.reasons == [Reason.SIMILAR_NAME]
    assert far.score < near.score


@pytest.mark.django_db
def test_same_last_name_and_first_name_part_in_the_same_commune_is_similar():
    creteil = commune("Créteil")
    existing = PersonFactory(first_name="Jean-Pierre", last_name="Durand", commune=creteil)
    found = find_person_duplicates(first_name="Jean", last_name="DURAND", commune=creteil.pk)
    assert reasons_by_pk(found) == {existing.pk: [Reason.SIMILAR_NAME, Reason.SAME_COMMUNE]}
    assert find_person_duplicates(first_name="Paul", last_name="Durand", commune=creteil) == []


@pytest.mark.django_db
def test_same_phone_in_another_format_and_same_mailbox_ignoring_dots():
    existing = PersonFactory(
        first_name="Inès", last_name="Haddad", email="ines.haddad@exemple.fr", phone="0612345678"
    )
    [found] = find_person_duplicates(
        first_name="Nora", last_name="Belkacem", email="", phone="+33 6 12 34 56 78"
    )
    assert (found.record, found.reasons) == (existing, [Reason.SAME_PHONE])
    [found] = find_person_duplicates(
        first_name="I.", last_name="H.", email="InesHaddad+crm@exemple.fr"
    )
    assert (found.record, found.reasons) == (existing, [Reason.SAME_EMAIL_KEY])


@pytest.mark.django_db
def test_a_missing_accent_and_another_spelling_that_sounds_the_same():
    existing = PersonFactory(first_name="Hélène", last_name="Lefèvre", email="")
    found = find_person_duplicates(first_name="Helene", last_name="LEFEVRE")
    assert reasons_by_pk(found) == {existing.pk: [Reason.SAME_NAME]}
    found = find_person_duplicates(first_name="Hélène", last_name="Lefaivre")
    assert existing.pk in reasons_by_pk(found)


@pytest.mark.django_db
def test_a_record_is_not_its_own_duplicate():
    person = PersonFactory(first_name="Léa", last_name="Martin", email="lea@exemple.fr")
    assert (
        find_person_duplicates(
            first_name="Léa", last_name="Martin", email="lea@exemple.fr", exclude_pk=person.pk
        )
        == []
    )


@pytest.mark.django_db
def test_same_email_and_name_gives_both_reasons():
    existing = PersonFactory(first_name="Léa", last_name="Martin", email="lea@exemple.fr")
    found = find_person_duplicates(first_name="LÉA", last_name="martin", email="lea@exemple.fr")
    assert reasons_by_pk(found) == {existing.pk: [Reason.SAME_EMAIL, Reason.SAME_NAME]}


@pytest.mark.django_db
def test_same_siret_typed_with_spaces_is_a_duplicate():
    existing = OrganisationFactory(name="Recyclerie", siret="73282932000074")
    found = find_organisation_duplicates(name="Autre nom", siret="732 829 320 00074")
    assert reasons_by_pk(found) == {existing.pk: [Reason.SAME_SIRET]}


@pytest.mark.django_db
def test_another_establishment_of_the_same_siren_is_a_duplicate():
    existing = OrganisationFactory(name="Recyclerie", siret="73282932000074")
    found = find_organisation_duplicates(name="Autre nom", siret="73282932000082")
    assert reasons_by_pk(found) == {existing.pk: [Reason.SAME_SIREN]}


@pytest.mark.django_db
def test_organisation_name_ignoring_case_accents_and_punctuation():
    existing = OrganisationFactory(name="Épicerie solidaire « L'Escale »")
    found = find_organisation_duplicates(name="epicerie solidaire l escale")
    assert reasons_by_pk(found) == {existing.pk: [Reason.SAME_NAME]}


@pytest.mark.django_db
def test_similar_organisation_name_scores_higher_in_the_same_commune():
    existing = OrganisationFactory(name="Ressourcerie du Mont", commune=commune("Créteil"))
    [near] = find_organisation_duplicates(name="Resourcerie du Mont", commune=commune("Créteil"))
    assert near.record == existing
    assert near.reasons == [Reason.SIMILAR_NAME, Reason.SAME_COMMUNE]
    [far] = find_organisation_duplicates(name="Resourcerie du Mont", commune=None)
    assert far.score < near.score
    assert find_organisation_duplicates(name="Recyclerie des Lilas") == []


@pytest.mark.django_db
def test_two_different_sirens_are_two_organisations_whatever_the_name():
    OrganisationFactory(name="Recyclerie", siret="73282932000074")
    assert find_organisation_duplicates(name="Recyclerie", siret="55210055400013") == []


@pytest.mark.django_db
def test_finders_run_two_queries_whatever_the_data(django_assert_num_queries):
    creteil = commune("Créteil")
    for size in (5, 60):
        PersonFactory.create_batch(size, commune=creteil, last_name="Martin")
        OrganisationFactory.create_batch(size, commune=creteil)
        with django_assert_num_queries(2):
            find_person_duplicates(first_name="Léa", last_name="Martin", commune=creteil)
        with django_assert_num_queries(2):
            find_organisation_duplicates(name="Recyclerie", siret="73282932000074", commune=creteil)
