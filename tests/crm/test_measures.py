"""Outcome measures recorded in the app: unknown stays unknown, who entered what, access."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from crm.models import MeasureKind, ProjectMeasure
from crm.projects.measures import add_months, milestone_due
from tests.crm.test_import import import_file, sample_table
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("crm.migrations.0020_measures_unknown_and_milestones")
OTHER_FIGURES = MIGRATION.OTHER_FIGURES


def _post(client, project, **data):
    return client.post(reverse("crm:measure-create", args=[project.pk]), data)


def test_coach_records_a_one_year_measure_with_unknowns_left_empty(client, coach, project):
    client.force_login(coach)
    response = _post(
        client,
        project,
        kind="one_year",
        measured_on="2026-03-01",
        jobs_permanent="3",
        jobs_volunteer="0",
        turnover="",
        funds_honour_loan="8000",
        still_active="true",
        legal_status="scic",
        siret="",
    )
    assert response.status_code == 302
    measure = ProjectMeasure.objects.get(project=project)
    assert measure.kind == MeasureKind.ONE_YEAR and measure.recorded_by == coach
    assert (measure.jobs_permanent, measure.jobs_volunteer) == (3, 0)
    assert measure.jobs_fixed_term is None and measure.turnover is None
    assert measure.funds_total == Decimal("8000") and measure.still_active is True
    page = client.get(reverse("crm:measure-list", args=[project.pk])).content.decode()
    assert "1 an après la sortie" in page and "inconnu" in page
    assert coach.get_full_name() in page or coach.username in page


def test_a_measure_with_nothing_known_stays_unknown(client, officer, project):
    client.force_login(officer)
    assert _post(client, project, kind="free", measured_on="2026-02-01").status_code == 302
    measure = ProjectMeasure.objects.get(project=project)
    assert measure.jobs is None and measure.funds_total is None and measure.still_active is None
    detail = client.get(project.get_absolute_url()).content.decode()
    assert "inconnu" in detail


def test_a_second_measure_on_the_same_day_names_the_date_field(client, officer, project):
    client.force_login(officer)
    _post(client, project, kind="free", measured_on="2026-02-01")
    response = _post(client, project, kind="exit", measured_on="2026-02-01")
    assert response.status_code == 400
    assert "existe déjà à cette date" in response.content.decode()


def test_an_invalid_siret_is_refused_on_its_field(client, officer, project):
    client.force_login(officer)
    response = _post(client, project, kind="free", measured_on="2026-02-01", siret="123")
    assert response.status_code == 400 and "14 chiffres" in response.content.decode()
    assert not ProjectMeasure.objects.exists()


def test_manager_reads_but_may_not_record(client, manager, project):
    client.force_login(manager)
    assert client.get(reverse("crm:measure-list", args=[project.pk])).status_code == 200
    assert _post(client, project, kind="free", measured_on="2026-02-01").status_code == 403


def test_another_coach_gets_404(client, other_coach, project):
    client.force_login(other_coach)
    assert client.get(reverse("crm:measure-list", args=[project.pk])).status_code == 404
    assert _post(client, project, kind="free", measured_on="2026-02-01").status_code == 404


def test_the_milestone_form_opens_on_its_due_day(client, officer):
    project = ProjectFactory(
        entry_date=datetime.date(2024, 1, 1),
        exit_date=datetime.date(2025, 1, 31),
        status="exited",
        exit_reason="abandoned",
    )
    client.force_login(officer)
    response = client.get(reverse("crm:measure-create", args=[project.pk]) + "?kind=six_months")
    assert response.context["form"].initial["measured_on"] == datetime.date(2025, 7, 31)
    assert milestone_due(project, MeasureKind.THREE_YEARS) == datetime.date(2028, 1, 31)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)


def test_the_import_records_a_grant_without_inventing_zero_jobs(officer):
    import_file(sample_table(), officer)
    measure = ProjectMeasure.objects.get(project__name="Compostage Dubois 1")
    assert measure.funds_grant == Decimal("2500")
    assert measure.jobs is None and measure.turnover is None and measure.still_active is None


def test_the_migration_turns_import_zeros_into_unknowns_and_keeps_typed_figures(project):
    grant_only = ProjectMeasure.objects.create(
        project=project,
        measured_on=datetime.date(2024, 1, 1),
        kind="entry",
        funds_grant=2500,
        **{name: 0 for name in OTHER_FIGURES},
        still_active=True,
    )
    typed = ProjectMeasure.objects.create(
        project=project,
        measured_on=datetime.date(2025, 1, 1),
        kind="yearly",
        jobs_permanent=0,
        jobs_fixed_term=2,
        fte=0,
        turnover=0,
        still_active=True,
    )
    MIGRATION.keep_meaning(apps, None)
    grant_only.refresh_from_db()
    typed.refresh_from_db()
    assert grant_only.jobs_permanent is None and grant_only.still_active is None
    assert grant_only.funds_grant == Decimal("2500")
    assert (typed.kind, typed.jobs_permanent, typed.jobs_fixed_term) == ("free", 0, 2)
