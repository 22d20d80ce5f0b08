"""Documents attached to the CRM's records, their versions and the categories officers keep.

Attachment design: one nullable foreign key per kind of record (by string reference:
"crm.Project", "contacts.Person", "followups.Meeting"...) and a CHECK constraint that
exactly one is set. Unlike a GenericForeignKey it keeps real foreign keys (the database
refuses a document on a record that does not exist, indexes and joins work, the GDPR graph
and the merge see relations to Person and Organisation), and it needs no import of the
apps below: this app sits above them in the layers (pyproject.toml), they never import it.
"""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.core import roles
from crm.core.bounds import in_range, validate_date_range
from followups.models import NoteVisibility

# Record kinds: URL name -> (field on Document, model label).
RECORD_KINDS = {
    "project": ("project", "crm.Project"),
    "organisation": ("organisation", "contacts.Organisation"),
    "person": ("person", "contacts.Person"),
    "meeting": ("meeting", "followups.Meeting"),
    "application": ("application", "crm.Application"),
    "event": ("event", "followups.Event"),
}
RECORD_FIELDS = tuple(field for field, _label in RECORD_KINDS.values())


def _exactly_one(fields) -> Q:
    """Exactly one of `fields` is set."""
    return reduce(
        operator.or_,
        (
            Q(**{f"{field}__isnull": False}, **{f"{o}__isnull": True for o in fields if o != field})
            for field in fields
        ),
    )


class RecordKind(models.TextChoices):
    PROJECT = "project", _("Projet")
    ORGANISATION = "organisation", _("Structure")
    PERSON = "person", _("Personne")
    MEETING = "meeting", _("Rendez-vous")
    APPLICATION = "application", _("Candidature, subvention")
    EVENT = "event", _("Atelier")


class DocumentCategory(models.Model):
    """A kind of document (business plan, budget, statutes...), kept by the officers."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    active = models.BooleanField(_("proposée"), default=True)

    class Meta:
        verbose_name = _("catégorie de document")
        verbose_name_plural = _("catégories de document")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Documents of the records the user may see; internal ones for officers only
        (never coaches or managers, whatever page, export or download asks)."""
        from django.apps import apps

        if roles.is_officer(user):
            return self.all()
        if roles.is_manager(user):
            return self.exclude(visibility=NoteVisibility.INTERNAL)
        if not roles.is_coach(user):
            return self.none()
        records = Q(pk__in=[])
        for field, label in RECORD_KINDS.values():
            model = apps.get_model(label)
            records |= Q(**{f"{field}__in": model.objects.visible_to(user).values("pk")})
        return self.filter(records).exclude(visibility=NoteVisibility.INTERNAL)

    def of_record(self, kind: str, pk: int):
        field, _label = RECORD_KINDS[kind]
        return self.filter(**{f"{field}_id": pk})


def _record(label: str, verbose: str):
    return models.ForeignKey(
        label,
        verbose_name=verbose,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )


class Document(models.Model):
    """A document on one record; its content is in its versions (the latest is current).
    Written by crm.documents.services only."""

    title = models.CharField(_("titre"), max_length=200)
    category = models.ForeignKey(
        DocumentCategory, verbose_name=_("catégorie"), on_delete=models.PROTECT
    )
    date = models.DateField(_("date du document"), validators=[validate_date_range])
    visibility = models.CharField(
        _("visibilité"), max_length=20, choices=NoteVisibility, default=NoteVisibility.INTERNAL
    )
    project = _record("crm.Project", _("projet"))
    organisation = _record("contacts.Organisation", _("structure"))
    person = _record("contacts.Person", _("personne"))
    meeting = _record("followups.Meeting", _("rendez-vous"))
    application = _record("crm.Application", _("candidature"))
    event = _record("followups.Event", _("atelier"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="documents_doc_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one(RECORD_FIELDS),
                name="documents_document_one_record",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_internal(self) -> bool:
        return self.visibility == NoteVisibility.INTERNAL

    @property
    def record_kind(self) -> str:
        for kind, (field, _label) in RECORD_KINDS.items():
            if getattr(self, f"{field}_id"):
                return kind
        raise ValueError("a document without a record")

    @property
    def record(self):
        return getattr(self, RECORD_KINDS[self.record_kind][0])

    @property
    def record_project(self):
        """The project whose coach may see the document, if any."""
        record = self.record
        if self.project_id:
            return record
        return getattr(record, "project", None)


class DocumentVersion(models.Model):
    """One uploaded file of a document; numbered 1, 2, 3... per document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"), validators=in_range(1, 10_000))
    storage_name = models.CharField(_("fichier stocké"), max_length=300, unique=True)
    original_name = models.CharField(_("nom du fichier"), max_length=120)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("taille (octets)"), validators=in_range(1, 2**40))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposée par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("déposée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version de document")
        verbose_name_plural = _("versions de document")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="documents_version_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="documents_version_gte_1"),
        ]

    def __str__(self):
        return f"{self.document} (v{self.number})"
