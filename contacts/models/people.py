"""People: entrepreneurs and partners' contacts."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts.matching import email_key, sound_key
from contacts.models.choices import Gender
from contacts.models.organisations import Organisation
from contacts.models.querysets import PersonQuerySet
from contacts.validators import name_key, normalize_phone, validate_phone
from crm.core.concurrency import VersionedModel
from crm.core.indexes import PostgresGinIndex

# EmploymentSituation: the pipeline's models own it (a project records the situation at
# exit); people record it at entry.
from crm.models import EmploymentSituation


class Person(VersionedModel):
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, validators=[validate_phone])
    gender = models.CharField(_("genre (déclaré)"), max_length=12, choices=Gender, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    commune = models.ForeignKey(
        "crm.Commune",
        verbose_name=_("commune de résidence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    lives_in_qpv = models.BooleanField(
        _("réside dans un QPV"), null=True, blank=True, help_text=_("Quartier prioritaire")
    )
    employment_situation_at_entry = models.CharField(
        _("situation à l'entrée"), max_length=20, choices=EmploymentSituation, blank=True
    )
    consent_newsletter = models.BooleanField(_("accepte la lettre d'information"), default=False)
    consent_newsletter_at = models.DateTimeField(
        _("consentement lettre d'information le"), null=True, blank=True
    )
    consent_photos = models.BooleanField(_("accepte l'usage de photos"), default=False)
    consent_photos_at = models.DateTimeField(_("consentement photos le"), null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, through="PersonOrganisation", related_name="people", blank=True
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    archived_at = models.DateTimeField(_("archivée le"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionnée dans"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # "last first" lower-cased without accents or punctuation, kept by normalize(); the
    # last name first so that a prefix finds namesakes.
    name_key = models.CharField(max_length=200, blank=True, editable=False)
    # Duplicate detection's other keys (contacts.matching), kept by normalize(): the
    # mailbox without case, accents, dots or "+tag", and a rough phonetic key of the name.
    email_key = models.CharField(max_length=254, blank=True, editable=False)
    sound_key = models.CharField(max_length=200, blank=True, editable=False)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()
    # Written with the fields they derive from when a form saves only its own fields.
    derived_fields = (
        "name_key",
        "email_key",
        "sound_key",
        "consent_newsletter_at",
        "consent_photos_at",
    )

    class Meta:
        verbose_name = _("porteur·se de projet")
        verbose_name_plural = _("porteur·ses de projet")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            # The people list sorts by name and searches names ignoring case.
            models.Index(Lower("last_name"), Lower("first_name"), name="contacts_person_name_idx"),
            # Duplicate detection on the person form: same name ignoring case and accents,
            # and namesakes in the same commune.
            models.Index(fields=["name_key"], name="contacts_person_key_idx"),
            models.Index(fields=["commune", "name_key"], name="contacts_person_commune_idx"),
            # Probable duplicates (contacts.duplicates): same phone in any format (stored
            # as E.164), same mailbox, a name that sounds the same.
            models.Index(fields=["phone"], name="contacts_person_phone_idx"),
            models.Index(fields=["email_key"], name="contacts_person_email_key_idx"),
            models.Index(fields=["sound_key"], name="contacts_person_sound_key_idx"),
            # Default lists leave archived people out.
            models.Index(fields=["archived_at"], name="contacts_person_arch_idx"),
            # The list's default order: its first page read from the index, not a sort of
            # every person (78,000 at scale 1000).
            models.Index(
                fields=["last_name", "first_name", "id"],
                condition=Q(archived_at__isnull=True),
                name="contacts_person_list_idx",
            ),
            # Global search (crm.search), PostgreSQL only: word starts and typos in names.
            PostgresGinIndex(
                fields=["name_key"],
                opclasses=["gin_trgm_ops"],
                name="contacts_person_name_trgm_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="contacts_person_email_ci_unique"
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__range=(1900, 2100)),
                name="contacts_person_birth_year_range",
            ),
            models.CheckConstraint(
                condition=Q(consent_newsletter=False) | Q(consent_newsletter_at__isnull=False),
                name="contacts_person_newsletter_consent_dated",
            ),
            models.CheckConstraint(
                condition=Q(consent_photos=False) | Q(consent_photos_at__isnull=False),
                name="contacts_person_photos_consent_dated",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("contacts:person-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def normalize(self) -> None:
        self.first_name = " ".join(self.first_name.split())
        self.last_name = " ".join(self.last_name.split())
        self.name_key = name_key(self.last_name, self.first_name)
        self.email = self.email.strip().lower()
        self.phone = normalize_phone(self.phone)
        self.email_key = email_key(self.email)
        self.sound_key = sound_key(self.last_name, self.first_name)

    def clean_fields(self, exclude=None):
        self.normalize()
        super().clean_fields(exclude=exclude)

    def clean(self):
        if self.email:
            clash = Person.objects.with_email(self.email).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"email": _("Une autre personne utilise déjà cette adresse de courriel.")}
                )
