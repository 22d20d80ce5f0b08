"""The "Mon travail" page lists a page of silent projects, not all of them."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import ProjectFactory


@pytest.mark.django_db
def test_my_work_shows_twenty_silent_projects_and_links_to_the_rest(client, coach):
    ProjectFactory.create_batch(23, coach=coach, status="active")
    client.force_login(coach)
    response = client.get(reverse("followups:my-work"))
    assertContains(response, '<span class="count">23</span>', html=True)
    assertContains(response, "… et 3 autres projets : voir la liste")
