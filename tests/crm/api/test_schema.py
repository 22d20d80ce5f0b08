"""The OpenAPI schema validates (drf-spectacular's own check) and the documentation page
loads only our own static files, with no inline script."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_a_warning(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yml"),
        stdout=io.StringIO(),
    )
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/projects/", "/api/v1/meetings/", "/api/v1/projects/{id}/stage/"):
        assert f"{path}:" in schema


def test_the_docs_page_loads_only_local_files_and_no_inline_script(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources and all(src.startswith("/static/") for src in sources)
    assert "<script>" not in html and "<style" not in html and "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert client.get("/api/v1/schema/").status_code == 200
