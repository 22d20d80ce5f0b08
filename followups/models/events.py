"""Events (information sessions and workshops) and the attendance of people at them."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import in_range, validate_date_range
from crm.core.concurrency import VersionedModel
from crm.models import Project
from followups.models.cohorts import Cohort
from followups.models.contracts import PurchaseOrder


class EventKind(models.TextChoices):
    INFORMATION = "information", _("Temps d'information")
    WORKSHOP = "workshop", _("Atelier thématique")


class AttendanceStatus(models.TextChoices):
    REGISTERED = "registered", _("Inscrit·e")
    ATTENDED = "attended", _("Présent·e")
    EXCUSED = "excused", _("Excusé·e")
    ABSENT = "absent", _("Absent·e")


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers and managers: every event; a coach the events of their cohorts or where
        one of their projects registered someone."""
        from crm.core import roles

        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            # IN (subquery): PostgreSQL hashes the coach's registrations once, where an
            # EXISTS per event probed them event by event.
            attended = Attendance.objects.filter(project__coach=user).values("event")
            return self.filter(Q(pk__in=attended) | Q(cohort__in=Cohort.objects.visible_to(user)))
        return self.none()


class Event(VersionedModel):
    """An information session or a thematic workshop."""

    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind, default=EventKind.WORKSHOP)
    theme = models.ForeignKey(
        "crm.Theme", verbose_name=_("thème"), on_delete=models.SET_NULL, null=True, blank=True
    )
    start = models.DateTimeField(_("début"), validators=[validate_date_range])
    end = models.DateTimeField(_("fin"), validators=[validate_date_range])
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    partners = models.ManyToManyField(
        "contacts.Organisation", verbose_name=_("partenaires"), blank=True, related_name="events"
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, validators=in_range(1, 100_000)
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("promotion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("bon de commande"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["-start", "pk"]
        indexes = [
            # Events list: newest first, filtered by date.
            models.Index(fields=["start"], name="followups_event_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="followups_event_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="followups_event_capacity_gt_0",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def hours(self) -> Decimal:
        return (Decimal((self.end - self.start).total_seconds()) / 3600).quantize(Decimal("0.01"))


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Officers and managers: all; a coach the registrations of their own projects."""
        from crm.core import roles

        if roles.sees_everything(user):
            return self.all()
        if roles.is_coach(user):
            return self.filter(project__coach=user)
        return self.none()


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "contacts.Person",
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("pour le projet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
    )
    status = models.CharField(
        _("présence"),
        max_length=20,
        choices=AttendanceStatus,
        default=AttendanceStatus.REGISTERED,
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["event", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="followups_attendance_one_per_person"
            ),
        ]
        indexes = [
            # A coach's events: registrations by project.
            models.Index(fields=["project"], name="followups_attendance_proj_idx"),
        ]

    def __str__(self):
        return f"{self.person} – {self.event}"
