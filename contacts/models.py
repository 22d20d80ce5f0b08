"""People (entrepreneurs, partners' contacts) and organisations (ESS structures, partners,
funders, the coaching provider)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
from crm.core import roles
from crm.core.concurrency import VersionedModel

# EmploymentSituation: the pipeline's models own it (a project records the situation at
# exit); people record it at entry.
from crm.models import EmploymentSituation, Project, ProjectMember


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association (loi 1901)")
    FOUNDATION = "foundation", _("Fondation")
    ENDOWMENT_FUND = "endowment_fund", _("Fonds de dotation")
    MUTUAL = "mutual", _("Mutuelle")
    SCOP = "scop", _("SCOP")
    SCIC = "scic", _("SCIC")
    CAE = "cae", _("CAE (coopérative d'activité et d'emploi)")
    OTHER_COOP = "other_coop", _("Autre coopérative")
    ESS_COMPANY = "ess_company", _("Société commerciale de l'ESS (SAS/SARL, agrément ESUS)")
    SOLE_TRADER = "sole_trader", _("Entreprise individuelle / micro-entreprise")
    NOT_INCORPORATED = "not_incorporated", _("Pas encore immatriculée")


class OrganisationKind(models.TextChoices):
    ESS_STRUCTURE = "ess_structure", _("Structure de l'ESS")
    PARTNER = "partner", _("Partenaire")
    FUNDER = "funder", _("Financeur")
    PROVIDER = "provider", _("Prestataire d'accompagnement")


class NafVersion(models.TextChoices):
    NAF_2008 = "naf2008", _("NAF rév. 2 (2008)")
    NAF_2025 = "naf2025", _("NAF 2025 (à partir de 2027)")


class LabelKind(models.TextChoices):
    ESUS = "esus", _("Agrément ESUS")
    SIAE_ACI = "siae_aci", _("SIAE – atelier et chantier d'insertion (ACI)")
    SIAE_AI = "siae_ai", _("SIAE – association intermédiaire (AI)")
    SIAE_EI = "siae_ei", _("SIAE – entreprise d'insertion (EI)")
    SIAE_ETTI = "siae_etti", _("SIAE – entreprise de travail temporaire d'insertion (ETTI)")
    SIAE_EITI = "siae_eiti", _("SIAE – entreprise d'insertion par le travail indépendant (EITI)")


class Gender(models.TextChoices):
    FEMALE = "female", _("Femme")
    MALE = "male", _("Homme")
    OTHER = "other", _("Autre")
    UNDISCLOSED = "undisclosed", _("Ne souhaite pas répondre")


class ArchivableQuerySet(models.QuerySet):
    def current(self):
        """Records not archived: what default lists show."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class OrganisationQuerySet(ArchivableQuerySet):
    def named(self, name: str):
        """Organisations with this name ignoring case, through the lower(name) index."""
        return self.alias(name_lower=Lower("name")).filter(
            name_lower=" ".join((name or "").split()).lower()
        )

    def visible_to(self, user):
        """Officers and managers see every organisation; a coach those of their projects."""
        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            # IN (subquery) rather than joins + DISTINCT: an OR across two multi-valued joins
            # multiplies rows (minutes at 6,000 projects); PostgreSQL runs these as hashed
            # semi-joins, where a correlated EXISTS … LIMIT 1 would run once per row.
            people = ProjectMember.objects.filter(project__coach=user).values("person")
            return self.filter(
                Q(pk__in=Project.objects.filter(coach=user).values("organisation"))
                | Q(
                    pk__in=PersonOrganisation.objects.filter(person__in=people).values(
                        "organisation"
                    )
                )
            )
        return self.none()


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

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()
    # Written with the fields they derive from when a form saves only its own fields.
    derived_fields = ("name_key", "siren")

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
            # Default lists leave archived organisations out.
            models.Index(fields=["archived_at"], name="contacts_org_archived_idx"),
            # The list's default order: its first page read from the index, not a sort of
            # every organisation (42,000 at scale 1000).
            models.Index(
                fields=["name", "id"],
                condition=Q(archived_at__isnull=True),
                name="contacts_org_list_idx",
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
    obtained_on = models.DateField(_("obtenu le"))
    expires_on = models.DateField(_("valable jusqu'au"), null=True, blank=True)

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


class PersonQuerySet(ArchivableQuerySet):
    def with_email(self, email: str):
        """People with this email, ignoring case, through the unique index on lower(email)
        (the `email <> ''` term lets the database use that partial index)."""
        return (
            self.exclude(email="")
            .alias(email_lower=Lower("email"))
            .filter(email_lower=(email or "").strip().lower())
        )

    def visible_to(self, user):
        """Officers and managers see everyone; a coach the entrepreneurs of their projects."""
        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            return self.filter(
                pk__in=ProjectMember.objects.filter(project__coach=user).values("person")
            )
        return self.none()


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

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()
    # Written with the fields they derive from when a form saves only its own fields.
    derived_fields = ("name_key", "consent_newsletter_at", "consent_photos_at")

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
            # Default lists leave archived people out.
            models.Index(fields=["archived_at"], name="contacts_person_arch_idx"),
            # The list's default order: its first page read from the index, not a sort of
            # every person (78,000 at scale 1000).
            models.Index(
                fields=["last_name", "first_name", "id"],
                condition=Q(archived_at__isnull=True),
                name="contacts_person_list_idx",
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


class PersonRole(models.TextChoices):
    FOUNDER = "founder", _("Fondateur·rice")
    DIRECTOR = "director", _("Dirigeant·e")
    EMPLOYEE = "employee", _("Salarié·e")
    VOLUNTEER = "volunteer", _("Bénévole")
    BOARD_MEMBER = "board_member", _("Membre du bureau / CA")
    CONTACT = "contact", _("Contact")


class PersonOrganisation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("rôle"), max_length=20, choices=PersonRole, default=PersonRole.CONTACT
    )
    since = models.DateField(_("depuis"), null=True, blank=True)

    class Meta:
        verbose_name = _("rôle dans une structure")
        verbose_name_plural = _("rôles dans les structures")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"], name="contacts_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()} – {self.organisation}"


class MergeKind(models.TextChoices):
    PERSON = "person", _("Porteur·se de projet")
    ORGANISATION = "organisation", _("Structure")


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
