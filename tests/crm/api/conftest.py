import pytest
from rest_framework.test import APIClient

from crm.api.tokens import token_create


@pytest.fixture
def api():
    """A client of the API that carries a user's token: `api(user)`."""

    def client_for(user):
        _token, key = token_create(user=user, name="BI")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        client.token = _token
        return client

    return client_for
