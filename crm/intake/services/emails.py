"""The intake emails, sent after the database work: a failure is logged and loses nothing."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def send_email(*, subject: str, template: str, context: dict, to: list[str]) -> bool:
    """Send a plain-text email; log and report failure rather than raising."""
    recipients = [address for address in to if address]
    if not recipients:
        return False
    body = render_to_string(template, context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("Email %r to %s could not be sent", subject, recipients)
        return False
    return True
