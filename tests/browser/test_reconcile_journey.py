"""An officer reconciles an online registration typed with a known person's email: the
differences field by field, the fields ticked taken, the application then accepted."""

import datetime

from playwright.sync_api import expect

from contacts.models import Person
from crm.intake.services.registration import registration_submit
from crm.models import Project
from tests.browser.conftest import log_in
from tests.factories import CoachFactory, OfficerFactory, PersonFactory, commune


def test_officer_reconciles_a_registration_with_a_known_person(
    page, transactional_db, assert_accessible
):
    OfficerFactory(username="camille", password="correct-horse-battery", first_name="Camille")
    CoachFactory(username="julien", first_name="Julien", last_name="Martin")
    known = PersonFactory(
        first_name="Nadia", last_name="Benali", email="nadia@exemple.fr", phone=""
    )
    registration_submit(
        first_name="Nadia",
        last_name="Benali",
        email="nadia@exemple.fr",
        phone="06 12 34 56 78",
        commune=commune("Créteil"),
        project_name="Vélo-école du Mont-Mesly",
        description="Apprendre le vélo aux adultes du quartier.",
        stage="idea",
        help_sought="Trouver un local.",
        consent_newsletter=True,
        at=datetime.datetime(2026, 11, 3, 10, tzinfo=datetime.UTC),
    )

    log_in(page, "camille", "correct-horse-battery")
    page.goto("/applications/")
    expect(page.get_by_text("À rapprocher")).to_be_visible()
    page.get_by_role("link", name="Vélo-école du Mont-Mesly").click()
    expect(page.get_by_role("heading", name="À rapprocher avant de décider")).to_be_visible()
    page.get_by_role("link", name="Rapprocher l'inscription").click()
    expect(page.get_by_role("heading", name="Fiches à comparer")).to_be_visible()
    # The known record is proposed first, with why, and compared field by field.
    expect(page.get_by_role("radio", name="Nadia Benali – nadia@exemple.fr")).to_be_checked()
    table = page.get_by_role("table", name="La fiche existante et l'inscription, champ par champ")
    expect(table.get_by_role("row", name="Téléphone")).to_contain_text("+33612345678")
    assert_accessible(page)

    page.get_by_role("checkbox", name="Reprendre : téléphone").check()
    page.get_by_role("button", name="Rapprocher en reprenant les champs cochés").click()
    expect(page.get_by_text("Inscription rapprochée.")).to_be_visible()
    expect(page.get_by_role("heading", name="Rapprochement")).to_be_visible()
    assert_accessible(page)
    known.refresh_from_db()
    # Only the ticked field changed: the consent stays as the officers recorded it.
    assert known.phone == "+33612345678" and not known.consent_newsletter
    assert Person.objects.count() == 1

    page.get_by_label("Accompagnateur·rice").select_option(label="Julien Martin")
    page.get_by_label("Heures d'accompagnement allouées").fill("12")
    page.get_by_role("button", name="Accepter la candidature").click()
    page.wait_for_url("**/applications/")
    project = Project.objects.get()
    assert project.status == "active" and project.members.get().person == known
