"""Per-token throttling and the anonymous open-data endpoint (off by default)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import ProjectFactory, commune

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_each_token_is_throttled_on_its_own(api, settings, officer, coach):
    settings.API_THROTTLE_RATE = "2/minute"
    first, second = api(officer), api(coach)
    assert [first.get("/api/v1/projects/").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/api/v1/projects/").status_code == 200


def test_open_data_is_off_by_default(settings):
    assert settings.API_OPEN_DATA is False
    assert APIClient().get("/api/v1/open-data/projects/").status_code == 404


def test_open_data_counts_projects_by_commune_stage_and_year_without_names(settings):
    settings.API_OPEN_DATA = True
    ProjectFactory(name="Épicerie de Nadia Benali", stage="launch")
    ProjectFactory(stage="launch")
    ProjectFactory(stage="idea", commune=commune("Alfortville"))
    response = APIClient().get("/api/v1/open-data/projects/")
    assert response.status_code == 200
    rows = {(r["commune"], r["stage"], r["year"]): r["projects"] for r in response.json()}
    assert rows == {("Créteil", "launch", 2025): 2, ("Alfortville", "idea", 2025): 1}
    assert "Benali" not in response.content.decode()
