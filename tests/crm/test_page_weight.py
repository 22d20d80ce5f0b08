"""Page weight (issue 22): the main pages stay under 150 KB of HTML, CSS and JavaScript
once gzipped. `make bench` weighs every page at every scale; this weighs the main ones
through the test client, reading the linked files from the static files finders."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from crm.devtools.bench.weight import PAGE_WEIGHT_LIMIT_KB, linked_assets, page_weight
from tests.factories import MeetingFactory, ProjectFactory


def _static(url: str) -> bytes:
    path = url.split("?", 1)[0].removeprefix(settings.STATIC_URL).removeprefix("/static/")
    found = finders.find(path)
    assert found, f"linked file not found: {url}"
    return Path(found).read_bytes()


def test_linked_assets_are_found_once_each():
    html = (
        '<link rel="stylesheet" href="/static/a.css"><script src="/static/a.js" defer></script>'
        '<link rel="icon" href="/static/f.svg"><script src="/static/a.js"></script>'
    )
    assert linked_assets(html) == ["/static/a.css", "/static/a.js"]


@pytest.mark.django_db
def test_the_main_pages_weigh_less_than_the_limit(client, officer, coach):
    for _n in range(12):
        project = ProjectFactory(coach=coach, officer=officer)
        MeetingFactory(project=project)
    pages = [
        reverse("crm:home"),
        reverse("crm:project-list"),
        reverse("crm:project-board"),
        reverse("crm:project-detail", args=[project.pk]),
        reverse("followups:meeting-create", args=[project.pk]),
        reverse("followups:my-work"),
        reverse("reports:dashboard"),
    ]
    client.force_login(officer)
    sizes = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        weight = page_weight(response.content, _static, sizes)
        assert weight.files >= 1, url
        assert weight.total_kb < PAGE_WEIGHT_LIMIT_KB, f"{url}: {weight.total_kb:.1f} KB"
