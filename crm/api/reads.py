"""API reads of personal data in the access log: one line per token and day, counting the
requests, rather than a line per request (a nightly sync reads thousands of pages)."""

import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import AccessEvent, AccessEventKind
from crm.security import audit


def log_api_read(request, *, resource: str) -> None:
    """Count one read of personal data (`resource`: people, projects…) on today's line of
    the request's token (or of the user, for a session), creating it on the first read."""
    token = getattr(request, "auth", None)
    token = token if hasattr(token, "key_hash") else None
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    lines = AccessEvent.objects.filter(
        kind=AccessEventKind.API_READ, user=request.user, api_token=token, at__gte=start
    )
    if lines.update(reads=F("reads") + 1):
        return
    event = audit.log_access_event(
        kind=AccessEventKind.API_READ,
        request=request,
        detail=_("Lectures par l'API (jeton « %(token)s »), d'abord : %(resource)s")
        % {"token": token.name if token else _("session"), "resource": resource},
    )
    AccessEvent.objects.filter(pk=event.pk).update(api_token=token, reads=1)
