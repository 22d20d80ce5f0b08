"""The personal-data lifecycle: erasures, legal holds, retention extensions and the
elimination lists (bordereaux d'élimination) the archives service approves."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import validate_date_range


class Erasure(models.Model):
    """A person's identifying data was replaced by a neutral token (contacts.gdpr.erasure).

    Holds no erased value: only who did it, when, why and how many places were rewritten."""

    person = models.OneToOneField(
        "contacts.Person", on_delete=models.PROTECT, related_name="erasure"
    )
    at = models.DateTimeField(_("effacée le"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Why an open project's lead was erased anyway (--force), or which retention rule ran.
    reason = models.TextField(_("motif"), blank=True)
    forced = models.BooleanField(_("malgré un projet en cours"), default=False)
    # {"app.Model.field": rows rewritten}: what the erasure touched, for the DPO.
    counts = models.JSONField(_("lignes réécrites"), default=dict, blank=True)

    class Meta:
        verbose_name = _("effacement de données personnelles")
        verbose_name_plural = _("effacements de données personnelles")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(forced=False) | ~Q(reason=""), name="contacts_erasure_forced_reason"
            ),
        ]

    def __str__(self):
        return f"#{self.person_id} ({self.at:%d/%m/%Y})"


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """A gel (litigation, audit, archives request): while active, neither erasure nor
    retention touches the person, or the people of the project."""

    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="legal_holds",
    )
    project = models.ForeignKey(
        "crm.Project",
        verbose_name=_("projet"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="legal_holds",
    )
    reason = models.TextField(_("motif du gel"))
    placed_at = models.DateTimeField(_("posé le"), auto_now_add=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(
        _("levé le"), null=True, blank=True, validators=[validate_date_range]
    )

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("gel juridique")
        verbose_name_plural = _("gels juridiques")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(project__isnull=False),
                name="contacts_legalhold_has_target",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="contacts_legalhold_has_reason"),
        ]

    def __str__(self):
        return str(self.reason)[:60]


class RetentionExtension(models.Model):
    """An officer kept a record longer than its rule says, with the reason."""

    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="retention_extensions",
    )
    until = models.DateField(_("conservée jusqu'au"), validators=[validate_date_range])
    reason = models.TextField(_("motif"))
    at = models.DateTimeField(_("le"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("prolongation de conservation")
        verbose_name_plural = _("prolongations de conservation")
        ordering = ["-until", "-pk"]
        indexes = [
            # The retention page takes each person's latest extension.
            models.Index(fields=["person", "-until"], name="contacts_retext_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="contacts_retext_has_reason"),
        ]

    def __str__(self):
        return f"#{self.person_id} → {self.until:%d/%m/%Y}"


class RetentionRule(models.TextChoices):
    PROSPECT = "prospect", _("Inscription sans suite")
    REJECTED = "rejected", _("Candidature non retenue")
    BENEFICIARY = "beneficiary", _("Projet accompagné")


class EliminationStatus(models.TextChoices):
    PROPOSED = "proposed", _("En attente du visa des archives")
    APPROVED = "approved", _("Visée par les archives")
    TRANSFERRED = "transferred", _("Versée aux archives")
    EXECUTED = "executed", _("Anonymisée")
    CANCELLED = "cancelled", _("Abandonnée")


class EliminationList(models.Model):
    """A bordereau d'élimination (Code du patrimoine L212-2/3): one batch of records that
    fell due under one rule. Nothing in it is anonymised before the archives service's
    approval (or transfer) is recorded."""

    rule = models.CharField(_("règle"), max_length=20, choices=RetentionRule)
    status = models.CharField(
        _("état"), max_length=20, choices=EliminationStatus, default=EliminationStatus.PROPOSED
    )
    people = models.ManyToManyField(
        "contacts.Person", verbose_name=_("personnes"), related_name="elimination_lists"
    )
    # {"2021": 4, "2022": 7}: how many records per year of their reference date.
    years = models.JSONField(_("années"), default=dict, blank=True)
    count = models.PositiveIntegerField(_("nombre de dossiers"), default=0)
    created_at = models.DateTimeField(_("établi le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("établi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_reference = models.CharField(_("référence du visa"), max_length=100, blank=True)
    approved_on = models.DateField(
        _("visa du"), null=True, blank=True, validators=[validate_date_range]
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visa saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_recorded_at = models.DateTimeField(_("visa saisi le"), null=True, blank=True)
    executed_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("bordereau d'élimination")
        verbose_name_plural = _("bordereaux d'élimination")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "cancelled"])
                | Q(approved_on__isnull=False) & ~Q(approval_reference=""),
                name="contacts_elimination_approved_has_visa",
            ),
        ]

    def __str__(self):
        return _("Bordereau n° %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("contacts:archives-detail", args=[self.pk])
