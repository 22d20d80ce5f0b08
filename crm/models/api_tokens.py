"""Personal API tokens: how the body's other systems reach the REST API as one user."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import validate_date_range


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user sees (and revokes) only their own tokens."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def usable(self):
        """Not revoked, not expired (a token expiring today works until the day ends)."""
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
        )


class ApiToken(models.Model):
    """One personal token. Only the SHA-256 of the key is stored: the key itself is shown
    once, when crm.api.tokens.token_create makes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur·rice"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("nom"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, so that its owner recognises it in the list.
    prefix = models.CharField(_("début de la clé"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(
        _("dernière utilisation"), null=True, blank=True, editable=False
    )
    expires_on = models.DateField(
        _("expire le"),
        null=True,
        blank=True,
        validators=[validate_date_range],
        help_text=_("Facultatif : le jeton cesse de fonctionner après ce jour."),
    )
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The account page lists a user's tokens, newest first.
            models.Index(fields=["user", "-created_at"], name="crm_apitoken_user_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_on is None or self.expires_on >= timezone.localdate()
