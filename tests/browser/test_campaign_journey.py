"""An officer records a +1 year measure from "Mon travail" (the campaign's task), the ESF+
answers of the project, an instalment paid; the dashboard and the payment schedule show it."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from crm.intake.services.calls import call_application_decide
from crm.models import MeasureKind, ProjectMeasure
from crm.projects.measures import add_months
from followups.campaigns import campaign_run
from followups.models import Action
from tests.browser.conftest import log_in
from tests.factories import CallApplicationFactory, CallFactory, OfficerFactory, ProjectFactory


def test_officer_records_the_campaign_measure_and_a_payment_then_reads_them(
    page, transactional_db, assert_accessible
):
    today = timezone.localdate()
    officer = OfficerFactory(username="camille", password="correct-horse-battery")
    project = ProjectFactory(
        name="Recyclerie de Créteil",
        stage="launch",
        entry_date=datetime.date(2023, 1, 10),
        exit_date=add_months(today, -13),
        status="completed",
        officer=officer,
        esf_funded=True,
    )
    application = CallApplicationFactory(
        call=CallFactory(year=today.year), project=project, amount_requested=4000
    )
    call_application_decide(
        application=application, by=officer, decision="winner", amount_awarded=4000
    )
    campaign_run()
    assert Action.objects.get(project=project).measure_kind == MeasureKind.ONE_YEAR

    log_in(page, "camille", "correct-horse-battery")
    page.goto("/my-work/")
    expect(page.get_by_text("Mesure à +1 an", exact=True)).to_be_visible()
    page.get_by_role("link", name="Saisir la mesure : Recyclerie de Créteil").click()
    expect(page.get_by_role("heading", name="Mesure à +1 an")).to_be_visible()
    page.get_by_label("Date de la mesure").fill(today.isoformat())
    page.get_by_label("Emplois en CDI (personnes)").fill("3")
    page.get_by_role("radio", name="Oui").check()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la mesure").click()
    expect(page.get_by_text("La mesure est enregistrée.")).to_be_visible()
    expect(page.get_by_text("Mesure à +1 an", exact=True)).to_have_count(0)
    measure = ProjectMeasure.objects.get(project=project)
    assert measure.kind == MeasureKind.ONE_YEAR and measure.turnover is None
    assert Action.objects.get(project=project).done_on is not None

    page.get_by_role("link", name="Mesures de suivi").click()
    expect(page.get_by_role("heading", name="Campagne de mesures de suivi")).to_be_visible()
    assert_accessible(page)

    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Données FSE+ du participant").click()
    page.get_by_label("Situation sur le marché du travail à l'entrée").select_option(
        "long_term_unemployed"
    )
    page.get_by_role("group", name="Personne handicapée").get_by_label(
        "Ne souhaite pas répondre"
    ).check()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Les données FSE+ sont enregistrées.")).to_be_visible()

    page.goto(f"/calls/applications/{application.pk}/")
    new = page.locator("form", has=page.get_by_role("button", name="Ajouter à l'échéancier"))
    new.get_by_label("Montant (€)").fill("1500")
    new.get_by_label("Échéance").fill(today.isoformat())
    page.get_by_role("button", name="Ajouter à l'échéancier").click()
    expect(page.get_by_text("Versement ajouté à l'échéancier.")).to_be_visible()
    pay = page.locator("form.inline-form")
    pay.get_by_label("Versé le").fill(today.isoformat())
    pay.get_by_label("Référence").fill("MDT-42")
    page.get_by_role("button", name="Marquer payé").click()
    expect(page.get_by_text("Versement enregistré comme payé.")).to_be_visible()
    page.get_by_role("link", name="Échéancier de toutes les subventions").click()
    expect(page.get_by_role("cell", name="MDT-42")).to_be_visible()

    page.goto("/reports/")
    calls = page.locator("#section-calls")
    calls.get_by_text("Voir les chiffres en tableau").click()
    row = calls.get_by_role("row").filter(has_text=str(today.year))
    # Awarded 4,000, paid 1,500, left to pay 2,500 (French number formatting).
    expect(row).to_contain_text(re.compile(r"1\s?500"))
    expect(row).to_contain_text(re.compile(r"2\s?500"))
    survival = page.locator("#section-survival")
    expect(survival.get_by_role("heading")).to_have_text(
        "Survie des structures par année de création"
    )
    esf = page.locator("#section-esf")
    expect(esf.get_by_role("heading")).to_have_text("Indicateurs communs du FSE+")
    assert_accessible(page)
