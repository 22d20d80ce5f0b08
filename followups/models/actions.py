"""Actions: the next steps on a project, decided in a meeting or set on their own, and the
log of what happened to each (created, reassigned, postponed, done, reopened)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.core import roles
from crm.core.bounds import validate_date_range
from crm.core.concurrency import VersionedModel
from crm.models import MeasureKind, Project, ProjectChildQuerySet
from followups.models.meetings import Meeting


class ActionQuerySet(ProjectChildQuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)


class Action(VersionedModel):
    """A next step: who does what by when, decided in a meeting or set on its own."""

    title = models.CharField(_("action"), max_length=300)
    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    due_on = models.DateField(_("échéance"), validators=[validate_date_range])
    done_on = models.DateField(
        _("faite le"), null=True, blank=True, validators=[validate_date_range]
    )
    created_on = models.DateField(
        _("créée le"), default=timezone.localdate, validators=[validate_date_range]
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("rendez-vous d'origine"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    escalated_on = models.DateField(_("signalée le"), null=True, blank=True)
    # Set on the task the follow-up campaign creates for a milestone's measure
    # (followups.campaigns): one per project and milestone, whatever the runs.
    measure_kind = models.CharField(
        _("mesure de suivi"),
        max_length=20,
        choices=MeasureKind,
        blank=True,
        default="",
        editable=False,
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = ActionQuerySet.as_manager()
    # A derived column is not an edit: the history leaves it out.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        indexes = [
            # "My work" and send_reminders: a user's open actions by due date.
            models.Index(fields=["owner", "done_on", "due_on"], name="followups_action_owner_idx"),
            # Project panel: a project's open actions.
            models.Index(fields=["project", "done_on"], name="followups_action_proj_idx"),
            # The API's incremental sync (?updated_since=).
            models.Index(fields=["updated_at"], name="followups_action_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=models.F("created_on")),
                name="followups_action_done_after_created",
            ),
            models.UniqueConstraint(
                fields=["project", "measure_kind"],
                condition=~Q(measure_kind=""),
                name="followups_action_one_campaign_task",
            ),
        ]

    def __str__(self):
        return self.title


class ActionChangeKind(models.TextChoices):
    CREATED = "created", _("créée")
    REASSIGNED = "reassigned", _("réattribuée")
    POSTPONED = "postponed", _("reportée")
    DONE = "done", _("faite")
    REOPENED = "reopened", _("rouverte")


class ActionChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if roles.sees_everything(user):
            return self.all()
        return self.filter(action__in=Action.objects.visible_to(user))


class ActionChange(models.Model):
    """One thing that happened to an action, for the project's timeline: written by the
    services of followups.services.actions only, never edited."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("changement"), max_length=20, choices=ActionChangeKind)
    at = models.DateTimeField(_("le"), default=timezone.now, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # What changed, in words: "Camille Martin → Lucas Petit", the reason of a postponement.
    detail = models.TextField(_("détail"), blank=True)

    objects = ActionChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("changement d'action")
        verbose_name_plural = _("changements d'action")
        ordering = ["-at", "-pk"]
        indexes = [
            # The project page's timeline: an action's changes, newest first.
            models.Index(fields=["action", "-at"], name="followups_actchange_idx"),
        ]

    def __str__(self):
        return f"{self.action} – {self.get_kind_display()}"
