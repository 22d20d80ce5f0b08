"""Organisations (ESS structures, partners, funders, the coaching provider) and their labels."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts.matching import address_key, sound_key
from contacts.models.choices import LabelKind, LegalForm, NafVersion, OrganisationKind
from contacts.models.querysets import OrganisationQuerySet
from contacts.validators import (
    LA_POSTE_SIREN,
    digits_only,
    luhn_valid,
    name_key,
    normalize_naf,
    normalize_phone,
    normalize_rna,
    validate_naf,
    validate_phone,
    validate_rna,
    validate_siren,
    validate_siret,
)
from crm.core.bounds import validate_date_range
from crm.core.concurrency import VersionedModel
from crm.core.indexes import PostgresGinIndex


class Organisation(VersionedModel):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=OrganisationKind, default=OrganisationKind.ESS_STRUCTURE
    )
    legal_form = models.CharField(
        _("forme juridique"), max_length=20, choices=LegalForm, blank=True
    )
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, validators=[validate_siren], db_index=True
    )
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, validators=[validate_siret], db_index=True
    )
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[validate_rna])
    naf_code = models.CharField(
        _("code NAF/APE"), max_length=5, blank=True, validators=[validate_naf]
    )
    naf_version = models.CharField(
        _("nomenclature NAF"), max_length=10, choices=NafVersion, default=NafVersion.NAF_2008
    )
    address = models.TextField(_("adresse"), blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey(
        "crm.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, validators=[validate_phone])
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
    # The name lower-cased without accents or punctuation, kept by normalize().
    name_key = models.CharField(max_length=200, blank=True, editable=False)
    # Duplicate detection's other keys (contacts.matching), kept by normalize().
    sound_key = models.CharField(max_length=200, blank=True, editable=False)
    address_key = models.CharField(max_length=250, blank=True, editable=False)
    # From the SIRENE directory (contacts.sirene): INSEE's legal category, creation date,
    # administrative state and headcount band, and when they were last read.
    legal_category = models.CharField(
        _("catégorie juridique INSEE"), max_length=4, blank=True, help_text=_("Code à 4 chiffres")
    )
    founded_on = models.DateField(
        _("date de création"), null=True, blank=True, validators=[validate_date_range]
    )
    closed_on = models.DateField(
        _("date de fermeture"), null=True, blank=True, validators=[validate_date_range]
    )
    is_active = models.BooleanField(
        _("en activité"), null=True, blank=True, help_text=_("Selon le répertoire SIRENE")
    )
    headcount_band = models.CharField(_("tranche d'effectif"), max_length=40, blank=True)
    sirene_checked_at = models.DateTimeField(
        _("vérifiée dans SIRENE le"), null=True, blank=True, validators=[validate_date_range]
    )

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()
    # Written with the fields they derive from when a form saves only its own fields.
    derived_fields = ("name_key", "sound_key", "address_key", "siren")

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name", "pk"]
        indexes = [
            # The organisation list sorts and searches by name.
            models.Index(Lower("name"), name="contacts_org_name_ci_idx"),
            # The organisation list filters by kind and legal form.
            models.Index(fields=["kind", "legal_form"], name="contacts_org_kind_form_idx"),
            # Duplicate detection on the organisation form: same name ignoring accents.
            models.Index(fields=["name_key"], name="contacts_org_name_key_idx"),
            # Probable duplicates (contacts.duplicates): same phone, same address, a name
            # that sounds the same.
            models.Index(fields=["phone"], name="contacts_org_phone_idx"),
            models.Index(fields=["address_key"], name="contacts_org_address_key_idx"),
            models.Index(fields=["sound_key"], name="contacts_org_sound_key_idx"),
            # Default lists leave archived organisations out.
            models.Index(fields=["archived_at"], name="contacts_org_archived_idx"),
            # The list's default order: its first page read from the index, not a sort of
            # every organisation (42,000 at scale 1000).
            models.Index(
                fields=["name", "id"],
                condition=Q(archived_at__isnull=True),
                name="contacts_org_list_idx",
            ),
            # Global search (crm.search), PostgreSQL only: word starts and typos in names.
            PostgresGinIndex(
                fields=["name_key"], opclasses=["gin_trgm_ops"], name="contacts_org_name_trgm_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"], condition=~Q(siret=""), name="contacts_org_siret_unique"
            ),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siren="") | Q(siret__startswith=models.F("siren")),
                name="contacts_org_siret_matches_siren",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("contacts:organisation-detail", args=[self.pk])

    def normalize(self) -> None:
        self.name = " ".join(self.name.split())
        self.name_key = name_key(self.name)
        self.siren = digits_only(self.siren)
        self.siret = digits_only(self.siret)
        if self.siret and not self.siren and len(self.siret) == 14:
            # Only a valid SIREN is derived: files carry SIRETs whose first nine digits
            # fail the SIREN key, and the SIRET alone is what they vouch for.
            candidate = self.siret[:9]
            if candidate.isdigit() and (candidate == LA_POSTE_SIREN or luhn_valid(candidate)):
                self.siren = candidate
        self.rna = normalize_rna(self.rna)
        self.naf_code = normalize_naf(self.naf_code)
        self.email = self.email.strip().lower()
        self.phone = normalize_phone(self.phone)
        self.sound_key = sound_key(self.name)
        self.address_key = address_key(self.address, self.postal_code)

    def clean_fields(self, exclude=None):
        # Normalise first so " 732 829 320 00074 " is checked as the digits it stands for.
        self.normalize()
        super().clean_fields(exclude=exclude)

    def clean(self):
        if self.siret and self.siren and not self.siret.startswith(self.siren):
            raise ValidationError(
                {"siret": _("Le SIRET doit commencer par le SIREN de la structure.")}
            )


class OrganisationLabel(models.Model):
    """A label or approval held for a period (ESUS lasts five years)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="labels")
    kind = models.CharField(_("label ou agrément"), max_length=20, choices=LabelKind)
    obtained_on = models.DateField(_("obtenu le"), validators=[validate_date_range])
    expires_on = models.DateField(
        _("valable jusqu'au"), null=True, blank=True, validators=[validate_date_range]
    )

    class Meta:
        verbose_name = _("label ou agrément")
        verbose_name_plural = _("labels et agréments")
        ordering = ["organisation", "kind", "-obtained_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "obtained_on"],
                name="contacts_label_unique_per_date",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("obtained_on")),
                name="contacts_label_expires_after_obtained",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.obtained_on:%d/%m/%Y})"

    def clean(self):
        if self.kind == LabelKind.ESUS and self.obtained_on and not self.expires_on:
            # The ESUS approval is granted for five years.
            try:
                self.expires_on = self.obtained_on.replace(year=self.obtained_on.year + 5)
            except ValueError:  # obtained on 29 February: expires on the 28th
                self.expires_on = self.obtained_on.replace(year=self.obtained_on.year + 5, day=28)
