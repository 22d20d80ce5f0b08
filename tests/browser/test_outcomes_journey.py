"""An officer records a +1 year measure on a project (unknown figures left empty), then
schedules and pays an instalment of its grant; the payment schedule shows it."""

import datetime

from playwright.sync_api import expect

from crm.intake.services.calls import call_application_decide
from crm.models import ProjectMeasure
from tests.browser.conftest import log_in
from tests.factories import CallApplicationFactory, CallFactory, OfficerFactory, ProjectFactory


def test_officer_records_a_measure_and_an_instalment_paid(
    page, transactional_db, assert_accessible
):
    officer = OfficerFactory(username="camille", password="correct-horse-battery")
    project = ProjectFactory(
        name="Recyclerie de Créteil",
        entry_date=datetime.date(2024, 1, 10),
        exit_date=datetime.date(2025, 1, 31),
        status="completed",
    )
    application = CallApplicationFactory(
        call=CallFactory(year=2026), project=project, amount_requested=4000
    )
    call_application_decide(
        application=application, by=officer, decision="winner", amount_awarded=4000
    )

    log_in(page, "camille", "correct-horse-battery")
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Enregistrer une mesure").click()
    page.get_by_label("Moment").select_option("one_year")
    page.get_by_label("Date de la mesure").fill("2026-01-31")
    page.get_by_label("Emplois en CDI (personnes)").fill("3")
    page.get_by_role("radio", name="Oui").check()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la mesure").click()
    expect(page.get_by_text("La mesure est enregistrée.")).to_be_visible()
    expect(page.get_by_role("cell", name="1 an après la sortie")).to_be_visible()
    assert_accessible(page)
    measure = ProjectMeasure.objects.get(project=project)
    assert measure.jobs_permanent == 3 and measure.turnover is None

    page.goto(f"/calls/applications/{application.pk}/")
    new = page.locator("form", has=page.get_by_role("button", name="Ajouter à l'échéancier"))
    new.get_by_label("Montant (€)").fill("1500")
    new.get_by_label("Échéance").fill("2026-09-15")
    page.get_by_role("button", name="Ajouter à l'échéancier").click()
    expect(page.get_by_text("Versement ajouté à l'échéancier.")).to_be_visible()
    pay = page.locator("form.inline-form")
    pay.get_by_label("Versé le").fill("2026-09-20")
    pay.get_by_label("Référence").fill("MDT-42")
    page.get_by_role("button", name="Marquer payé").click()
    expect(page.get_by_text("Versement enregistré comme payé.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Échéancier de toutes les subventions").click()
    expect(page.get_by_role("heading", name="Septembre 2026")).to_be_visible()
    expect(page.get_by_role("cell", name="MDT-42")).to_be_visible()
    assert_accessible(page)
