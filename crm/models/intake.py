"""The public registration, the triage of applications and the calls for projects."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.core import roles
from crm.core.bounds import in_range, non_negative, validate_date_range
from crm.core.concurrency import VersionedModel
from crm.models.projects import Project, ProjectChildQuerySet


class HeardFrom(models.TextChoices):
    WEBSITE = "website", _("Site internet de l'établissement")
    COMMUNE = "commune", _("Ma commune")
    PARTNER = "partner", _("Un partenaire (chambre régionale de l'ESS, Région, réseau…)")
    EVENT = "event", _("Un atelier ou une réunion d'information")
    WORD_OF_MOUTH = "word_of_mouth", _("Le bouche-à-oreille")
    SOCIAL_MEDIA = "social_media", _("Les réseaux sociaux")
    OTHER = "other", _("Autre")


class Registration(models.Model):
    """What an entrepreneur told us on the public form, kept beside the project it created,
    with the matches an officer must check during triage. Written by crm.intake.services."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="registration", verbose_name=_("projet")
    )
    # Empty until an officer reconciles the submission with an existing person: a public
    # submission never changes a record that exists (crm.intake.services.reconciliation).
    person = models.ForeignKey(
        "contacts.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("porteur·se"),
    )
    submitted_at = models.DateTimeField(_("reçue le"))
    help_sought = models.TextField(
        _("aide recherchée"), max_length=5_000, validators=[MaxLengthValidator(5_000)]
    )
    heard_from = models.CharField(
        _("a connu le dispositif par"), max_length=20, choices=HeardFrom, blank=True
    )
    person_matched = models.BooleanField(_("personne déjà connue (même courriel)"), default=False)
    organisation_matched = models.BooleanField(
        _("structure déjà connue (même SIRET)"), default=False
    )
    possible_duplicate_people = models.ManyToManyField(
        "contacts.Person",
        blank=True,
        related_name="+",
        verbose_name=_("doublons possibles (personnes)"),
    )
    possible_duplicate_organisations = models.ManyToManyField(
        "contacts.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("doublons possibles (structures)"),
    )

    # What the form said, as typed: the person (consent included) and the structure. The
    # officer takes from it field by field when the submission matches existing records.
    submitted_person = models.JSONField(_("personne déclarée"), default=dict, blank=True)
    submitted_organisation = models.JSONField(_("structure déclarée"), default=dict, blank=True)
    person_to_reconcile = models.BooleanField(_("personne à rapprocher"), default=False)
    organisation_to_reconcile = models.BooleanField(_("structure à rapprocher"), default=False)
    reconciled_at = models.DateTimeField(_("rapprochée le"), null=True, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapprochée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the officer decided: {"person": {"action", "pk", "fields"}, "organisation": ...}.
    reconciliation = models.JSONField(_("rapprochement"), default=dict, blank=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription en ligne")
        verbose_name_plural = _("inscriptions en ligne")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            # The triage list shows the newest registrations first.
            models.Index(fields=["-submitted_at"], name="crm_registration_submitted_idx"),
        ]

    def __str__(self):
        return f"{self.project} ({self.submitted_at:%d/%m/%Y})"

    @property
    def to_reconcile(self) -> bool:
        """The person or the structure still waits for an officer's reconciliation."""
        return self.person_to_reconcile or self.organisation_to_reconcile


class TriageOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Acceptée : accompagnement")
    REDIRECTED = "redirected", _("Réorientée vers un partenaire")
    DECLINED = "declined", _("Refusée")


class TriageDecision(models.Model):
    """An officer's decision on an application; the project's status change is in its
    StageChange history too. Written only by crm.intake.services."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="triage_decisions")
    outcome = models.CharField(_("décision"), max_length=20, choices=TriageOutcome)
    at = models.DateTimeField(_("le"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("motif"), blank=True)
    partner = models.ForeignKey(
        "contacts.Organisation",
        verbose_name=_("partenaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redirected_projects",
    )
    applicant_emailed = models.BooleanField(_("courriel envoyé au porteur·se"), default=False)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision sur une candidature")
        verbose_name_plural = _("décisions sur les candidatures")
        ordering = ["project", "-at", "-pk"]
        indexes = [
            # The application page lists a project's decisions newest first.
            models.Index(fields=["project", "-at"], name="crm_triage_project_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=TriageOutcome.REDIRECTED) | Q(partner__isnull=False),
                name="crm_triage_redirect_has_partner",
            ),
            models.CheckConstraint(
                condition=Q(outcome=TriageOutcome.ACCEPTED) | ~Q(reason=""),
                name="crm_triage_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.project} : {self.get_outcome_display()}"


class CallQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers run the calls, managers read them; nobody else sees them."""

        return self.all() if roles.sees_everything(user) else self.none()


class Call(VersionedModel):
    """One yearly edition of the call for projects (appel à projets)."""

    year = models.PositiveSmallIntegerField(
        _("édition (année)"), unique=True, validators=in_range(2000, 2100)
    )
    title = models.CharField(_("titre"), max_length=200)
    envelope = models.DecimalField(
        _("enveloppe (€)"), max_digits=12, decimal_places=2, validators=non_negative()
    )
    opens_on = models.DateField(_("ouverture le"), validators=[validate_date_range])
    closes_on = models.DateField(_("clôture le"), validators=[validate_date_range])
    criteria = models.TextField(_("critères"), blank=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(envelope__gte=0), name="crm_call_envelope_gte_0"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="crm_call_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(year__range=(2000, 2100)), name="crm_call_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("crm:call-detail", args=[self.pk])


class CommuneOpinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Réservé")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class CommitteeDecision(models.TextChoices):
    PENDING = "pending", _("En attente")
    WINNER = "winner", _("Lauréat")
    REJECTED = "rejected", _("Non retenu")


SCORE_FIELDS = ("score_jobs", "score_local_roots", "score_social_utility", "score_viability")


def _score(label):
    from django.core.validators import MaxValueValidator

    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(5)]
    )


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Applications of the calls the user may see (officers and managers)."""

        return self.all() if roles.sees_everything(user) else self.none()

    def with_total_score(self):
        from django.db.models.functions import Coalesce

        total = models.Value(0)
        for name in SCORE_FIELDS:
            total = total + Coalesce(name, 0)
        return self.annotate(score_total=total)


class Application(VersionedModel):
    """A project's application to a call: commune opinion, committee scores and decision,
    grant awarded and paid. Decisions go through
    crm.intake.services.calls.call_application_decide."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("appel")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="call_applications",
        verbose_name=_("projet"),
    )
    amount_requested = models.DecimalField(
        _("montant demandé (€)"), max_digits=12, decimal_places=2, validators=non_negative()
    )
    commune_opinion = models.CharField(
        _("avis de la commune"), max_length=20, choices=CommuneOpinion, blank=True
    )
    commune_opinion_comment = models.TextField(_("commentaire de la commune"), blank=True)
    score_jobs = _score(_("création d'emplois"))
    score_local_roots = _score(_("ancrage territorial"))
    score_social_utility = _score(_("utilité sociale"))
    score_viability = _score(_("viabilité économique"))
    decision = models.CharField(
        _("décision du comité"),
        max_length=20,
        choices=CommitteeDecision,
        default=CommitteeDecision.PENDING,
    )
    amount_awarded = models.DecimalField(
        _("montant attribué (€)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=non_negative(),
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décision saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_payment_on = models.DateField(
        _("premier versement le"), null=True, blank=True, validators=[validate_date_range]
    )
    balance_paid_on = models.DateField(
        _("solde versé le"), null=True, blank=True, validators=[validate_date_range]
    )
    convention_number = models.CharField(_("numéro de convention"), max_length=50, blank=True)
    convention_signed_on = models.DateField(
        _("convention signée le"), null=True, blank=True, validators=[validate_date_range]
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidature à un appel")
        verbose_name_plural = _("candidatures aux appels")
        ordering = ["call", "project__name", "pk"]
        indexes = [
            # The call's application list filters by decision; the envelope sums winners.
            models.Index(fields=["call", "decision"], name="crm_application_call_dec_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "project"], name="crm_application_one_per_project_call"
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__gte=0) & Q(amount_awarded__gte=0),
                name="crm_application_amounts_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(amount_awarded__lte=models.F("amount_requested")),
                name="crm_application_awarded_lte_requested",
            ),
            models.CheckConstraint(
                condition=Q(decision=CommitteeDecision.WINNER) | Q(amount_awarded=0),
                name="crm_application_only_winners_awarded",
            ),
            models.CheckConstraint(
                condition=Q(score_jobs__isnull=True) | Q(score_jobs__lte=5),
                name="crm_application_score_jobs_range",
            ),
            models.CheckConstraint(
                condition=Q(score_local_roots__isnull=True) | Q(score_local_roots__lte=5),
                name="crm_application_score_roots_range",
            ),
            models.CheckConstraint(
                condition=Q(score_social_utility__isnull=True) | Q(score_social_utility__lte=5),
                name="crm_application_score_utility_range",
            ),
            models.CheckConstraint(
                condition=Q(score_viability__isnull=True) | Q(score_viability__lte=5),
                name="crm_application_score_viability_range",
            ),
            models.CheckConstraint(
                condition=Q(balance_paid_on__isnull=True)
                | Q(first_payment_on__isnull=False)
                & Q(balance_paid_on__gte=models.F("first_payment_on")),
                name="crm_application_balance_after_first_payment",
            ),
        ]

    def __str__(self):
        return f"{self.project} – {self.call}"

    @property
    def total_score(self) -> int | None:
        scores = [getattr(self, name) for name in SCORE_FIELDS]
        if all(score is None for score in scores):
            return None
        return sum(score or 0 for score in scores)
