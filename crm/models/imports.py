"""Uploaded spreadsheets and the column associations officers taught the import."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    PROJECTS = "projects", _("Projets, porteur·ses et structures")
    PEOPLE = "people", _("Porteur·ses de projet")
    ORGANISATIONS = "organisations", _("Structures")
    MEETINGS = "meetings", _("Rendez-vous (et leurs notes)")


class ImportMode(models.TextChoices):
    UPDATE = "update", _("Mettre à jour les fiches existantes")
    KEEP = "keep", _("Garder les fiches existantes telles quelles")
    REVIEW = "review", _("Choisir ligne par ligne")


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("Colonnes à associer")
    PREVIEWING = "previewing", _("Prévisualisation en cours")
    PREVIEWED = "previewed", _("Prévisualisé")
    IMPORTING = "importing", _("Import en cours")
    DONE = "done", _("Importé")
    FAILED = "failed", _("Échec")
    CANCELLED = "cancelled", _("Annulé")
    UNDONE = "undone", _("Import défait")

    @classmethod
    def running(cls) -> tuple[str, str]:
        """States in which a background task is working on the batch."""
        return (cls.PREVIEWING, cls.IMPORTING)


class ImportBatch(models.Model):
    """One uploaded file on its way in: upload, column mapping, preview, confirmation."""

    kind = models.CharField(_("type"), max_length=20, choices=ImportKind)
    mode = models.CharField(
        _("fiches existantes"), max_length=10, choices=ImportMode, default=ImportMode.UPDATE
    )
    file = models.FileField(_("fichier"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    status = models.CharField(
        _("état"), max_length=10, choices=ImportStatus, default=ImportStatus.PREVIEWED
    )
    mapping = models.JSONField(_("association des colonnes"), default=dict, blank=True)
    preview = models.JSONField(_("prévisualisation"), default=dict, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    done_at = models.DateTimeField(_("importé le"), null=True, blank=True)
    # Progress of the running preview or import, updated once per chunk of rows.
    processed = models.PositiveIntegerField(_("lignes traitées"), default=0)
    total = models.PositiveIntegerField(_("lignes du fichier"), default=0)
    # Why a background preview or import stopped (status "failed"); nothing was written.
    failure = models.TextField(_("cause de l'échec"), blank=True)
    # When the running preview or import was started: tells a stuck one, and lets a task
    # started before a retry know that its result is no longer wanted.
    started_at = models.DateTimeField(_("lancé le"), null=True, blank=True, editable=False)
    # The officer's decisions on the corrections the preview proposes:
    # {"rows": {"<row>|<header>": "accept"|"refuse"}, "rules": {"<header>|<fault>": …}}.
    fixes = models.JSONField(_("corrections décidées"), default=dict, blank=True)
    # What the confirmed import wrote, to undo it (crm.importing.undo.Journal).
    undo = models.JSONField(_("journal des écritures"), default=dict, blank=True)
    undone_at = models.DateTimeField(_("défait le"), null=True, blank=True, editable=False)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("défait par"),
    )

    class Meta:
        verbose_name = _("import de fichier")
        verbose_name_plural = _("imports de fichiers")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The imports page lists the latest batches first.
            models.Index(fields=["-created_at"], name="crm_importbatch_created_idx"),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def is_stuck(self) -> bool:
        """A preview still "en cours" IMPORT_STUCK_MINUTES after it started: its worker
        stopped (a restart, a crash), so an officer may cancel it or start it again. A
        running preview stops by itself after IMPORT_PREVIEW_TIMEOUT_SECONDS."""
        if self.status != ImportStatus.PREVIEWING:
            return False
        started = self.started_at or self.created_at
        return timezone.now() - started > timedelta(minutes=settings.IMPORT_STUCK_MINUTES)


class ImportFault(models.TextChoices):
    """The faults of a cell the import knows how to correct (crm.importing.fixes)."""

    EMAIL_ACCENTS = "email_accents", _("courriel avec accents")
    PHONE_FORMAT = "phone_format", _("téléphone dans un autre format")
    COMMUNE_SPELLING = "commune_spelling", _("commune écrite autrement")
    STAGE_SPELLING = "stage_spelling", _("étape écrite autrement")
    SECTOR_SPELLING = "sector_spelling", _("secteur écrit autrement")


class ImportFixDecision(models.TextChoices):
    ACCEPT = "accept", _("Accepter la correction")
    REFUSE = "refuse", _("Refuser la correction")


class ImportFixRule(models.Model):
    """A correction accepted or refused for every row of a column, remembered for the next
    file of the same kind with the same columns (the mapping's `signature`)."""

    kind = models.CharField(_("type"), max_length=20, choices=ImportKind)
    signature = models.CharField(_("signature des colonnes"), max_length=64)
    column = models.CharField(_("en-tête du fichier"), max_length=200)
    fault = models.CharField(_("défaut"), max_length=20, choices=ImportFault)
    decision = models.CharField(_("décision"), max_length=10, choices=ImportFixDecision)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("enregistré le"), auto_now=True)

    class Meta:
        verbose_name = _("correction retenue")
        verbose_name_plural = _("corrections retenues")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "signature", "column", "fault"], name="crm_importfixrule_unique"
            ),
        ]

    def __str__(self):
        return f"{self.column} · {self.get_fault_display()} → {self.get_decision_display()}"


class ImportColumnMapping(models.Model):
    """A spreadsheet header the officer matched to a field once, reused on later imports."""

    kind = models.CharField(_("type"), max_length=20, choices=ImportKind)
    header = models.CharField(_("en-tête du fichier"), max_length=200)
    # An empty target means "ignore this column".
    target = models.CharField(_("champ"), max_length=50, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("enregistré le"), auto_now=True)

    class Meta:
        verbose_name = _("association de colonne")
        verbose_name_plural = _("associations de colonnes")
        constraints = [
            models.UniqueConstraint(fields=["kind", "header"], name="crm_importmapping_unique"),
        ]

    def __str__(self):
        return f"{self.header} → {self.target or '—'}"


# --- Intake: online registrations, triage decisions, calls for projects (issue 8) ---------
