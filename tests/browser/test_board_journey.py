"""The pipeline board and the side panel, in a browser: a card moved by keyboard and by
drag and drop without reloading the page, each move undone from the toast, the focus kept
on the moved card, the project's history telling all four moves; the side panel opened
from the board and the list, edited in place, closed with Escape."""

from playwright.sync_api import expect

from crm.core.concurrency import save_if_unchanged
from crm.models import Project, StageChange
from tests.browser.conftest import log_in
from tests.factories import CoachFactory, OfficerFactory, ProjectFactory

PASSWORD = "correct-horse-battery"


def _focused_card(page) -> str:
    return page.evaluate(
        "document.activeElement.classList.contains('card-title')"
        " && document.activeElement.closest('.board-card').dataset.project"
    )


def _column_of(page, pk) -> str:
    return page.evaluate(
        f"document.getElementById('card-{pk}').closest('.board-column').dataset.stage"
    )


def test_coach_moves_a_card_by_keyboard_and_by_drag_and_undoes_both(
    page, transactional_db, assert_accessible
):
    coach = CoachFactory(username="julien", password=PASSWORD)
    velo = ProjectFactory(name="Atelier vélo", stage="idea", coach=coach)
    ProjectFactory(name="Compost de Sucy", stage="idea", coach=coach)
    log_in(page, "julien", PASSWORD)
    page.get_by_role("link", name="Pipeline", exact=True).click()
    expect(page.get_by_role("heading", name="Pipeline des projets")).to_be_visible()
    assert_accessible(page)
    # Marks the page: a reload would lose it, an htmx swap keeps it.
    page.evaluate("window.stillTheSamePage = true")

    # The keyboard: the skip link, then the first card in two Tabs and Enter.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Aller au pipeline")
    page.keyboard.press("Enter")
    assert _focused_card(page) == str(velo.pk)
    # One tab stop per card: Tab goes to its menu, then out of the board.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_accessible_name("Déplacer Atelier vélo")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator(":focus")).to_have_text("3. Lancement")
    page.keyboard.press("Enter")
    launch = page.locator("section.board-column[data-stage=launch]")
    expect(launch.locator(".board-card", has_text="Atelier vélo")).to_be_visible()
    expect(page.locator("#board-toast")).to_contain_text("passe de Idée à Lancement")
    assert _focused_card(page) == str(velo.pk)
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

    page.get_by_role("button", name="Annuler ce déplacement").click()
    expect(page.locator("#board-toast")).to_contain_text("Déplacement annulé")
    assert _column_of(page, velo.pk) == "idea"
    assert _focused_card(page) == str(velo.pk)
    assert_accessible(page)

    # The mouse: drag the card to Consolidation, then undo.
    idea = page.locator("section.board-column[data-stage=idea]")
    consolidation = page.locator("section.board-column[data-stage=consolidation]")
    idea.locator(".board-card", has_text="Atelier vélo").drag_to(consolidation)
    expect(consolidation.locator(".board-card", has_text="Atelier vélo")).to_be_visible()
    expect(page.locator("#board-toast")).to_contain_text("passe de Idée à Consolidation")
    assert _focused_card(page) == str(velo.pk)
    page.get_by_role("button", name="Annuler ce déplacement").click()
    expect(page.locator("#board-toast")).to_contain_text("Déplacement annulé")
    assert _column_of(page, velo.pk) == "idea"
    assert page.evaluate("window.stillTheSamePage") is True

    moves = StageChange.objects.filter(project=velo).order_by("at", "pk")
    assert [(m.from_stage, m.to_stage) for m in moves][1:] == [
        ("idea", "launch"),
        ("launch", "idea"),
        ("idea", "consolidation"),
        ("consolidation", "idea"),
    ]
    page.goto(f"/projects/{velo.pk}/")
    history = page.locator(".project-timeline").inner_text()
    assert "Idée → Lancement" in history and "Lancement → Idée" in history
    assert "Idée → Consolidation" in history and "Consolidation → Idée" in history


def test_the_board_works_without_javascript(chromium, live_server, transactional_db):
    coach = CoachFactory(username="julien", password=PASSWORD)
    ProjectFactory(name="Atelier vélo", stage="idea", coach=coach)
    context = chromium.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, "julien", PASSWORD)
        page.goto("/projects/board/")
        page.locator(".move-toggle").first.click()
        page.get_by_role("button", name="3. Lancement").click()
        launch = page.locator("section.board-column[data-stage=launch]")
        expect(launch.locator(".board-card", has_text="Atelier vélo")).to_be_visible()
        page.get_by_role("button", name="Annuler ce déplacement").click()
        idea = page.locator("section.board-column[data-stage=idea]")
        expect(idea.locator(".board-card", has_text="Atelier vélo")).to_be_visible()
        # The card's link is the project's page; the panel is a page of its own.
        page.get_by_role("link", name="Atelier vélo").click()
        expect(page.get_by_role("heading", name="Atelier vélo", level=1)).to_be_visible()
    finally:
        context.close()


def test_officer_edits_a_project_in_the_side_panel_from_the_board_and_the_list(
    page, transactional_db, assert_accessible
):
    OfficerFactory(username="camille", password=PASSWORD)
    CoachFactory(username="julien", first_name="Julien", last_name="Perrin")
    project = ProjectFactory(name="Atelier vélo", stage="idea", status="applicant")
    log_in(page, "camille", PASSWORD)
    page.goto("/projects/board/")
    page.get_by_role("link", name="Atelier vélo").click()
    panel = page.get_by_role("dialog", name="Atelier vélo")
    expect(panel).to_be_visible()
    expect(page.locator(":focus")).to_have_text("Atelier vélo")
    assert_accessible(page)

    panel.get_by_label("Statut du suivi").select_option(label="En accompagnement")
    panel.get_by_role("button", name="Enregistrer l'étape et le statut").click()
    expect(panel.get_by_role("status")).to_contain_text("Étape et statut enregistrés")
    panel.get_by_label("Accompagnateur·rice").select_option(label="Julien Perrin")
    panel.get_by_role("button", name="Enregistrer l'accompagnement").click()
    expect(panel.get_by_role("status")).to_contain_text("Accompagnement enregistré")
    expect(panel).to_contain_text("Julien Perrin")
    assert_accessible(page)

    # Escape closes the panel; the focus goes back to the card, the board shows the change.
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page.locator(f"#card-{project.pk} .badge")).to_have_text("En accompagnement")
    assert _focused_card(page) == str(project.pk)

    # From the list: a stale panel is refused with a clear message, nothing overwritten.
    page.goto("/projects/")
    page.get_by_role("link", name="Atelier vélo").click()
    expect(panel).to_be_visible()
    # Meanwhile somebody else edits the project's record.
    stored = Project.objects.get(pk=project.pk)
    stored.summary = "Réparation de vélos"
    save_if_unchanged(stored, expected_version=stored.version, update_fields=["summary"])
    panel.get_by_label("Statut du suivi").select_option(label="Sorti")
    panel.get_by_label("Motif de sortie").select_option(index=1)
    panel.get_by_role("button", name="Enregistrer l'étape et le statut").click()
    expect(panel.get_by_role("alert")).to_contain_text("modifié par quelqu'un d'autre")
    assert Project.objects.get(pk=project.pk).status == "active"
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(page.locator(":focus")).to_have_text("Atelier vélo")
