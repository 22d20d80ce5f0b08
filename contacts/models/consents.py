"""Consents for the optional uses of a person's data (newsletter, photos): each one dated,
with where it came from, and its withdrawal (who, when). Rows are never deleted, so the
record of what the person agreed to, and when they changed their mind, is kept."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    NEWSLETTER = "newsletter", _("Lettre d'information")
    PHOTOS = "photos", _("Usage de photos")


class ConsentOrigin(models.TextChoices):
    PUBLIC_FORM = "public_form", _("Formulaire d'inscription en ligne")
    OFFICER = "officer", _("Saisie par un·e chargé·e de mission")
    IMPORT = "import", _("Import de fichier")
    # Consents recorded before their origin was: the data migration's only value.
    UNKNOWN = "unknown", _("Origine non enregistrée (antérieure)")


# The Person columns that hold each purpose's current state (what lists filter on).
PERSON_CONSENT_FIELDS = {
    ConsentPurpose.NEWSLETTER: ("consent_newsletter", "consent_newsletter_at"),
    ConsentPurpose.PHOTOS: ("consent_photos", "consent_photos_at"),
}


class Consent(models.Model):
    """One consent given by a person for one purpose, open until withdrawn.

    Written by contacts.gdpr.consents only; Person.consent_* hold the current state."""

    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    purpose = models.CharField(_("usage"), max_length=20, choices=ConsentPurpose)
    given_at = models.DateTimeField(_("donné le"))
    origin = models.CharField(_("origine"), max_length=20, choices=ConsentOrigin)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retrait enregistré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["person", "-given_at", "-pk"]
        constraints = [
            # At most one open consent per person and purpose.
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="contacts_consent_one_open_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="contacts_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return f"{self.person_id} – {self.get_purpose_display()} ({self.given_at:%d/%m/%Y})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
