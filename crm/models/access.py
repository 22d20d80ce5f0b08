"""The access log: logins, failures, lockouts, exports and imports."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.core import roles
from crm.models.users import User


class AccessEventKind(models.TextChoices):
    LOGIN = "login", _("Connexion")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    LOGOUT = "logout", _("Déconnexion")
    LOCKOUT = "lockout", _("Compte bloqué")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    PERSON_VIEW = "person_view", _("Consultation d'une fiche")
    ERASURE = "erasure", _("Effacement de données personnelles")
    API_READ = "api_read", _("Lecture de données personnelles par l'API")


class AccessEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only officers (and the administrator) read the access log."""

        return self.all() if roles.is_officer(user) else self.none()


class AccessEvent(models.Model):
    """One line of the access log: logins, failures, lockouts, exports and imports.

    Written by crm.security.audit.log_access_event only; kept ACCESS_LOG_RETENTION_DAYS days."""

    kind = models.CharField(_("événement"), max_length=20, choices=AccessEventKind)
    at = models.DateTimeField(_("date"), default=timezone.now)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utilisateur·rice"),
    )
    username = models.CharField(_("identifiant saisi"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=255, blank=True)
    detail = models.CharField(_("détail"), max_length=255, blank=True)
    # The person whose record was opened or exported: their number only, never their name,
    # so the log says who looked at whom without copying personal data (and an erasure of
    # the person leaves nothing identifying here).
    person_pk = models.PositiveIntegerField(_("fiche n°"), null=True, blank=True)
    # API reads of personal data: one line per token and day, counting its requests
    # (crm.api.logging.log_api_read), rather than one line per request.
    api_token = models.ForeignKey(
        "crm.ApiToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jeton d'API"),
    )
    reads = models.PositiveIntegerField(_("lectures"), null=True, blank=True, editable=False)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement d'accès")
        verbose_name_plural = _("journal d'accès")
        indexes = [
            # The access-log page lists newest first and filters by kind.
            models.Index(fields=["-at", "-id"], name="crm_accessevent_at_idx"),
            models.Index(fields=["kind", "-at"], name="crm_accessevent_kind_idx"),
            # The access export lists who opened or exported one person's record.
            models.Index(fields=["person_pk", "-at"], name="crm_accessevent_person_idx"),
            # The API's daily line per token is found again on each read.
            models.Index(fields=["api_token", "-at"], name="crm_accessevent_token_idx"),
        ]

    def __str__(self):
        who = self.username or self.user_id
        return f"{self.get_kind_display()} – {who} – {self.at:%d/%m/%Y %H:%M}"
