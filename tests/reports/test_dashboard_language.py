"""The dashboard's cached figures carry their labels: a reader in English after a reader in
French gets the ESF+ situations in English, not the French ones from the cache."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_esf_situations_follow_each_readers_language(client, officer, settings):
    settings.REPORTS_CACHE_SECONDS = 300
    lead = PersonFactory(employment_situation_at_entry="jobseeker")
    ProjectFactory(name="A", entry_date=timezone.localdate(), status="active", lead=lead)
    client.force_login(officer)
    french = client.get(reverse("reports:dashboard")).content.decode()
    assert "Demandeur·se d&#x27;emploi" in french or "Demandeur·se d'emploi" in french

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("reports:dashboard")).content.decode()
    assert "Jobseeker" in english or "Job seeker" in english
    assert "Demandeur·se d" not in english
