"""Personal API tokens: shown once, stored hashed, refused once revoked, expired or when
their user is deactivated; made from the account page or `manage.py api_token`."""

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from crm.models import ApiToken

pytestmark = pytest.mark.django_db


def _client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_without_a_token_the_api_answers_401_and_names_the_scheme():
    response = APIClient().get("/api/v1/projects/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert _client("not-a-key").get("/api/v1/projects/").status_code == 401


def test_the_command_prints_the_key_last_and_stores_only_its_hash(coach, project):
    out = io.StringIO()
    call_command("api_token", coach.username, stdout=out)
    key = out.getvalue().split()[-1]
    token = ApiToken.objects.get(user=coach)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.key_hash, token.prefix, token.name}
    response = _client(key).get("/api/v1/projects/")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == [project.name]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_expired_or_deactivated_token_stops_at_once(api, coach, project):
    client = api(coach)
    assert client.get("/api/v1/projects/").status_code == 200
    ApiToken.objects.filter(pk=client.token.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client.get("/api/v1/projects/").status_code == 401
    ApiToken.objects.filter(pk=client.token.pk).update(expires_on=None)
    assert client.get("/api/v1/projects/").status_code == 200
    coach.is_active = False
    coach.save()
    assert client.get("/api/v1/projects/").status_code == 401
    coach.is_active = True
    coach.save()
    ApiToken.objects.filter(pk=client.token.pk).update(revoked_at=timezone.now())
    assert client.get("/api/v1/projects/").status_code == 401


def test_a_user_without_a_role_gets_no_token(no_role_user):
    with pytest.raises(Exception, match="no role"):
        call_command("api_token", no_role_user.username, stdout=io.StringIO())


def test_the_account_page_shows_a_new_key_once_then_revokes_it(client, coach, project):
    client.force_login(coach)
    response = client.post("/accounts/api-tokens/", {"name": "Reporting prestataire"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    page = client.get("/accounts/api-tokens/").content.decode()
    assert "Reporting prestataire" in page and key not in page
    assert _client(key).get("/api/v1/projects/").status_code == 200
    token = ApiToken.objects.get(user=coach)
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 302
    assert _client(key).get("/api/v1/projects/").status_code == 401


def test_nobody_revokes_another_users_token(client, coach, other_coach, api):
    theirs = api(other_coach).token
    client.force_login(coach)
    assert client.post(f"/accounts/api-tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_an_expiry_in_the_past_is_refused_on_its_field(client, coach):
    client.force_login(coach)
    response = client.post("/accounts/api-tokens/", {"name": "Vieux", "expires_on": "2020-01-01"})
    assert "expires_on" in response.context["form"].errors
    assert not ApiToken.objects.exists()
