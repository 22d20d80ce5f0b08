"""Entrepreneurs for the tests: a person invited and their password set, through the
services (so a test sees what a real entrepreneur would)."""

import datetime

from django.utils import timezone

from crm.portal.services import invitation_accept, portal_invite

PASSWORD = "Un-mot-de-passe-solide-2026"


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def invite(person, by=None):
    """An invitation and its raw token (the link's last part)."""
    invitation, link = portal_invite(person=person, by=by, send=False)
    return invitation, token_of(link)


def make_entrepreneur(person, password: str = PASSWORD):
    """The user of `person`'s space, with `password`."""
    _invitation, token = invite(person)
    return invitation_accept(token=token, password=password)


def expire(invitation) -> None:
    type(invitation).objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )


def text(response) -> str:
    """The page as read (entities such as &#x27; decoded)."""
    import html

    return html.unescape(response.content.decode())
