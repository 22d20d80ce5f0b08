"""E-mails to entrepreneurs written from the CRM: the templates officers keep, and each
message sent (who, when, to whom, what, whether it was delivered)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import Person
from crm.core import roles
from crm.core.concurrency import VersionedModel
from crm.models import Project


class MessageTemplate(VersionedModel):
    """A reusable e-mail with merge fields ({{ projet.nom }}: see followups.messaging)."""

    name = models.CharField(_("nom du modèle"), max_length=120, unique=True)
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("modèle de message")
        verbose_name_plural = _("modèles de message")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("en cours d'envoi")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("non remis")


class SentMessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers and managers read every message; a coach those of their projects."""
        if roles.sees_everything(user):
            return self.all()
        return self.filter(project__in=Project.objects.visible_to(user))


class SentMessage(models.Model):
    """One e-mail written to a person from their project's or their own page."""

    person = models.ForeignKey(
        Person, verbose_name=_("destinataire"), on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("projet"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    template = models.ForeignKey(
        MessageTemplate,
        verbose_name=_("modèle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("écrit le"), default=timezone.now, editable=False)
    to_address = models.EmailField(_("adresse"))
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("état"), max_length=10, choices=MessageStatus, default=MessageStatus.QUEUED
    )
    delivered_at = models.DateTimeField(_("remis le"), null=True, blank=True, editable=False)
    error = models.TextField(_("erreur d'envoi"), blank=True)

    objects = SentMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message envoyé")
        verbose_name_plural = _("messages envoyés")
        ordering = ["-written_at", "-pk"]
        indexes = [
            # The project's timeline and the person's page: their messages, newest first.
            models.Index(fields=["project", "-written_at"], name="followups_msg_project_idx"),
            models.Index(fields=["person", "-written_at"], name="followups_msg_person_idx"),
        ]

    def __str__(self):
        return self.subject
