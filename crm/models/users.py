"""Staff accounts: officers, coaches and managers (roles in crm.core.roles)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member: officer, coach or manager (see crm.core.roles)."""

    organisation = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("structure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Pour un·e accompagnateur·rice : le prestataire qui l'emploie."),
    )
    # Chosen in the footer's language form, applied on every browser the user signs in
    # from (crm.core.middleware.AccountLanguageMiddleware); empty: the browser's choice.
    language = models.CharField(
        _("langue"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username
