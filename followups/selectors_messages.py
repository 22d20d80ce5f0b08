"""Reads of the e-mails written to entrepreneurs: the project's timeline entries and the
person page's panel (a fixed number of queries each)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.core import permissions
from crm.projects.selectors import TIMELINE_LIMIT
from followups.models import MessageStatus, SentMessage

PERSON_MESSAGES_SHOWN = 20

TITLES = {
    MessageStatus.QUEUED: gettext_lazy("E-mail en cours d'envoi : %(subject)s"),
    MessageStatus.SENT: gettext_lazy("E-mail envoyé : %(subject)s"),
    MessageStatus.FAILED: gettext_lazy("E-mail non remis : %(subject)s"),
}


def message_line(message) -> str:
    """To whom, and the delivery error if any."""
    line = _("À %(name)s <%(address)s>") % {"name": message.person, "address": message.to_address}
    if message.error:
        line += "\n" + _("Erreur d'envoi : %(error)s") % {"error": message.error}
    return line


def timeline_entries(project, user) -> list[dict]:
    """The e-mails written about `project` (1 query)."""
    messages = (
        SentMessage.objects.visible_to(user)
        .filter(project=project)
        .select_related("person", "sent_by")
        .order_by("-written_at", "-pk")
    )
    return [
        {
            "kind": f"message_{message.status}",
            "at": message.written_at,
            "who": str(message.sent_by) if message.sent_by else "",
            "title": TITLES[message.status] % {"subject": message.subject},
            "detail": message_line(message),
            "url": reverse("contacts:person-detail", args=[message.person_id]),
        }
        for message in messages[:TIMELINE_LIMIT]
    ]


def person_messages(person, user) -> dict:
    """The person page's panel: the messages written to them that `user` may read, and
    whether `user` may write one (1 query)."""
    messages = list(
        SentMessage.objects.visible_to(user)
        .filter(person=person)
        .select_related("project", "sent_by")
        .order_by("-written_at", "-pk")[:PERSON_MESSAGES_SHOWN]
    )
    return {
        "person": person,
        "messages": messages,
        "can_write": permissions.can_write_to_entrepreneurs(user),
    }
