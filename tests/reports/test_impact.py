"""Survival and impact by year of creation, the ESF+ indicators sheet, the EU emblem, and
the activity report's PDF without blank pages."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from crm.models import EsfParticipant, Project, ProjectMeasure, StageChange
from reports.selectors.esf import esf_indicators
from reports.selectors.impact import impact_by_cohort
from tests.factories import CallApplicationFactory, CallFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def created(name, day: str, **kwargs) -> Project:
    """A project whose structure was created (moved into launch) on `day`."""
    project = ProjectFactory(name=name, stage="launch", **kwargs)
    StageChange.objects.create(
        project=project,
        at=datetime.datetime.combine(
            datetime.date.fromisoformat(day), datetime.time(9), datetime.UTC
        ),
        from_stage="feasibility",
        to_stage="launch",
        to_status="active",
    )
    return project


def measure(project, day: str, **figures):
    return ProjectMeasure.objects.create(
        project=project,
        measured_on=datetime.date.fromisoformat(day),
        kind=figures.pop("kind", "free"),
        **figures,
    )


@pytest.fixture
def cohorts(db):
    """2022: A active at 3 years, B closed within a year, C never measured, D closed in its
    second year; 2024: E never measured."""
    a = created("A", "2022-03-01")
    measure(a, "2022-03-01", kind="entry", jobs_permanent=1)
    measure(
        a,
        "2025-06-01",
        still_active=True,
        jobs_permanent=4,
        jobs_fixed_term=1,
        funds_grant=5000,
        funds_honour_loan=10000,
        funds_bank_loan=5000,
    )
    CallApplicationFactory(
        call=CallFactory(year=2022),
        project=a,
        decision="winner",
        amount_requested=5000,
        amount_awarded=5000,
    )
    b = created("B", "2022-05-01")
    measure(b, "2023-01-10", still_active=False)
    created("C", "2022-07-01")
    d = created("D", "2022-09-01")
    measure(d, "2023-10-01", still_active=True, jobs_permanent=2)
    measure(d, "2024-06-01", still_active=False)
    created("E", "2024-02-01")
    ProjectFactory(name="Not created")  # never launched: in no cohort


def test_survival_counts_only_the_known_and_shows_the_unknown(cohorts):
    figures = impact_by_cohort(Project.objects.all(), today=TODAY)
    first, second = figures["cohorts"]
    assert (first.year, first.created, second.year, second.created) == (2022, 4, 2024, 1)
    one, two, three = (first.survival[k] for k in (1, 2, 3))
    assert (one.active, one.closed, one.unknown) == (2, 1, 1)
    assert one.rate == Decimal("66.7") and one.unknown_share == Decimal("25.0")
    assert (two.active, two.closed, two.unknown) == (1, 2, 1) and two.rate == Decimal("33.3")
    assert (three.active, three.closed, three.unknown) == (1, 2, 1)
    # 2024: one year and two years have passed, nothing known; three years not yet.
    assert second.survival[1].eligible == 1 and second.survival[1].rate is None
    assert second.survival[3].eligible == 0
    assert figures["total"].created == 5


def test_jobs_created_and_held_and_funds_leveraged_per_euro(cohorts):
    first = impact_by_cohort(Project.objects.all(), today=TODAY)["cohorts"][0]
    # A: 5 paid jobs now, 1 at entry (created 4, held 1); D: 2 jobs, entry unknown.
    assert (first.jobs_measured, first.jobs_created, first.jobs_held) == (2, 6, 1)
    # A raised 15,000 € besides grants for a 5,000 € award.
    assert first.grants == Decimal(5000) and first.leverage == Decimal("3.00")


def test_the_cohorts_take_one_query_at_any_size(cohorts, django_assert_num_queries):
    with django_assert_num_queries(1):
        impact_by_cohort(Project.objects.all(), today=TODAY)
    for index in range(15):
        project = created(f"More {index}", "2023-04-01")
        measure(project, "2024-05-01", still_active=index % 2 == 0, jobs_permanent=index)
    with django_assert_num_queries(1):
        figures = impact_by_cohort(Project.objects.all(), today=TODAY)
    assert [c.year for c in figures["cohorts"]] == [2022, 2023, 2024]


def test_a_manager_sees_the_survival_table_and_the_list_behind_each_year(client, manager, cohorts):
    client.force_login(manager)
    page = client.get(
        reverse("reports:dashboard"),
        {"period": "custom", "start": "2026-01-01", "end": "2026-11-30"},
    ).content.decode()
    assert "Survie des structures par année de création" in page
    assert "Emplois créés et maintenus par année de création" in page
    assert "Effet levier des subventions par année de création" in page
    assert "66,7" in page  # the 2022 cohort at one year
    link = re.search(r'href="([^"]*created_year=2022[^"]*)"', page).group(1)
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert all(f">{name}<" in listed for name in "ABCD") and ">E<" not in listed


def esf_project(name, *, entry: str, birth_year: int, answers: dict, **kwargs):
    project = ProjectFactory(
        name=name,
        esf_funded=True,
        entry_date=datetime.date.fromisoformat(entry),
        lead=PersonFactory(birth_year=birth_year),
        **kwargs,
    )
    EsfParticipant.objects.create(project=project, **answers)
    return project


def test_the_esf_sheet_counts_each_indicator_of_the_funded_projects(db):
    esf_project(
        "Jeune",
        entry="2026-02-01",
        birth_year=2001,
        answers={
            "labour_status": "long_term_unemployed",
            "education_level": "isced_3_4",
            "disability": "yes",
            "rural_area": "declined",
        },
    )
    esf_project(
        "Senior",
        entry="2026-03-01",
        birth_year=1965,
        answers={"labour_status": "declined", "homeless": "yes"},
        status="completed",
        exit_date=datetime.date(2026, 9, 1),
        situation_at_exit="self_employed",
    )
    ProjectFactory(name="Not ESF", entry_date=datetime.date(2026, 2, 1))
    lines = {
        (group, label): count
        for group, label, count in esf_indicators(
            Project.objects.all(), start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
        )
    }
    assert lines[("Réalisations (entrées)", "Participant·es entré·es sur la période")] == 2
    assert lines[("Situation à l'entrée", "Chômeur·se de longue durée")] == 1
    assert lines[("Situation à l'entrée", "Ne souhaite pas répondre")] == 1
    assert lines[("Âge à l'entrée", "Moins de 30 ans")] == 1
    assert lines[("Âge à l'entrée", "55 ans ou plus")] == 1
    assert lines[("Niveau d'études (CITE)", "CITE 3 ou 4 (lycée, post-bac non supérieur)")] == 1
    assert lines[("Niveau d'études (CITE)", "Non renseigné")] == 1
    assert lines[("Personne handicapée", "Oui")] == 1
    assert lines[("Réside en zone rurale", "Ne souhaite pas répondre")] == 1
    assert lines[("Sans domicile ou exclu·e du logement", "Oui")] == 1
    assert lines[("Résultats à la sortie", "En emploi, y compris indépendant, à la sortie")] == 1


def test_the_esf_sheet_is_one_query_at_any_size(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        esf_indicators(Project.objects.all())
    for index in range(10):
        esf_project(f"P{index}", entry="2026-02-01", birth_year=1990, answers={"minority": "no"})
    with django_assert_num_queries(1):
        esf_indicators(Project.objects.all())


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_activity_report_pdf_has_no_blank_page(client, officer, world, cohorts):
    # The world's dashboard plus cohorts: more than a dozen pages, tall charts among them.
    client.force_login(officer)
    pdf = client.get(
        reverse("reports:bilan-pdf"),
        {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"},
    ).content
    texts = page_texts(pdf)
    assert len(texts) > 5
    footer = re.compile(r"^\s*\d+\s*/\s*\d+\s*$")
    for number, text in enumerate(texts, start=1):
        lines = [line for line in text.splitlines() if line.strip() and not footer.match(line)]
        # A heading left alone at the foot of a page is a blank page in print too.
        assert len(lines) >= 3, f"page {number} is blank: {text!r}"
    whole = "\n".join(texts)
    assert "Survie des structures par année de création" in whole
    assert "Indicateurs communs du FSE+" in whole and "Cofinancé par l'Union européenne" in whole


def test_the_follow_up_sheet_of_an_esf_project_carries_the_eu_funding_line(client, officer):
    funded = ProjectFactory(name="Cofinancé", esf_funded=True)
    other = ProjectFactory(name="Sans FSE")
    client.force_login(officer)
    url = "sheets:project-fiche-pdf"
    funded_text = "".join(page_texts(client.get(reverse(url, args=[funded.pk])).content))
    other_text = "".join(page_texts(client.get(reverse(url, args=[other.pk])).content))
    assert "Cofinancé par l'Union européenne" in funded_text
    assert "Cofinancé par l'Union européenne" not in other_text
