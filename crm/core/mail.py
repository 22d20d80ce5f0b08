"""What every e-mail the app sends shares: its subject and its links.

A line break in a subject is a header injection: Django refuses it (BadHeaderError) and the
e-mail is not sent. Every subject goes through `mail_subject`, which makes one line of it;
subjects are French and say what the reader has to do.

An e-mail is read outside the site, so its links are absolute: `absolute_url` builds them
from the SITE_URL setting (there is no request to ask the host from in a command or a task).
"""

from django.conf import settings
from django.urls import reverse

SUBJECT_MAX_LENGTH = 150


def mail_subject(text, *, max_length: int = SUBJECT_MAX_LENGTH) -> str:
    """One line: line breaks, tabs and other control characters become single spaces,
    and the subject is cut (with an ellipsis) at `max_length` characters."""
    printable = "".join(char if char.isprintable() else " " for char in str(text))
    subject = " ".join(printable.split())
    if len(subject) > max_length:
        subject = subject[: max_length - 1].rstrip() + "…"
    return subject


def absolute_url(path_or_name: str, *args, **kwargs) -> str:
    """The full address of a page: a path ("/my-work/") or a URL name with its arguments
    ("crm:project-detail", 12), joined to SITE_URL ("https://crm.example.fr")."""
    path = (
        path_or_name
        if path_or_name.startswith("/")
        else reverse(path_or_name, args=args, kwargs=kwargs)
    )
    return settings.SITE_URL.rstrip("/") + path
