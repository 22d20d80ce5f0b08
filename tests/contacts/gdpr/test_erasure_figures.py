"""The dashboard's figures are the very same before and after erasing everyone in it."""

import pytest
from django.utils import translation

from contacts.gdpr.erasure import person_erase
from contacts.models import Person
from crm.models import Project
from reports.selectors.dashboard import dashboard_figures
from reports.selectors.period import year_period


def figures(users):
    result = []
    with translation.override("fr"):
        for user in users:
            projects = Project.objects.visible_to(user).current()
            for year in (2025, 2026):
                result.append(dashboard_figures(user, projects, year_period(year)))
    return result


@pytest.mark.slow
def test_every_dashboard_figure_is_identical_after_erasing_every_person(world, officer, coach):
    before = figures([officer, coach])
    assert before[1]["funnel"]  # the world has figures to compare
    for person in Person.objects.all():
        person_erase(person=person, force=True, reason="Essai d'effacement complet")
    assert set(Person.objects.values_list("first_name", flat=True)) == {"Anonyme"}
    assert figures([officer, coach]) == before


@pytest.mark.slow
def test_every_dashboard_figure_is_identical_after_a_retention_run(world, officer, coach):
    import datetime

    from django.utils import timezone

    from contacts.gdpr.archives import elimination_approve, elimination_execute, elimination_propose

    before = figures([officer, coach])
    later = datetime.date(2040, 1, 1)
    anonymised = 0
    for elimination in elimination_propose(today=later):
        elimination_approve(
            elimination=elimination, approved_on=timezone.localdate(), reference="T", by=officer
        )
        anonymised += elimination_execute(elimination=elimination, today=later)[0]
    # The exited project's lead and the applicants fall due; the accompanied stay.
    assert anonymised >= 2
    assert Person.objects.filter(first_name="Anonyme").count() == anonymised
    assert figures([officer, coach]) == before
