"""Journeys through the project pages: create a project with its entrepreneur, find it,
and two people editing it at once (the board's journeys: test_board_journey.py)."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import CoachFactory, OfficerFactory, ProjectFactory

PASSWORD = "correct-horse-battery"


def test_officer_creates_a_project_with_its_entrepreneur_and_finds_it(
    page, transactional_db, assert_accessible
):
    OfficerFactory(username="camille", password=PASSWORD)
    ProjectFactory(name="Épicerie de Sucy")
    log_in(page, "camille", PASSWORD)
    page.get_by_role("link", name="Projets", exact=True).click()
    page.get_by_role("link", name="Nouveau projet").click()
    assert_accessible(page)

    page.get_by_label("Nom du projet", exact=True).fill("Ressourcerie de Noiseau")
    page.get_by_label("Commune du projet").select_option(label="Noiseau")
    page.get_by_label("Prénom du porteur·se").fill("Awa")
    page.get_by_label("Nom du porteur·se", exact=True).fill("Diallo")
    page.get_by_label("Courriel du porteur·se").fill("Awa.Diallo@Exemple.fr")
    # The organisation part appears only once "new organisation" is chosen.
    expect(page.get_by_label("Nom de la structure")).not_to_be_visible()
    page.get_by_label("Nouvelle structure").check()
    page.get_by_label("Nom de la structure").fill("Ressourcerie SCIC")
    page.get_by_label("Forme juridique").select_option(label="SCIC")
    page.get_by_label("SIRET").fill("1234")
    page.get_by_role("button", name="Créer le projet").click()
    # A bad SIRET is refused, named, and nothing typed is lost.
    alert = page.get_by_role("alert")
    assert "SIRET" in alert.inner_text()
    assert page.get_by_label("Prénom du porteur·se").input_value() == "Awa"
    assert_accessible(page)
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_role("button", name="Créer le projet").click()

    expect(page.get_by_role("heading", name="Ressourcerie de Noiseau")).to_be_visible()
    assert "tape 1 sur 5 : Idée" in page.inner_text(".stage-progress-label")
    expect(page.get_by_text("awa.diallo@exemple.fr")).to_be_visible()
    expect(page.get_by_text("SCIC · SIRET 73282932000074")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Fil d’Ariane").get_by_role(
        "link", name="Projets", exact=True
    ).click()
    page.get_by_label("Recherche").fill("diallo")
    page.get_by_role("button", name="Appliquer", exact=True).click()
    rows = page.locator("table.data-table tbody tr")
    assert rows.count() == 1
    rows.first.get_by_role("link", name="Ressourcerie de Noiseau").click()
    expect(page.get_by_role("heading", name="Ressourcerie de Noiseau")).to_be_visible()


def test_two_people_editing_a_project_see_the_conflict_and_both_versions(
    page, chromium, live_server, transactional_db, assert_accessible
):
    coach = CoachFactory(username="julien", password=PASSWORD)
    OfficerFactory(username="camille", password=PASSWORD)
    project = ProjectFactory(name="Atelier vélo", coach=coach)
    other = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    other_page = other.new_page()
    try:
        log_in(page, "camille", PASSWORD)
        log_in(other_page, "julien", PASSWORD)
        edit = f"/projects/{project.pk}/edit/"
        page.goto(edit)
        other_page.goto(edit)

        other_page.get_by_label("Résumé").fill("Réparation de vélos par Julien")
        other_page.get_by_role("button", name="Enregistrer").click()
        expect(other_page.get_by_text("Les modifications sont enregistrées.")).to_be_visible()

        page.get_by_label("Résumé").fill("Atelier participatif selon Camille")
        page.get_by_role("button", name="Enregistrer").click()
        assert "quelqu'un d'autre" in page.get_by_role("alert").inner_text()
        conflict = page.locator("table.conflict-table")
        assert "Atelier participatif selon Camille" in conflict.inner_text()
        assert "Réparation de vélos par Julien" in conflict.inner_text()
        # Nothing typed is lost: the form still holds Camille's version.
        assert page.get_by_label("Résumé").input_value() == "Atelier participatif selon Camille"
        assert_accessible(page)

        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text("Atelier participatif selon Camille")).to_be_visible()
    finally:
        other.close()


def test_project_page_and_board_on_a_phone(phone_page, transactional_db, assert_accessible):
    coach = CoachFactory(username="julien", password=PASSWORD)
    project = ProjectFactory(name="Atelier vélo", coach=coach)
    log_in(phone_page, "julien", PASSWORD)
    phone_page.goto(f"/projects/{project.pk}/")
    expect(phone_page.get_by_role("heading", name="Atelier vélo")).to_be_visible()
    assert_accessible(phone_page)
    phone_page.goto("/projects/board/")
    assert_accessible(phone_page)


def test_officer_picks_an_existing_entrepreneur_by_typing_part_of_the_name(
    page, transactional_db, assert_accessible
):
    from tests.factories import OrganisationFactory, PersonFactory

    OfficerFactory(username="camille", password=PASSWORD)
    PersonFactory(first_name="Awa", last_name="Diallo", email="awa@exemple.fr")
    PersonFactory(first_name="Jean", last_name="Dialo", email="jean@exemple.fr")
    OrganisationFactory(name="Ressourcerie SCIC")
    log_in(page, "camille", PASSWORD)
    page.goto("/projects/new/")

    page.get_by_label("Nom du projet", exact=True).fill("Ressourcerie de Noiseau")
    page.get_by_role("radio", name="Personne déjà enregistrée").check()
    search = page.get_by_role("combobox", name="Personne déjà enregistrée")
    search.press_sequentially("dial")
    options = page.get_by_role("listbox", name="Personne déjà enregistrée").get_by_role("option")
    expect(options).to_have_count(2)
    assert_accessible(page)
    # The keyboard alone chooses: down, down, back up to the first match, Enter.
    search.press("ArrowDown")
    search.press("ArrowDown")
    search.press("ArrowUp")
    search.press("Enter")
    expect(search).to_have_value("Awa Diallo (awa@exemple.fr)")
    page.get_by_role("radio", name="Structure déjà enregistrée").check()
    structure = page.get_by_role("combobox", name="Structure déjà enregistrée")
    structure.press_sequentially("ressou")
    page.get_by_role("listbox", name="Structure déjà enregistrée").get_by_role(
        "option", name="Ressourcerie SCIC"
    ).click()
    page.get_by_role("button", name="Créer le projet").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ressourcerie de Noiseau")
    expect(page.get_by_text("Awa Diallo").first).to_be_visible()
    expect(page.get_by_role("link", name="Ressourcerie SCIC").first).to_be_visible()
