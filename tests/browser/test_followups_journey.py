"""A coach logs a meeting with two next steps from the project's meetings page, finds them
on "my work" and marks one done; an officer prints an attendance sheet."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from followups.models import Action, Attendance, Meeting
from tests.browser.conftest import log_in
from tests.factories import (
    CoachFactory,
    EventFactory,
    OfficerFactory,
    PersonFactory,
    ProjectFactory,
)

PASSWORD = "correct-horse-battery"


def test_coach_logs_a_meeting_with_two_next_steps_and_completes_one(
    page, phone_page, transactional_db, assert_accessible
):
    coach = CoachFactory(username="julien", password=PASSWORD, first_name="Julien")
    project = ProjectFactory(name="Vélo-école de Créteil", coach=coach, hours_allocated=20)
    log_in(page, "julien", PASSWORD)
    page.goto(f"/projects/{project.pk}/meetings/")
    expect(page.get_by_role("heading", name="Rendez-vous – Vélo-école de Créteil")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Consigner un rendez-vous").click()
    expect(page.get_by_role("heading", name="Consigner un rendez-vous")).to_be_visible()
    assert_accessible(page)

    # Date and duration are chosen, never prefilled: the quick picks fill them.
    assert page.get_by_label("Date et heure").input_value() == ""
    page.get_by_role("button", name="Il y a 1 h").click()
    assert page.get_by_label("Date et heure").input_value() != ""
    page.get_by_role("button", name="1 h 30").click()
    assert page.get_by_label("Durée (minutes)").input_value() == "90"
    page.get_by_label("Compte rendu").fill("Plan de financement relu ensemble.")
    soon = timezone.localdate() + datetime.timedelta(days=2)
    later = timezone.localdate() + datetime.timedelta(days=30)
    steps = page.locator(".step-row")
    steps.nth(0).get_by_label("Prochaine étape").fill("Envoyer le budget prévisionnel")
    steps.nth(0).get_by_label("Échéance").fill(soon.isoformat())
    steps.nth(1).get_by_label("Prochaine étape").fill("Appeler France Active")
    steps.nth(1).get_by_label("Échéance").fill(later.isoformat())
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    page.wait_for_url("**/meetings/*/")
    expect(page.get_by_text("Le rendez-vous est enregistré.")).to_be_visible()
    expect(page.get_by_text("Envoyer le budget prévisionnel")).to_be_visible()
    assert_accessible(page)
    assert Meeting.objects.get().actions.count() == 2

    page.get_by_role("link", name="Mon travail").click()
    page.wait_for_url("**/my-work/")
    expect(page.get_by_text("Envoyer le budget prévisionnel", exact=True)).to_be_visible()
    expect(page.get_by_text("Appeler France Active", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Fait : Envoyer le budget prévisionnel").click()
    page.wait_for_url("**/my-work/")
    expect(page.get_by_text("Action « Envoyer le budget prévisionnel » faite.")).to_be_visible()
    assert page.locator(".action-list").get_by_text("Envoyer le budget prévisionnel").count() == 0
    assert Action.objects.filter(done_on__isnull=False).count() == 1

    # The same page works on a phone.
    log_in(phone_page, "julien", PASSWORD)
    phone_page.goto("/my-work/")
    expect(phone_page.get_by_text("Appeler France Active", exact=True)).to_be_visible()
    assert_accessible(phone_page)


def test_officer_records_attendance_and_opens_the_sheet(page, transactional_db, assert_accessible):
    OfficerFactory(username="camille", password=PASSWORD)
    project = ProjectFactory(name="Recyclerie de Vitry")
    person = project.people.get()
    event = EventFactory(title="Atelier marchés réservés", capacity=12)
    Attendance.objects.create(event=event, person=person, project=project)
    log_in(page, "camille", PASSWORD)
    page.get_by_role("link", name="Ateliers").click()
    assert_accessible(page)
    page.get_by_role("link", name="Atelier marchés réservés").click()
    assert_accessible(page)
    # A second person is registered by typing part of a name, not by scrolling a list of all.
    newcomer = PersonFactory(first_name="Nadia", last_name="Ouardi")
    page.get_by_role("combobox", name="Personne").press_sequentially("ouar")
    page.get_by_role("listbox", name="Personne").get_by_role("option").first.click()
    page.get_by_role("combobox", name="Pour le projet").press_sequentially("recyc")
    page.get_by_role("listbox", name="Pour le projet").get_by_role(
        "option", name="Recyclerie de Vitry"
    ).click()
    page.get_by_role("button", name="Inscrire", exact=True).click()
    expect(page.get_by_label(f"Présence de {newcomer}")).to_be_visible()
    page.get_by_label(f"Présence de {person}").select_option("attended")
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Présences enregistrées (1 modifiée(s)).")).to_be_visible()
    page.get_by_role("link", name="Feuille d'émargement").click()
    expect(page.get_by_role("columnheader", name="Signature")).to_be_visible()
    expect(page.get_by_text(person.last_name.upper())).to_be_visible()
    assert_accessible(page)
