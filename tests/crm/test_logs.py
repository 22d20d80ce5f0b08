"""Request logs (crm.core.logs): the request id, one line per request, LOG_FORMAT=json."""

import io
import json
import logging
import logging.config

import pytest
from django.urls import reverse

from crm.core.logs import logging_config, request_id_from


def _request_lines(caplog):
    return [record for record in caplog.records if record.name == "crm.request"]


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept_and_sent_back(client):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="lb-7f3a.42:1")
    assert response["X-Request-ID"] == "lb-7f3a.42:1"


@pytest.mark.parametrize("header", [None, "", "a b", "x\nforged line", "é", "-lead", "a" * 129])
def test_an_absent_or_insane_request_id_is_replaced_by_a_new_one(header):
    made = request_id_from(header)
    assert made != header and len(made) == 32 and int(made, 16) >= 0


@pytest.mark.django_db
def test_each_request_writes_one_line_with_status_duration_user_and_id(client, officer, caplog):
    client.force_login(officer)
    with caplog.at_level(logging.INFO, logger="crm.request"):
        response = client.get(reverse("crm:project-list"), HTTP_X_REQUEST_ID="req-1")
    [line] = _request_lines(caplog)
    assert (line.method, line.path, line.status) == ("GET", "/projects/", 200)
    assert line.user_id == officer.pk
    assert line.request_id == "req-1" == response["X-Request-ID"]
    assert line.duration_ms > 0


@pytest.mark.django_db
def test_healthz_and_static_files_are_not_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="crm.request"):
        client.get(reverse("healthz"))
        client.get("/static/crm/app.css")
        client.get(reverse("login"))
    assert [line.path for line in _request_lines(caplog)] == ["/accounts/login/"]
    assert _request_lines(caplog)[0].user_id is None


def test_json_format_writes_one_object_a_line_with_the_request_id():
    stream = io.StringIO()
    config = logging_config(log_format="json", level="INFO")
    config["handlers"]["console"]["stream"] = "ext://sys.stdout"
    formatter = logging.config.DictConfigurator(config).configure_formatter(
        config["formatters"]["json"]
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    from crm.core.logs import RequestIdFilter, request_id_var

    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tests.json")
    logger.addHandler(handler)
    token = request_id_var.set("abc")
    try:
        logger.warning("GET /x 200", extra={"status": 200, "user_id": 7, "duration_ms": 3.2})
    finally:
        request_id_var.reset(token)
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["message"] == "GET /x 200"
    assert (line["level"], line["logger"], line["request_id"]) == ("WARNING", "tests.json", "abc")
    assert (line["status"], line["user_id"], line["duration_ms"]) == (200, 7, 3.2)
    assert "time" in line
