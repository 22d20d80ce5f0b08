"""The intake emails, sent after the database work: a failure is logged and loses nothing."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from crm.core.mail import mail_subject

logger = logging.getLogger(__name__)


def send_email(*, subject: str, template: str, context: dict, to: list[str]) -> bool:
    """Send a plain-text email; log and report failure rather than raising. The subject
    may hold text people typed: it is made one line (a line break would stop the e-mail)."""
    recipients = [address for address in to if address]
    if not recipients:
        return False
    subject = mail_subject(subject)
    body = render_to_string(template, context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("Email %r to %s could not be sent", subject, recipients)
        return False
    return True
