"""The record of each merge of two duplicate people or organisations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models.choices import MergeKind
from contacts.models.organisations import Organisation
from contacts.models.people import Person


class MergeRecord(models.Model):
    """One merge of two duplicate records: which was kept, a snapshot of the one dropped
    (archived, pointing to the kept one) and what moved. Written by contacts.services."""

    kind = models.CharField(_("type"), max_length=20, choices=MergeKind)
    kept_person = models.ForeignKey(
        Person,
        verbose_name=_("porteur·se conservé·e"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="merges",
    )
    kept_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure conservée"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="merges",
    )
    dropped_id = models.PositiveBigIntegerField(_("identifiant de la fiche fusionnée"))
    dropped_name = models.CharField(_("nom de la fiche fusionnée"), max_length=200)
    # The dropped record's email or identifiers as they were: the kept record keeps its own
    # (emails and SIRETs are unique), so a different one survives only here.
    dropped_details = models.JSONField(_("coordonnées de la fiche fusionnée"), default=dict)
    moved = models.JSONField(_("éléments déplacés"), default=dict)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("fusion")
        verbose_name_plural = _("fusions")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="person", kept_person__isnull=False, kept_organisation__isnull=True)
                    | Q(
                        kind="organisation",
                        kept_person__isnull=True,
                        kept_organisation__isnull=False,
                    )
                ),
                name="contacts_merge_kept_matches_kind",
            ),
        ]

    def __str__(self):
        kept = self.kept_person or self.kept_organisation
        return f"{self.dropped_name} → {kept}"
