"""The optional antivirus hook of uploads: ClamAV's daemon through `clamd`.

With CLAMD_SOCKET set (a unix socket path, or tcp://host:port), every attachment is
streamed to the daemon before it is stored; an infected file is refused with the name of
what was found, and a daemon that does not answer refuses the upload rather than letting an
unscanned file through. Unset, nothing is scanned and the upload page says so.
"""

from urllib.parse import urlsplit

import clamd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SCAN_TIMEOUT_SECONDS = 30


def scanning_enabled() -> bool:
    return bool(settings.CLAMD_SOCKET)


def _daemon():
    where = settings.CLAMD_SOCKET
    if where.startswith("tcp://"):
        parts = urlsplit(where)
        return clamd.ClamdNetworkSocket(
            host=parts.hostname, port=parts.port or 3310, timeout=SCAN_TIMEOUT_SECONDS
        )
    return clamd.ClamdUnixSocket(path=where, timeout=SCAN_TIMEOUT_SECONDS)


def scan(file) -> None:
    """Raise ValidationError if the daemon finds something, or cannot be reached."""
    if not scanning_enabled():
        return
    file.seek(0)
    try:
        result = _daemon().instream(file)
    except (clamd.ConnectionError, OSError):
        raise ValidationError(
            _("L'antivirus ne répond pas : le fichier n'a pas été enregistré. Réessayez."),
            code="scanner_down",
        ) from None
    except clamd.ResponseError:
        result = None
    finally:
        file.seek(0)
    status, signature = (result or {}).get("stream", ("ERROR", ""))
    if status == "FOUND":
        raise ValidationError(
            _("Fichier infecté (%(signature)s) : il a été refusé.") % {"signature": signature},
            code="infected",
        )
    if status != "OK":
        raise ValidationError(
            _("L'antivirus n'a pas pu analyser le fichier : il n'a pas été enregistré."),
            code="scanner_error",
        )
