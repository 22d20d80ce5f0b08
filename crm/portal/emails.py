"""The portal's e-mails: a plain-text part always (and an HTML one for the invitation),
absolute links from SITE_URL, sent after the database work (a failure is logged and loses
nothing)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from crm.core import roles
from crm.core.mail import mail_subject
from crm.models import User

logger = logging.getLogger(__name__)


def send(*, subject: str, template: str, context: dict, to: list[str], html: str = "") -> bool:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return False
    subject = mail_subject(subject)
    message = EmailMultiAlternatives(
        subject, render_to_string(template, context), settings.DEFAULT_FROM_EMAIL, recipients
    )
    if html:
        message.attach_alternative(render_to_string(html, context), "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("Portal e-mail %r to %s could not be sent", subject, recipients)
        return False
    return True


def staff_of(person) -> list[str]:
    """Who hears of what an entrepreneur does: the officers and coaches of their current
    projects, or every active officer when no project names one (one or two queries)."""
    from crm.models import Project

    projects = Project.objects.current().filter(members__person=person)
    addresses = set()
    for officer_email, coach_email in projects.values_list("officer__email", "coach__email"):
        addresses.update(a for a in (officer_email, coach_email) if a)
    if not addresses:
        addresses = set(officer_addresses())
    return sorted(addresses)


def officer_addresses() -> list[str]:
    return list(
        User.objects.filter(groups__name=roles.Role.OFFICER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
