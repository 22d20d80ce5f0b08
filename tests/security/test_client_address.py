"""crm.security.network.client_address: the one client address the app trusts, directly
exposed or behind the configured number of proxies, whatever a client puts in the header."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from crm.config import env
from crm.security.network import client_address
from tests.network import BEHIND_LOAD_BALANCER, BEHIND_NGINX, DIRECT, NETWORKS, configure

CLIENT = "203.0.113.7"
FORGED = "198.51.100.66"
ROOT = Path(__file__).resolve().parents[2]


def resolve(**meta) -> str | None:
    return client_address(RequestFactory().get("/", **meta))


@pytest.mark.parametrize("network", NETWORKS, ids=lambda network: network.name)
@pytest.mark.parametrize("forged", [None, FORGED, "unknown", "1.2.3.4, 5.6.7.8"])
def test_the_real_client_is_found_whatever_it_sends(settings, network, forged):
    configure(settings, network)
    assert resolve(**network.meta(CLIENT, forged=forged)) == CLIENT


def test_nginx_headers_are_shaped_as_nginx_builds_them():
    # Client sent no header: nginx sends the client alone; a forged one is kept on the left.
    assert BEHIND_NGINX.meta(CLIENT) == {"REMOTE_ADDR": "10.0.0.3", "HTTP_X_FORWARDED_FOR": CLIENT}
    assert BEHIND_NGINX.meta(CLIENT, forged=FORGED)["HTTP_X_FORWARDED_FOR"] == f"{FORGED}, {CLIENT}"
    assert BEHIND_LOAD_BALANCER.meta(CLIENT)["HTTP_X_FORWARDED_FOR"] == f"{CLIENT}, 10.0.0.2"


def test_directly_exposed_the_header_is_ignored(settings):
    configure(settings, DIRECT)
    assert resolve(REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=FORGED) == CLIENT


def test_behind_a_proxy_a_client_reaching_the_app_directly_gets_its_own_address(settings):
    # The peer is not one of TRUSTED_PROXIES: its header is the client's own words.
    configure(settings, BEHIND_NGINX)
    assert resolve(REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=FORGED) == CLIENT


def test_only_the_configured_proxies_are_trusted(settings):
    configure(settings, BEHIND_NGINX)
    settings.TRUSTED_PROXIES = ["192.0.2.10/32"]
    assert resolve(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR=CLIENT) == "10.0.0.3"
    assert resolve(REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=CLIENT) == CLIENT


def test_a_request_through_fewer_proxies_than_configured_gets_the_first_proxys_view(settings):
    # Two proxies configured, a request that went through only the inner one: the left-most
    # entry is then the address that proxy saw.
    configure(settings, BEHIND_LOAD_BALANCER)
    meta = BEHIND_NGINX.meta(CLIENT)
    assert resolve(**meta) == CLIENT


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2001:db8::7", "2001:db8::7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("203.0.113.7:51234", CLIENT),
        ("::ffff:203.0.113.7", CLIENT),
        ("not-an-address", "10.0.0.3"),  # garbage from a proxy: the proxy is counted
    ],
)
def test_addresses_as_proxies_write_them(settings, written, expected):
    configure(settings, BEHIND_NGINX)
    assert resolve(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR=written) == expected


def test_a_proxy_that_adds_no_header_is_the_client(settings):
    configure(settings, BEHIND_NGINX)
    assert resolve(REMOTE_ADDR="127.0.0.1") == "127.0.0.1"


def test_a_bad_trusted_proxies_value_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, le-proxy")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES: 'le-proxy'"):
        env.env_networks("TRUSTED_PROXIES", [])


def _settings_value(expression: str, **variables) -> subprocess.CompletedProcess:
    environment = {"PATH": "/usr/bin:/bin", "DEBUG": "1", **variables}
    return subprocess.run(
        [sys.executable, "-c", f"from crm.config import settings as s; print({expression})"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_behind_proxy_trusts_one_proxy_by_default_and_the_count_needs_it():
    assert _settings_value("s.TRUSTED_PROXY_COUNT", BEHIND_PROXY="1").stdout.strip() == "1"
    assert _settings_value("s.TRUSTED_PROXY_COUNT").stdout.strip() == "0"
    refused = _settings_value("s.TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2")
    assert (
        refused.returncode != 0 and "TRUSTED_PROXY_COUNT=2 needs BEHIND_PROXY=1" in refused.stderr
    )
    zero = _settings_value("s.TRUSTED_PROXY_COUNT", BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="0")
    assert zero.returncode != 0 and "TRUSTED_PROXY_COUNT must be at least 1" in zero.stderr


def test_axes_asks_the_same_function():
    from crm.config import settings as production

    assert production.AXES_CLIENT_IP_CALLABLE == "crm.security.network.client_address"
