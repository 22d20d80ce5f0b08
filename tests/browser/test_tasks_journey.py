"""A coach sets a step on a project without a meeting, postpones it (with a reason),
reassigns it to the officer, marks it done from the actions list and undoes that; each
change is in the project's timeline."""

from playwright.sync_api import expect

from followups.models import Action
from tests.browser.conftest import log_in
from tests.factories import CoachFactory, OfficerFactory, ProjectFactory

PASSWORD = "correct-horse-battery"


def test_create_postpone_reassign_done_and_undo_a_task(page, transactional_db, assert_accessible):
    coach = CoachFactory(username="julien", password=PASSWORD, first_name="Julien")
    officer = OfficerFactory(first_name="Inès", last_name="Roche")
    project = ProjectFactory(name="Recyclerie du Mont-Mesly", coach=coach, officer=officer)
    log_in(page, "julien", PASSWORD)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Nouvelle action").click()
    expect(page.get_by_role("heading", name="Nouvelle action")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Action").fill("Envoyer les statuts")
    page.get_by_label("Échéance").fill("2027-01-15")
    page.get_by_role("button", name="Créer l'action").click()
    expect(page.get_by_text("Action « Envoyer les statuts » créée.")).to_be_visible()

    page.get_by_role("link", name="Reporter : Envoyer les statuts").click()
    expect(page.get_by_role("heading", name="Reporter l'action")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nouvelle échéance").fill("2027-02-15")
    page.get_by_label("Raison du report").fill("La banque répond en février.")
    page.get_by_role("button", name="Reporter").click()
    expect(page.get_by_text("Action « Envoyer les statuts » reportée.")).to_be_visible()
    expect(page.get_by_text("La banque répond en février.", exact=False)).to_be_visible()

    page.goto(f"/actions/?project={project.pk}")
    assert_accessible(page)
    page.get_by_role("link", name="Réattribuer : Envoyer les statuts").click()
    page.get_by_label("Nouveau responsable").select_option(label=str(officer))
    page.get_by_role("button", name="Réattribuer").click()
    expect(page.get_by_text("Action réattribuée : Envoyer les statuts")).to_be_visible()

    page.goto(f"/actions/?project={project.pk}")
    page.get_by_label("Sélectionner : Envoyer les statuts").check()
    page.get_by_role("button", name="Marquer faites les actions sélectionnées").click()
    expect(page.get_by_text("1 action marquée faite.")).to_be_visible()
    assert Action.objects.get().done_on is not None
    page.get_by_role("button", name="Annuler « fait » : Envoyer les statuts").click()
    expect(page.get_by_text("Action « Envoyer les statuts » rouverte.")).to_be_visible()
    action = Action.objects.get()
    assert action.done_on is None and action.owner == officer
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_text("Action rouverte : Envoyer les statuts")).to_be_visible()
