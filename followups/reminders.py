"""The e-mails of `manage.py send_reminders`."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from crm.core.mail import mail_subject
from followups.models import Action, ReminderLog

DUE_SOON_DAYS = 3


def _line(action: Action, today: datetime.date) -> str:
    late = (today - action.due_on).days
    when = (
        ngettext("en retard de %(n)d jour", "en retard de %(n)d jours", late) % {"n": late}
        if late > 0
        else _("échéance le %(day)s") % {"day": f"{action.due_on:%d/%m/%Y}"}
    )
    separator = pgettext("label separator", " : ")
    return f"- {action.title} ({action.project}){separator}{when}"


def send_reminders(today: datetime.date | None = None) -> tuple[int, int]:
    """Send today's reminders and escalations; returns (users reminded, actions escalated).

    A ReminderLog row per user and day, created in the same transaction as the e-mail is
    sent, makes a second run the same day send nothing; escalated actions are stamped."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_actions = (
        Action.objects.open()
        .filter(owner__is_active=True, due_on__lte=soon, project__archived_at__isnull=True)
        .select_related("owner", "project__officer")
        .order_by("owner", "due_on", "pk")
    )
    by_owner: dict = defaultdict(list)
    for action in open_actions:
        by_owner[action.owner].append(action)
    already = set(ReminderLog.objects.filter(day=today).values_list("user_id", flat=True))
    reminded = 0
    for owner, actions in by_owner.items():
        if owner.pk in already or not owner.email:
            continue
        overdue = [a for a in actions if a.due_on < today]
        due_soon = [a for a in actions if a.due_on >= today]
        body = [_("Bonjour %(name)s,") % {"name": owner.first_name or owner}, ""]
        if overdue:
            body += [_("Actions en retard :")] + [_line(a, today) for a in overdue] + [""]
        if due_soon:
            body += [_("Actions à faire dans les prochains jours :")]
            body += [_line(a, today) for a in due_soon] + [""]
        body += [_("Retrouvez-les sur la page « Mon travail » du CRM.")]
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=owner, day=today, action_count=len(actions))
                send_mail(
                    mail_subject(
                        _("Vos actions d'accompagnement du %(day)s") % {"day": f"{today:%d/%m/%Y}"}
                    ),
                    "\n".join(body),
                    settings.DEFAULT_FROM_EMAIL,
                    [owner.email],
                )
        except IntegrityError:
            # Another run handled this user today.
            continue
        reminded += 1
    return reminded, _escalate(today)


def _escalate(today: datetime.date) -> int:
    limit = today - datetime.timedelta(days=settings.ACTION_ESCALATION_DAYS)
    late = (
        Action.objects.open()
        .filter(
            due_on__lt=limit,
            escalated_on__isnull=True,
            project__officer__isnull=False,
            project__officer__is_active=True,
        )
        .select_related("owner", "project__officer")
        .order_by("project__officer", "due_on", "pk")
    )
    by_officer: dict = defaultdict(list)
    for action in late:
        by_officer[action.project.officer].append(action)
    count = 0
    for officer, actions in by_officer.items():
        if not officer.email:
            continue
        body = [
            _("Bonjour %(name)s,") % {"name": officer.first_name or officer},
            "",
            ngettext(
                "Cette action de vos projets est en retard de plus de %(n)d jours :",
                "Ces actions de vos projets sont en retard de plus de %(n)d jours :",
                len(actions),
            )
            % {"n": settings.ACTION_ESCALATION_DAYS},
        ]
        separator = pgettext("label separator", " : ")
        body += [f"{_line(a, today)} – {_('responsable')}{separator}{a.owner}" for a in actions]
        with transaction.atomic():
            Action.objects.filter(pk__in=[a.pk for a in actions]).update(escalated_on=today)
            send_mail(
                mail_subject(_("Actions en retard sur vos projets")),
                "\n".join(body),
                settings.DEFAULT_FROM_EMAIL,
                [officer.email],
            )
        count += len(actions)
    return count
