"""The e-mails of `manage.py send_reminders`: each user's actions due soon or late, one
section per project with its link, and the escalations of long-late actions to the
projects' officers."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from crm.core import roles
from crm.core.mail import absolute_url, mail_subject
from followups.models import Action, ReminderLog

DUE_SOON_DAYS = 3


def _when(action: Action, today: datetime.date) -> str:
    late = (today - action.due_on).days
    if late > 0:
        return ngettext("en retard de %(n)d jour", "en retard de %(n)d jours", late) % {"n": late}
    return _("échéance le %(day)s") % {"day": f"{action.due_on:%d/%m/%Y}"}


def _by_project(actions, today: datetime.date, *, with_owner: bool = False) -> list[str]:
    """One section per project: its name, its page's address, then its actions."""
    sections: dict = defaultdict(list)
    for action in actions:
        sections[action.project].append(action)
    separator = pgettext("label separator", " : ")
    lines = []
    for project, project_actions in sections.items():
        lines += [f"■ {project}", absolute_url("crm:project-detail", project.pk)]
        for action in project_actions:
            line = f"- {action.title}{separator}{_when(action, today)}"
            if with_owner:
                line += f" – {_('responsable')}{separator}{action.owner}"
            lines.append(line)
        lines.append("")
    return lines


def reminder_body(owner, actions, today: datetime.date) -> tuple[str, str]:
    """The subject and plain text of `owner`'s reminder."""
    late = sum(1 for a in actions if a.due_on < today)
    if late:
        subject = ngettext(
            "À faire : %(n)d action d'accompagnement, dont %(late)d en retard",
            "À faire : %(n)d actions d'accompagnement, dont %(late)d en retard",
            len(actions),
        ) % {"n": len(actions), "late": late}
    else:
        subject = ngettext(
            "À faire dans les prochains jours : %(n)d action d'accompagnement",
            "À faire dans les prochains jours : %(n)d actions d'accompagnement",
            len(actions),
        ) % {"n": len(actions)}
    body = [_("Bonjour %(name)s,") % {"name": owner.first_name or owner}, ""]
    body += [_("Voici vos actions en retard ou à échéance dans les prochains jours :"), ""]
    body += _by_project(actions, today)
    body += [
        _("Marquez-les faites, reportez-les ou réattribuez-les depuis la liste de vos actions :"),
        absolute_url("followups:action-list") + f"?owner={owner.pk}&state=open",
    ]
    return subject, "\n".join(body)


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
        .order_by("owner", "project__name", "project", "due_on", "pk")
    )
    by_owner: dict = defaultdict(list)
    for action in open_actions:
        by_owner[action.owner].append(action)
    already = set(ReminderLog.objects.filter(day=today).values_list("user_id", flat=True))
    reminded = 0
    for owner, actions in by_owner.items():
        if owner.pk in already or not owner.email:
            continue
        if roles.primary_role(owner) is None:
            # The e-mail links to staff pages: an owner without a role (an entrepreneur,
            # whose steps are in their own space) is not reminded here.
            continue
        subject, body = reminder_body(owner, actions, today)
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=owner, day=today, action_count=len(actions))
                send_mail(mail_subject(subject), body, settings.DEFAULT_FROM_EMAIL, [owner.email])
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
        .order_by("project__officer", "project__name", "project", "due_on", "pk")
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
            "",
        ]
        body += _by_project(actions, today, with_owner=True)
        body += [_("Relancez leurs responsables, ou reportez ou réattribuez ces actions.")]
        subject = ngettext(
            "À relancer : %(n)d action en retard sur vos projets",
            "À relancer : %(n)d actions en retard sur vos projets",
            len(actions),
        ) % {"n": len(actions)}
        with transaction.atomic():
            Action.objects.filter(pk__in=[a.pk for a in actions]).update(escalated_on=today)
            send_mail(
                mail_subject(subject), "\n".join(body), settings.DEFAULT_FROM_EMAIL, [officer.email]
            )
        count += len(actions)
    return count
