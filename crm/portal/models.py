"""The entrepreneur's account, its invitations, workshop waiting lists and erasure requests.

An entrepreneur is a `crm.User` with no role, linked to one `contacts.Person` by a
`PortalAccount`. Written by crm.portal.services only."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

INVITATION_DAYS = 7


def token_hash(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256 (the link is the secret)."""
    return hashlib.sha256(token.encode()).hexdigest()


class PortalAccount(models.Model):
    """The link between a person we accompany and the user they log in as."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_account"
    )
    person = models.OneToOneField(
        "contacts.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="portal_account",
    )
    created_at = models.DateTimeField(_("ouvert le"), auto_now_add=True)

    class Meta:
        verbose_name = _("accès à l'espace porteur·se")
        verbose_name_plural = _("accès à l'espace porteur·se")

    def __str__(self):
        return str(self.person)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    USED = "used", _("Utilisée")
    EXPIRED = "expired", _("Expirée")
    REVOKED = "revoked", _("Révoquée")


class PortalInvitation(models.Model):
    """A one-time link to set a password, valid INVITATION_DAYS days. Only the token's hash
    is stored: the link itself is in the e-mail (or printed by `portal_invite`)."""

    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="portal_invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitée par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    used_at = models.DateTimeField(_("utilisée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("révoquée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    renewal_asked_at = models.DateTimeField(_("nouveau lien demandé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation à l'espace porteur·se")
        verbose_name_plural = _("invitations à l'espace porteur·se")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The person page's portal panel: a person's latest invitations.
            models.Index(fields=["person", "-created_at"], name="portal_invitation_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="portal_invitation_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_status_display()})"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.used_at:
            return InvitationStatus.USED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return InvitationStatus(self.status).label


class WaitlistEntry(models.Model):
    """A person waiting for a place at a full workshop, first come first served."""

    event = models.ForeignKey(
        "followups.Event", on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    person = models.ForeignKey(
        "contacts.Person", on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    project = models.ForeignKey(
        "crm.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("inscrit·e le"), default=timezone.now)

    class Meta:
        verbose_name = _("liste d'attente d'atelier")
        verbose_name_plural = _("listes d'attente d'atelier")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="portal_waitlist_once"),
        ]

    def __str__(self):
        return f"{self.person} – {self.event}"


class ErasureRequest(models.Model):
    """A person's request, from their space, that their data be erased: the officers are
    told and carry it out (or refuse it) from the person's page."""

    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="portal_erasure_requests",
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)

    class Meta:
        verbose_name = _("demande d'effacement")
        verbose_name_plural = _("demandes d'effacement")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.person} – {self.created_at:%d/%m/%Y}"
