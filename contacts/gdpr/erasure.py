"""Erasure (right to erasure, and the anonymisation retention applies): a person's
identifying data replaced by a neutral token everywhere it lives, in one transaction.

Projects, meetings, hours and the fields statistics count (gender, birth year, commune,
QPV, situation at entry) stay, so every dashboard figure is the same afterwards.
"""

import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.gdpr import hooks
from contacts.gdpr.needles import TOKEN, Needles, Scrubber
from contacts.gdpr.places import PLACES, Place
from contacts.matching import sound_key
from contacts.models import Consent, Erasure, LegalHold, Person
from contacts.validators import name_key
from crm.core import permissions
from crm.models import AccessEventKind, ImportStatus, ProjectMember, Status
from crm.security.audit import log_access_event

OPEN_STATUSES = (Status.APPLICANT, Status.ACTIVE, Status.ON_HOLD)
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


class ErasureRefused(ValidationError):
    """The erasure may not run (legal hold, open project): nothing was written."""


@dataclass
class ErasureResult:
    erasure: Erasure
    already_done: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def people_of(person: Person) -> list[int]:
    """The person and every duplicate merged into them (the same human)."""
    pks = {person.pk}
    frontier = {person.pk}
    while frontier:
        frontier = set(
            Person.objects.filter(merged_into__in=frontier)
            .exclude(pk__in=pks)
            .values_list("pk", flat=True)
        )
        pks |= frontier
    return sorted(pks)


def erasure_blockers(person: Person) -> tuple[list[str], list[str]]:
    """(legal holds, open projects led): why the erasure would be refused."""
    holds = LegalHold.objects.active().filter(Q(person=person) | Q(project__members__person=person))
    hold_reasons = [
        _("Gel juridique du %(date)s : %(reason)s")
        % {"date": f"{hold.placed_at:%d/%m/%Y}", "reason": hold.reason}
        for hold in holds.distinct()
    ]
    led = ProjectMember.objects.filter(
        person=person, is_lead=True, project__status__in=OPEN_STATUSES
    ).select_related("project")
    return hold_reasons, [member.project.name for member in led]


def _identities(pks: list[int]) -> list[dict]:
    history = apps.get_model("contacts", "HistoricalPerson")
    columns = ("first_name", "last_name", "email", "phone")
    rows = list(Person.objects.filter(pk__in=pks).values(*columns))
    rows += list(history.objects.filter(id__in=pks).values(*columns).distinct())
    return rows


def _identity_value(name: str, obj) -> str:
    if name == "first_name":
        return "Anonyme"
    if name == "last_name":
        return f"n° {obj.id}"
    if name == "name_key":
        return name_key(f"n° {obj.id}", "Anonyme")
    if name == "sound_key":
        return sound_key(f"n° {obj.id}", "Anonyme")
    return ""


def _text_filter(model, name: str, literals: list[str]) -> tuple[models.QuerySet, str]:
    """Rows whose column mentions any literal (JSON columns compared as their text)."""
    queryset = model._base_manager.all()
    column = name
    if isinstance(model._meta.get_field(name), models.JSONField):
        column = f"_erasure_{name}"
        queryset = queryset.annotate(**{column: Cast(name, TextField())})
    condition = Q(pk__in=[])
    for literal in literals:
        condition |= Q(**{f"{column}__icontains": literal})
    return queryset.filter(condition), column


def _scrub_value(scrubber: Scrubber, field_, value, *, own: bool):
    if isinstance(field_, models.JSONField):
        return scrubber.json(value, own=own)
    cleaned = scrubber.text(value, own=own)
    if cleaned != value and isinstance(field_, models.EmailField | models.URLField):
        # A contact column that held only their address cannot hold the token.
        return "" if cleaned.strip() == TOKEN and field_.blank else cleaned
    return cleaned[: field_.max_length] if field_.max_length else cleaned


def _erase_place(model, place: Place, pks, needles: Needles, scrubber: Scrubber, counts):
    own_q = place.rows_of(pks)
    own_pks = (
        set(model._base_manager.filter(own_q).values_list("pk", flat=True)) if own_q else set()
    )
    changed: dict[int, models.Model] = {}
    touched_fields: set[str] = set()
    if place.identity and own_pks:
        for obj in model._base_manager.filter(pk__in=own_pks):
            for name in place.identity:
                setattr(obj, name, _identity_value(name, obj))
            changed[obj.pk] = obj
        touched_fields |= set(place.identity)
        counts[f"{model._meta.label}"] += len(own_pks)
    for name in place.scrub:
        field_ = model._meta.get_field(name)
        queryset, _column = _text_filter(model, name, needles.literals())
        candidates = set(queryset.values_list("pk", flat=True))
        if own_pks and needles.weak_literals():
            weak, _column = _text_filter(model, name, needles.weak_literals())
            candidates |= set(weak.filter(pk__in=own_pks).values_list("pk", flat=True))
        missing = candidates - changed.keys()
        changed.update(model._base_manager.in_bulk(missing))
        rewritten = 0
        for pk in candidates:
            obj = changed[pk]
            before = getattr(obj, name)
            after = _scrub_value(scrubber, field_, before, own=pk in own_pks)
            if after != before:
                setattr(obj, name, after)
                rewritten += 1
        if rewritten:
            touched_fields.add(name)
            counts[f"{model._meta.label}.{name}"] += rewritten
    if changed and touched_fields:
        model._base_manager.bulk_update(list(changed.values()), sorted(touched_fields), 500)
        if any(f.name == "version" for f in model._meta.concrete_fields):
            # An edit form opened before the erasure must not write the old values back.
            model._base_manager.filter(pk__in=changed).update(version=F("version") + 1)


def _file_mentions(batch, scrubber: Scrubber) -> bool:
    try:
        with batch.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return False
    chunks = [data]
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            chunks = [archive.read(name) for name in archive.namelist()]
    for chunk in chunks:
        for encoding in ("utf-8", "cp1252"):
            if scrubber.mentions(chunk.decode(encoding, errors="ignore")):
                return True
    return False


def _erase_import_files(scrubber: Scrubber, counts) -> None:
    """A stored spreadsheet naming the person is removed (after the commit, so that a
    rolled-back erasure loses nothing); a batch not yet imported is cancelled."""
    batch_model = apps.get_model("crm", "ImportBatch")
    for batch in batch_model.objects.exclude(file=""):
        if not _file_mentions(batch, scrubber):
            continue
        storage, name = batch.file.storage, batch.file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        update = {"file": ""}
        if batch.status not in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED):
            update |= {
                "status": ImportStatus.CANCELLED,
                "failure": _("Fichier supprimé : il contenait les données d'une personne effacée."),
            }
        batch_model.objects.filter(pk=batch.pk).update(**update)
        counts["crm.ImportBatch.file"] += 1


def _erase_everywhere(pks: list[int]) -> dict[str, int]:
    needles = Needles.from_identities(_identities(pks))
    scrubber = Scrubber(needles)
    counts: Counter = Counter()
    _erase_import_files(scrubber, counts)
    for hook in hooks.erasure_hooks:
        hook(pks, counts)
    for label, place in PLACES.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if place.identity or place.scrub:
            _erase_place(model, place, pks, needles, scrubber, counts)
    # Consents die with the contact details they were for: the dated ones are closed too.
    Consent.objects.filter(person__in=pks, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    Person.objects.filter(pk__in=pks).update(
        consent_newsletter=False,
        consent_newsletter_at=None,
        consent_photos=False,
        consent_photos_at=None,
    )
    return dict(counts)


def person_erase(
    *, person: Person, by=None, reason: str = "", force: bool = False, request=None
) -> ErasureResult:
    """Erase a person (and the duplicates merged into them). `by` is None for the system
    (retention run, command line); a user must be allowed to erase.

    Refused (ErasureRefused, nothing written) under an active legal hold, and when the
    person leads an open project unless `force` with a reason. A second call returns the
    first erasure with `already_done`."""
    if by is not None:
        permissions.require(permissions.can_erase_person(by))
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        done = Erasure.objects.filter(person=person).first()
        if done is not None:
            return ErasureResult(erasure=done, already_done=True, counts=done.counts)
        holds, led = erasure_blockers(person)
        if holds:
            raise ErasureRefused(
                _("Effacement impossible : un gel juridique s'applique. %(holds)s")
                % {"holds": " ; ".join(holds)},
                code="legal_hold",
            )
        if led and not force:
            raise ErasureRefused(
                _(
                    "Effacement refusé : cette personne porte un projet en cours (%(projects)s). "
                    "Clôturez le projet ou changez de porteur·se d'abord."
                )
                % {"projects": ", ".join(led)},
                code="open_project",
            )
        if force and not reason:
            raise ErasureRefused(_("Un effacement forcé demande un motif."), code="reason_required")
        pks = people_of(person)
        needles = Needles.from_identities(_identities(pks))
        reason = Scrubber(needles).text(reason, own=True)
        counts = _erase_everywhere(pks)
        erasure = Erasure.objects.create(
            person=person,
            at=timezone.now(),
            by=by,
            reason=reason,
            forced=bool(force and led),
            counts=counts,
        )
        detail = _("Effacement des données de la personne n° %(pk)s") % {"pk": person.pk}
        if erasure.forced:
            detail += " — " + _("forcé : %(reason)s") % {"reason": reason}
        log_access_event(kind=AccessEventKind.ERASURE, request=request, user=by, detail=detail)
    return ErasureResult(erasure=erasure, counts=counts)


class _Rollback(Exception):
    pass


def erasure_preview(person: Person) -> dict[str, int]:
    """What an erasure would rewrite ({"app.Model.field": rows}), computed by running it
    in a transaction that is rolled back."""
    found: dict[str, int] = {}
    try:
        with transaction.atomic():
            found = _erase_everywhere(people_of(person))
            raise _Rollback
    except _Rollback:
        pass
    return found
