"""What each user chose for a list: the columns hidden and the views saved (one row per
user and list, read in one query by the list page)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ListPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="list_preferences",
        verbose_name=_("utilisateur·rice"),
    )
    # The list's name in the code, e.g. "projects".
    list_name = models.CharField(_("liste"), max_length=50)
    # Names of the table's columns the user hid.
    hidden_columns = models.JSONField(_("colonnes masquées"), default=list, blank=True)
    # Saved views: [{"name": "…", "query": "status=active&no_meeting_days=60"}, …], each a
    # named query string of the list (its link is the list's URL with it: shareable).
    views = models.JSONField(_("vues enregistrées"), default=list, blank=True)

    class Meta:
        verbose_name = _("préférence de liste")
        verbose_name_plural = _("préférences de listes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_name"], name="crm_listpreference_user_list_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.list_name}"
