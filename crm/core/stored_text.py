"""Text the application writes into records (a stage change's note, a decision's reason)
stored once in the default language and translated when shown.

A writer stores `app_text(MSGID, **values)`: the French source, never the writer's own
language, so the record reads the same for everyone. A page shows it through
`translate_stored(text)` (template filter `stored_text` in crm/templatetags/formatting.py),
which recognises the messages registered with `register_stored` (those with placeholders
too) and gives them in the reader's language; anything else, typed by a person, is shown
as typed."""

import re

from django.utils.translation import gettext, gettext_noop

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_REGISTERED: dict[str, re.Pattern | None] = {}


def register_stored(*msgids: str) -> None:
    """Declare messages the application stores (mark them with gettext_noop)."""
    for msgid in msgids:
        if _PLACEHOLDER.search(msgid):
            parts = _PLACEHOLDER.split(msgid)
            pattern = "".join(
                re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*?)"
                for i, part in enumerate(parts)
            )
            _REGISTERED[msgid] = re.compile(f"^{pattern}$", re.DOTALL)
        else:
            _REGISTERED[msgid] = None


def app_text(msgid: str, **values) -> str:
    """The stored form: the untranslated source with its values."""
    register_stored(msgid)
    return msgid % values if values else msgid


def translate_stored(text: str | None) -> str:
    if not text:
        return text or ""
    if text in _REGISTERED:
        return gettext(text)
    for msgid, pattern in _REGISTERED.items():
        if pattern is not None and (match := pattern.match(text)):
            return gettext(msgid) % match.groupdict()
    return text


# The messages the application writes into records, in one place so that every process
# recognises them whatever it imported (the demo data's too).
ONLINE_REGISTRATION = gettext_noop("Inscription par le formulaire en ligne.")
REGISTRATION_RECEIVED = gettext_noop("Inscription reçue.")
IMPORT_CREATED = gettext_noop("Créé par import de fichier.")
IMPORT_STAGE = gettext_noop("Étape mise à jour par import.")
REDIRECTED = gettext_noop("Réorientée vers %(partner)s : %(reason)s")
DECLINED = gettext_noop("Candidature refusée : %(reason)s")
register_stored(
    ONLINE_REGISTRATION, REGISTRATION_RECEIVED, IMPORT_CREATED, IMPORT_STAGE, REDIRECTED, DECLINED
)
