"""An officer erases a person's data from their page, through the confirmation."""

from playwright.sync_api import expect

from contacts.models import Erasure
from followups.models import Meeting
from tests.browser.conftest import log_in
from tests.factories import MeetingFactory, OfficerFactory, PersonFactory, ProjectFactory


def officer_logs_in(page):
    OfficerFactory(username="camille", password="correct-horse-battery")
    log_in(page, "camille", "correct-horse-battery")


def test_officer_erases_a_person_after_confirming(page, transactional_db, assert_accessible):
    person = PersonFactory(first_name="Zoé", last_name="Vanderstraeten", phone="0611223344")
    project = ProjectFactory(
        name="Ressourcerie", lead=person, status="exited", exit_reason="completed"
    )
    MeetingFactory(project=project, summary="Zoé Vanderstraeten présente son budget.")
    officer_logs_in(page)
    page.goto(person.get_absolute_url())
    page.get_by_role("link", name="Effacer les données personnelles…").click()
    expect(page.get_by_role("heading", name="Ce qui sera effacé")).to_be_visible()
    expect(page.get_by_role("heading", name="Ce qui reste (anonyme)")).to_be_visible()
    assert_accessible(page)

    # Without the confirmation box, nothing goes and the error names the box.
    page.get_by_role("button", name="Effacer définitivement").click()
    expect(page.get_by_role("alert")).to_contain_text("Cochez la case pour confirmer")
    assert not Erasure.objects.exists()
    assert_accessible(page)

    page.get_by_label("Je confirme l'effacement définitif").check()
    page.get_by_role("button", name="Effacer définitivement").click()
    page.wait_for_url(f"**{person.get_absolute_url()}")
    expect(page.get_by_text("Données d'identification effacées le")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Anonyme N° {person.pk}")
    assert Meeting.objects.get(project=project).summary == "[effacé] présente son budget."
    assert_accessible(page)
