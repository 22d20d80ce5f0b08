"""The audit trail: the access log (logins, failures, lockouts, exports, imports) and the
field-by-field reading of django-simple-history records shown on History pages.

Exports and imports call `log_access_event(kind=AccessEventKind.EXPORT, request=..., detail=...)`.
A model gets a History page by having `history = HistoricalRecords()`, a manager with
`visible_to(user)`, and a line in HISTORY_MODELS.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.models import AccessEvent, AccessEventKind
from crm.security.network import client_address

USER_AGENT_MAX = 255

# Models whose History page exists: "app_label.model_name". A model added later registers
# here (it needs `history = HistoricalRecords()` and `objects.visible_to(user)`).
HISTORY_MODELS: set[str] = {
    "contacts.person",
    "contacts.organisation",
    "crm.project",
    "crm.application",
    "followups.meeting",
    "followups.action",
}


def log_access_event(
    *,
    kind: AccessEventKind | str,
    request=None,
    user=None,
    username: str = "",
    detail: str = "",
    person_pk: int | None = None,
) -> AccessEvent:
    """Write one access-log line. `user` defaults to the request's authenticated user;
    `person_pk` names the person whose record was read or exported (their number only)."""
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if not username and user is not None:
        username = user.get_username()
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return AccessEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        ip_address=client_address(request),
        user_agent=agent[:USER_AGENT_MAX],
        detail=detail[:255],
        person_pk=person_pk,
    )


# Receivers of Django's auth signals and django-axes' lockout signal (connected in
# CrmConfig.ready). They only write the log: no business model changes here.


def on_user_logged_in(sender, request, user, **kwargs):
    log_access_event(kind=AccessEventKind.LOGIN, request=request, user=user)


def on_user_logged_out(sender, request, user, **kwargs):
    if user is not None:
        log_access_event(kind=AccessEventKind.LOGOUT, request=request, user=user)


def on_user_login_failed(sender, credentials, request=None, **kwargs):
    log_access_event(
        kind=AccessEventKind.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )


def on_list_exported(sender, request, detail, **kwargs):
    log_access_event(kind=AccessEventKind.EXPORT, request=request, detail=detail)


def on_user_locked_out(sender, request, username, ip_address, **kwargs):
    log_access_event(
        kind=AccessEventKind.LOCKOUT,
        request=request,
        username=str(username or ""),
        detail=_("Trop d'échecs depuis l'adresse %(ip)s") % {"ip": ip_address},
    )


# History pages


def history_model(app_label: str, model_name: str) -> type[models.Model] | None:
    """The registered model named by a History URL, or None (the view answers 404)."""
    key = f"{app_label}.{model_name}".lower()
    if key not in HISTORY_MODELS:
        return None
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: Any
    who: str
    kind: str
    changes: list[FieldChange] = field(default_factory=list)
    is_creation: bool = False


KIND_LABELS = {
    "+": gettext_lazy("Création"),
    "~": gettext_lazy("Modification"),
    "-": gettext_lazy("Suppression"),
}


def _tracked_fields(model) -> list[models.Field]:
    """The model's fields recorded by its history (simple-history's tracked_fields)."""
    history_model_ = model.history.model
    names = {f.name for f in history_model_.tracked_fields}
    # The primary key is in the page's address already.
    return [f for f in model._meta.concrete_fields if f.name in names and not f.primary_key]


def _display(field_: models.Field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if field_.is_relation:
        return str(related.get((field_.related_model, value), f"#{value}"))
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(field_, models.BooleanField):
        return _("oui") if value else _("non")
    if isinstance(field_, models.DateTimeField):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(field_, models.DateField):
        return value.strftime("%d/%m/%Y")
    if isinstance(field_, models.DecimalField):
        return formats.localize(value)
    return str(value)


def history_entries(obj, *, limit: int = 200) -> list[HistoryEntry]:
    """The last `limit` changes of `obj`, newest first, each listing the fields that changed
    with old and new values in French. Runs 2 queries plus one per related model named in
    the changes (a fixed number whatever the length of the history)."""
    model = type(obj)
    fields = _tracked_fields(model)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    records.reverse()  # oldest first, to pair each record with the one before
    # Resolve foreign keys named in the history in one query per related model.
    wanted: dict[type, set] = {}
    for record in records:
        for f in fields:
            if f.is_relation:
                value = getattr(record, f.attname)
                if value is not None:
                    wanted.setdefault(f.related_model, set()).add(value)
    related = {}
    for related_model, pks in wanted.items():
        for item in related_model._base_manager.filter(pk__in=pks):
            related[(related_model, item.pk)] = item

    entries = []
    for index, record in enumerate(records):
        previous = records[index - 1] if index else None
        if previous is None and len(records) > limit:
            continue  # the extra record only gives the "old" values of the next one
        changes = []
        for f in fields:
            new = getattr(record, f.attname)
            old = getattr(previous, f.attname) if previous is not None else None
            if previous is not None and old == new:
                continue
            if previous is None and record.history_type == "+" and new in (None, ""):
                continue
            changes.append(
                FieldChange(
                    label=capfirst(f.verbose_name),
                    old=_display(f, old, related) if previous is not None else "",
                    new=_display(f, new, related),
                )
            )
        who = record.history_user
        entries.append(
            HistoryEntry(
                at=record.history_date,
                who=(who.get_full_name() or who.get_username()) if who else _("Système"),
                kind=str(KIND_LABELS.get(record.history_type, KIND_LABELS["~"])),
                changes=changes,
                is_creation=previous is None,
            )
        )
    entries.reverse()
    return entries
