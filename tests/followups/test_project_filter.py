import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MeetingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_project_list_filters_projects_without_a_meeting_for_n_days(client, officer):
    quiet = ProjectFactory(name="Projet silencieux")
    busy = ProjectFactory(name="Projet suivi")
    MeetingFactory(project=quiet, start=timezone.now() - datetime.timedelta(days=90))
    MeetingFactory(project=busy, start=timezone.now() - datetime.timedelta(days=10))
    client.force_login(officer)
    content = client.get(reverse("crm:project-list"), {"no_meeting_days": 60}).content.decode()
    assert "Projet silencieux" in content and "Projet suivi" not in content


def test_a_bad_number_of_days_is_named(client, officer):
    client.force_login(officer)
    content = client.get(reverse("crm:project-list"), {"no_meeting_days": "0"}).content.decode()
    assert "Sans rendez-vous depuis (jours)" in content
    assert "supérieure ou égale à 1" in content
