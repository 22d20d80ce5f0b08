"""What an entrepreneur does in their space: mark a step done, register for a workshop
(or wait for a place), correct their details, download their data, ask for erasure.
Each takes the entrepreneur's `PortalAccount`, whose person and user they act as."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.gdpr.access_export import person_export_data
from contacts.gdpr.export_archive import build_archive
from crm.core.concurrency import save_if_unchanged
from crm.core.mail import absolute_url
from crm.models import AccessEventKind, Project
from crm.portal import emails
from crm.portal.models import ErasureRequest, WaitlistEntry
from crm.security.audit import log_access_event
from followups.models import Attendance, AttendanceStatus
from followups.services import action_complete, attendance_self_register

COMMENT_MAX = 2000


def portal_action_complete(*, account, action, comment: str = ""):
    """The entrepreneur marks their own step done (followups' action_complete, so the
    project's timeline shows it done by them, with their comment)."""
    if action.owner_id != account.user_id:
        raise ValidationError(_("Cette étape n'est pas la vôtre."))
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": _("%(n)d caractères au plus.") % {"n": COMMENT_MAX}})
    return action_complete(action=action, by=account.user, comment=comment)


def _project_for_event(account):
    return Project.objects.current().filter(members__person=account.person).order_by("pk").first()


def portal_register(*, account, event) -> str:
    """Register for an upcoming event; when it is full, join its waiting list. Returns
    "registered", "waiting" or "already"."""
    if event.start <= timezone.now():
        raise ValidationError(_("Cet atelier a déjà eu lieu."))
    person = account.person
    if Attendance.objects.filter(event=event, person=person).exists():
        return "already"
    with transaction.atomic():
        attendance = attendance_self_register(
            event=event, person=person, project=_project_for_event(account)
        )
        if attendance is not None:
            WaitlistEntry.objects.filter(event=event, person=person).delete()
            return "registered"
        WaitlistEntry.objects.get_or_create(
            event=event, person=person, defaults={"project": _project_for_event(account)}
        )
    return "waiting"


def portal_unregister(*, account, event) -> str:
    """Cancel a registration (before the event) or leave the waiting list. A freed place
    goes to the first person waiting, who is told by e-mail. Returns "cancelled", "left"
    or "none"."""
    if event.start <= timezone.now():
        raise ValidationError(_("Cet atelier a déjà eu lieu."))
    person = account.person
    with transaction.atomic():
        left = WaitlistEntry.objects.filter(event=event, person=person).delete()[0]
        if left:
            return "left"
        deleted = Attendance.objects.filter(
            event=event, person=person, status=AttendanceStatus.REGISTERED
        ).delete()[0]
        if not deleted:
            return "none"
        promoted = WaitlistEntry.objects.filter(event=event).select_related("person").first()
        if promoted is not None:
            attendance = attendance_self_register(
                event=event, person=promoted.person, project=promoted.project
            )
            if attendance is not None:
                promoted.delete()
                context = {"person": promoted.person, "event": event}
                context["url"] = absolute_url("portal:workshops")
                transaction.on_commit(
                    lambda: emails.send(
                        subject=_("Une place s'est libérée : vous êtes inscrit·e à « %(t)s »")
                        % {"t": event.title},
                        template="portal/email_promoted.txt",
                        context=context,
                        to=[promoted.person.email],
                    )
                )
    return "cancelled"


def portal_details_update(*, account, form) -> list[tuple[str, str, str]]:
    """Save the entrepreneur's corrections of their details (the person's history
    records who changed what) and tell the staff of their projects. Returns the changes
    as (label, before, after). Raises StaleObjectError when staff saved the record since
    the form was loaded."""
    person = account.person
    before = type(person)._base_manager.get(pk=person.pk)
    changed = [
        (str(form.fields[name].label), _shown(before, name), _shown(form.instance, name))
        for name in form.changed_data
    ]
    if not changed:
        return []
    with transaction.atomic():
        save_if_unchanged(
            form.instance,
            expected_version=form.cleaned_data["version"],
            update_fields=[*form.changed_data, "name_key"],
        )
        context = {
            "person": person,
            "changes": changed,
            "url": absolute_url(person.get_absolute_url()),
            "history_url": absolute_url(
                "security:history", app_label="contacts", model_name="person", pk=person.pk
            ),
        }
        to = emails.staff_of(person)
        transaction.on_commit(
            lambda: emails.send(
                subject=_("%(name)s a corrigé ses coordonnées") % {"name": person},
                template="portal/email_details_changed.txt",
                context=context,
                to=to,
            )
        )
    return changed


def _shown(person, name: str) -> str:
    value = getattr(person, name)
    return "" if value is None else str(value)


def portal_data_export(*, account, request=None) -> bytes:
    """The access export the officers make, minus internal notes and internal documents,
    logged in the access log like theirs."""
    export = person_export_data(account.person)
    for section in export.all_sections():
        kept = [
            (row, shown)
            for row, shown, internal in zip(
                section.rows, section.shown, section.internal, strict=True
            )
            if not internal
        ]
        section.rows = [row for row, _shown in kept]
        section.shown = [shown for _row, shown in kept]
        section.internal = [False] * len(kept)
    archive = build_archive(export, include_internal=False)
    log_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=account.user,
        detail="Export de ses données par la personne (espace porteur·se)",
        person_pk=account.person.pk,
    )
    return archive


def portal_erasure_request(*, account, message: str = "") -> ErasureRequest:
    """Record the person's request for erasure and tell the officers (they decide and
    carry it out from the person's page)."""
    if len(message) > COMMENT_MAX:
        raise ValidationError({"message": _("%(n)d caractères au plus.") % {"n": COMMENT_MAX}})
    person = account.person
    with transaction.atomic():
        request = ErasureRequest.objects.create(person=person, message=message.strip())
        context = {
            "person": person,
            "message": request.message,
            "url": absolute_url(person.get_absolute_url()),
            "erase_url": absolute_url("contacts:person-erase", person.pk),
        }
        to = emails.officer_addresses()
        transaction.on_commit(
            lambda: emails.send(
                subject=_("Demande d'effacement de ses données : %(name)s") % {"name": person},
                template="portal/email_erasure_request.txt",
                context=context,
                to=to,
            )
        )
    return request
