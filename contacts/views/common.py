"""Access helpers shared by the people and organisation views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from contacts.models import MergeRecord, Organisation, Person
from crm.core import permissions

HISTORY_LENGTH = 15


def get_person_for(user, pk) -> Person:
    """The person `pk` if `user` may see them, else 404 (never 403: that would confirm
    that the record exists)."""
    return get_object_or_404(Person.objects.visible_to(user).select_related("commune"), pk=pk)


def get_organisation_for(user, pk) -> Organisation:
    return get_object_or_404(Organisation.objects.visible_to(user).select_related("commune"), pk=pk)


def history_entries(record) -> list[dict]:
    """The record's latest changes, newest first (one query; runs it)."""
    kinds = {"+": _("Création"), "~": _("Modification"), "-": _("Suppression")}
    return [
        {
            "at": change.history_date,
            "by": change.history_user,
            "what": change.history_change_reason or kinds[change.history_type],
        }
        for change in record.history.select_related("history_user")[:HISTORY_LENGTH]
    ]


def merges_into(record, field: str):
    """The merges `record` absorbed, newest first (one query when evaluated)."""
    return MergeRecord.objects.filter(**{field: record}).select_related("by")[:HISTORY_LENGTH]


def record_action(request, record, service, success_message: str):
    """Run an archive/restore service on `record` for an officer, report the outcome as a
    message and return to the record's page."""
    permissions.require(permissions.can_change_contacts(request.user))
    try:
        service(record, by=request.user)
        messages.success(request, success_message % {"name": record})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(record)
