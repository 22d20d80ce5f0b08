"""The duplicates page: the scan's pairs, best first, merged or dismissed for good."""

import pytest
from django.urls import reverse

from contacts.duplicate_scan import scan_duplicates
from contacts.models import DuplicatePair
from tests.factories import OrganisationFactory, PersonFactory, commune

URL = reverse("contacts:duplicates")


def _people_with_typos(count: int, start: int = 0) -> None:
    creteil = commune("Créteil")
    for n in range(start, start + count):
        last = f"Fontaine{'abcdefghijklmnopqrstuvwxyz'[n % 26]}{n}"
        PersonFactory(first_name="Camille", last_name=last, email="", commune=creteil)
        PersonFactory(first_name="Camile", last_name=last, email="", commune=creteil)


@pytest.mark.django_db
def test_the_scan_finds_a_typo_another_phone_format_and_a_dotted_mailbox():
    creteil = commune("Créteil")
    lea = PersonFactory(first_name="Léa", last_name="Martin", email="", commune=creteil)
    typo = PersonFactory(first_name="Lea", last_name="Martinn", email="", commune=creteil)
    ines = PersonFactory(first_name="Inès", last_name="Haddad", phone="06 12 34 56 78")
    phone = PersonFactory(first_name="I", last_name="Haddad-Benali", phone="+33612345678")
    dotted = PersonFactory(first_name="Nora", last_name="Belkacem", email="nora.belkacem@x.fr")
    undotted = PersonFactory(first_name="N", last_name="B", email="norabelkacem@x.fr")
    PersonFactory(first_name="Paul", last_name="Durand")

    assert scan_duplicates()["person"] == 3
    pairs = {
        frozenset((p.first_person_id, p.second_person_id)): p for p in DuplicatePair.objects.all()
    }
    assert set(pairs) == {
        frozenset((lea.pk, typo.pk)),
        frozenset((ines.pk, phone.pk)),
        frozenset((dotted.pk, undotted.pk)),
    }
    assert "phone" in pairs[frozenset((ines.pk, phone.pk))].reasons


@pytest.mark.django_db
def test_the_scan_finds_organisations_by_siret_and_address():
    same = OrganisationFactory(name="Recyclerie du Mont", siret="73282932000074")
    other = OrganisationFactory(name="La Recyclerie", siren="732829320")
    a = OrganisationFactory(name="Vélo Cité", address="12 bd Jean Jaurès", postal_code="94000")
    b = OrganisationFactory(
        name="Vélocité", address="12, boulevard Jean-Jaurès", postal_code="94000"
    )
    scan_duplicates()
    found = {
        frozenset((p.first_organisation_id, p.second_organisation_id))
        for p in DuplicatePair.objects.filter(kind="organisation")
    }
    assert frozenset((same.pk, other.pk)) in found
    assert frozenset((a.pk, b.pk)) in found


@pytest.mark.django_db
def test_officer_dismisses_a_pair_and_the_next_scan_does_not_propose_it(client, officer):
    lea = PersonFactory(first_name="Léa", last_name="Martin", email="", phone="0612345678")
    PersonFactory(first_name="Léa", last_name="Martinn", email="", phone="0612345678")
    scan_duplicates()
    pair = DuplicatePair.objects.get()
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Martinn" in response.content.decode()
    assert "Pas un doublon" in response.content.decode()
    response = client.post(reverse("contacts:duplicate-dismiss", args=[pair.pk]))
    assert response.status_code == 302
    scan_duplicates()
    assert DuplicatePair.objects.open().count() == 0
    client.get(URL)  # shows the confirmation, which names the two people
    assert "Martinn" not in client.get(URL).content.decode()
    # The merge page's suggestions leave the dismissed pair out too.
    merge = client.get(reverse("contacts:person-merge", args=[lea.pk]))
    assert "Fusionner avec Léa Martinn" not in merge.content.decode()


@pytest.mark.django_db
def test_the_list_filters_by_kind_and_score(client, officer):
    OrganisationFactory(name="Recyclerie du Mont", siret="73282932000074")
    OrganisationFactory(name="Recyclerie du Mont", siren="732829320")
    _people_with_typos(1)
    scan_duplicates()
    client.force_login(officer)
    people = client.get(URL).content.decode()
    assert "Fontaine" in people and "Recyclerie" not in people
    organisations = client.get(URL, {"kind": "organisation"}).content.decode()
    assert "Recyclerie" in organisations and "Fontaine" not in organisations
    assert "Fontaine" not in client.get(URL, {"min_score": "99"}).content.decode()


@pytest.mark.django_db
def test_only_officers_open_the_duplicates_page(client, manager, coach):
    for user in (manager, coach):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(reverse("contacts:duplicate-scan")).status_code == 403


@pytest.mark.django_db
def test_the_page_runs_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    _people_with_typos(3)
    scan_duplicates()
    client.force_login(officer)
    # Session and user, roles, the page's count and its rows (with both people and their
    # communes, one query), savepoints: the same whatever the number of pairs.
    with django_assert_max_num_queries(9) as small:
        assert client.get(URL).status_code == 200
    _people_with_typos(30, start=3)
    scan_duplicates()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_the_scan_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    # Per kind: the keys, the dismissed and stored pairs, the deletion, the bulk writes
    # (SQLite splits a bulk insert into batches of its parameter limit): none per record.
    _people_with_typos(3)
    with django_assert_max_num_queries(20):
        scan_duplicates()
    DuplicatePair.objects.all().delete()
    _people_with_typos(40, start=3)
    with django_assert_max_num_queries(20):
        scan_duplicates()


@pytest.mark.django_db
def test_the_person_page_proposes_probable_duplicates_to_officers_only(
    client, officer, coach, django_assert_max_num_queries
):
    creteil = commune("Créteil")
    lea = PersonFactory(first_name="Léa", last_name="Martin", email="", commune=creteil)
    PersonFactory(first_name="Lea", last_name="Martinn", email="", commune=creteil)
    client.force_login(officer)
    page = client.get(lea.get_absolute_url()).content.decode()
    assert "Doublons probables" in page and "Lea Martinn" in page and "probabilité" in page
    # Fixed whatever the number of people: the finders read bounded blocks.
    with django_assert_max_num_queries(40) as small:
        client.get(lea.get_absolute_url())
    PersonFactory.create_batch(40, commune=creteil)
    _people_with_typos(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(lea.get_absolute_url())
    client.force_login(coach)
    assert "Doublons probables" not in client.get(lea.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_scan_command_reports_its_counts(capsys):
    from django.core.management import call_command

    _people_with_typos(2)
    call_command("scan_duplicates")
    pairs = DuplicatePair.objects.filter(kind="person").count()
    assert pairs and f"{pairs} paire(s) de porteur·ses" in capsys.readouterr().out
