""" "Mon travail" lists a page of actions per section, counts them all, and shows the rest
of one section on request: an owner of thousands of open steps still gets a quick page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.selectors import ACTIONS_SHOWN
from tests.factories import ActionFactory, ProjectFactory


@pytest.mark.django_db
def test_each_section_lists_a_page_counts_all_and_shows_the_rest_on_request(client, coach):
    project = ProjectFactory(coach=coach, status="active")
    today = timezone.localdate()
    for day in range(ACTIONS_SHOWN + 3):
        ActionFactory(
            project=project,
            owner=coach,
            title=f"Relance numéro {day:02d}",
            created_on=today - datetime.timedelta(days=90),
            due_on=today - datetime.timedelta(days=60 - day),
        )
    client.force_login(coach)
    url = reverse("followups:my-work")
    content = client.get(url).content.decode()
    assert f'En retard <span class="count">{ACTIONS_SHOWN + 3}</span>' in content
    # The most overdue first; the last three are counted, not listed.
    assert "Relance numéro 00" in content
    assert f"Relance numéro {ACTIONS_SHOWN - 1:02d}" in content
    assert f"Relance numéro {ACTIONS_SHOWN:02d}" not in content
    assert "… et 3 autres actions" in content
    assert 'href="?all=overdue#work-overdue"' in content

    content = client.get(url, {"all": "overdue"}).content.decode()
    assert f"Relance numéro {ACTIONS_SHOWN + 2:02d}" in content
    assert "autres actions" not in content
