"""Personal API tokens: made, found and revoked here only. The key is shown once; the
database keeps its SHA-256."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core import permissions
from crm.models import ApiToken

# last_used_at is written at most this often per token, not on every request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user, name: str, expires_on: datetime.date | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its key, which is never stored."""
    permissions.require(permissions.can_use_api(user))
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("La date d'expiration est déjà passée.")})
    key = secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, key_hash=hash_key(key), prefix=key[:8])
    token.expires_on = expires_on
    token.full_clean()
    token.save()
    return token, key


def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke one of `by`'s own tokens (the caller fetched it through visible_to)."""
    if token.user_id != by.pk:
        raise ValidationError(_("Ce jeton n'est pas le vôtre."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The usable token of an active user holding `key`, or None (one query)."""
    if not key:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(key_hash=hash_key(key), user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
    return token
