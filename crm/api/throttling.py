"""Per-token throttling: API_THROTTLE_RATE requests per token (per user on a session, per
address for the anonymous open-data endpoint)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from crm.security.network import client_address


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self):
        # Read on each request, so that the setting (and a test overriding it) applies.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "key_hash"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{client_address(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
