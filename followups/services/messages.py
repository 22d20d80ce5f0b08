"""Write to an entrepreneur: render a message with its merge fields, log it, and send it
through EMAIL_URL in a background task (django-tasks: with TASKS_BACKEND=database,
`manage.py db_worker` sends it outside the request); the outcome is logged on the
message, which the project's timeline and the person's page show."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from contacts.models import Person
from crm.core import permissions
from crm.core.concurrency import save_versioned
from crm.core.mail import mail_subject
from crm.models import Project
from followups import messaging
from followups.models import MessageStatus, MessageTemplate, SentMessage


def message_template_save(
    *, template: MessageTemplate, by, expected_version: int | None = None
) -> MessageTemplate:
    """Create or change an e-mail template; its subject and text may use only the merge
    fields of followups.messaging. Raises StaleObjectError when somebody saved it since
    `expected_version` was loaded."""
    permissions.require(permissions.can_manage_message_templates(by))
    errors = {}
    for field in ("subject", "body"):
        try:
            messaging.check_template(getattr(template, field))
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    template.full_clean()
    return save_versioned(
        template, expected_version=expected_version, update_fields=["name", "subject", "body"]
    )


def message_send(
    *, person: Person, project: Project | None, subject: str, body: str, by, template=None
) -> SentMessage:
    """Queue an e-mail to `person` (about `project` if given). Accompaniment mail, not
    marketing: it goes whether or not the person consented to the newsletter; a person
    without an e-mail address is refused with a message saying so."""
    if not Person.objects.visible_to(by).filter(pk=person.pk).exists():
        raise Http404
    if project is not None:
        if not Project.objects.visible_to(by).filter(pk=project.pk).exists():
            raise Http404
        permissions.require(permissions.can_write_about_project(by, project))
        if not project.members.filter(person=person).exists():
            raise ValidationError(_("Cette personne n'est pas porteuse de ce projet."))
    else:
        permissions.require(permissions.can_write_to_entrepreneurs(by))
    if not person.email:
        raise ValidationError(
            _(
                "%(name)s n'a pas d'adresse e-mail : aucun message ne peut lui être envoyé. "
                "Ajoutez son adresse à sa fiche, ou contactez-la autrement."
            )
            % {"name": person}
        )
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            messaging.check_template(text)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    values = messaging.merge_values(person=person, project=project, sender=by)
    message = SentMessage(
        person=person,
        project=project,
        template=template,
        sent_by=by,
        to_address=person.email,
        subject=mail_subject(messaging.render(subject, values), max_length=200),
        body=messaging.render(body, values),
    )
    message.full_clean()
    message.save()
    if settings.TASKS_BACKEND == "immediate":
        # No worker (development, tests): sent now, and the page tells how it went.
        return message_deliver(message.pk)
    # The worker reads the row: queue it once it is committed.
    transaction.on_commit(lambda: deliver_message.enqueue(message.pk))
    return message


def message_deliver(message_id: int) -> SentMessage:
    """Send a queued message (the background task's work); a failure is recorded on the
    message, never raised."""
    message = SentMessage.objects.select_related("sent_by").get(pk=message_id)
    if message.status != MessageStatus.QUEUED:
        return message
    reply_to = [message.sent_by.email] if message.sent_by and message.sent_by.email else []
    email = EmailMessage(
        subject=mail_subject(message.subject),
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
        reply_to=reply_to,
    )
    try:
        email.send()
    except Exception as error:  # any transport failure is the user's to see, not a crash
        message.status = MessageStatus.FAILED
        message.error = f"{type(error).__name__}: {error}"[:2000]
    else:
        message.status = MessageStatus.SENT
        message.delivered_at = timezone.now()
        message.error = ""
    message.save(update_fields=["status", "error", "delivered_at"])
    return message


@task()
def deliver_message(message_id: int) -> None:
    message_deliver(message_id)
