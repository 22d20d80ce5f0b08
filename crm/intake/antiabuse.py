"""The public form's defences against robots and floods: a signed, single-use start token
and a rate limit per client address, both kept in Django's cache.

With CACHE_URL=redis://… every worker sees the same tokens and counters; the default
locmem:// cache is per process, fine for one server process (development, `make run`).
Counting uses the cache's atomic operations (add, then incr), so two workers sharing one
cache share one bucket.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

TOKEN_SALT = "crm.registration.started"
# A form left open longer than this must be reloaded (the token is refused).
TOKEN_MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class StartToken:
    seconds_open: float
    key: str


def started_token(*, at: float | None = None) -> str:
    """A signed token put in the form when it is displayed (`at`, a Unix time, defaults to
    now), with a random id that a successful submission consumes."""
    started = time.time() if at is None else at
    return signing.dumps({"at": started, "id": secrets.token_urlsafe(16)}, salt=TOKEN_SALT)


def read_token(token: str) -> StartToken | None:
    """The token's age and cache key; None if forged, stale or of an older kind."""
    try:
        payload = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        started, token_id = float(payload["at"]), str(payload["id"])
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        return None
    return StartToken(seconds_open=time.time() - started, key=f"registration-token:{token_id}")


def token_used(token: StartToken) -> bool:
    return cache.get(token.key) is not None


def consume_token(token: StartToken) -> bool:
    """Mark the token used; False if it already was (by this or another worker: add is
    atomic, so of two simultaneous submissions only one gets True)."""
    # Past TOKEN_MAX_AGE the signature check refuses the token anyway.
    return cache.add(token.key, 1, timeout=TOKEN_MAX_AGE + 60)


def release_token(token: StartToken) -> None:
    """Give the token back when the submission it carried was not recorded after all."""
    cache.delete(token.key)


def rate_key(address: str) -> str:
    # Hash the address: the cache (and the log) need not hold the IP itself.
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"registration-rate:{digest}"


def count_attempt(address: str) -> int:
    """Count one submission from `address` in the current window; return the count."""
    key = rate_key(address)
    window = settings.REGISTRATION_RATE_WINDOW
    for _attempt in range(3):
        if cache.add(key, 1, timeout=window):
            return 1
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr: start a new one
            continue
        if count == 1:
            # Redis' INCR recreated a key that expired just before it, without a timeout:
            # give it one, or this address would stay counted for ever.
            cache.touch(key, window)
        return count
    return 1


def over_rate_limit(address: str) -> bool:
    """Count this attempt; True once the address has used its allowance for the window."""
    return count_attempt(address) > settings.REGISTRATION_RATE_LIMIT
