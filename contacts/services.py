"""Workflows on people and organisations: archive, restore, merge two duplicates.

Each function is keyword-only, validates, and writes inside one transaction; views, commands
and tests all call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts import merge_fields, merging
from contacts.models import DuplicatePair, MergeKind, MergeRecord, Organisation, Person
from crm.core import permissions


def _archive(record, by) -> None:
    if record.archived_at is not None:
        raise ValidationError(_("Cette fiche est déjà archivée."))
    record.archived_at = timezone.now()
    record._history_user = by
    record.save(update_fields=["archived_at", "updated_at"])


def _restore(record, by) -> None:
    if record.archived_at is None:
        raise ValidationError(_("Cette fiche n'est pas archivée."))
    if record.merged_into_id is not None:
        raise ValidationError(
            _("Cette fiche a été fusionnée dans une autre : c'est l'autre qu'il faut utiliser.")
        )
    record.archived_at = None
    record._history_user = by
    record.save(update_fields=["archived_at", "updated_at"])


@transaction.atomic
def person_archive(*, person: Person, by) -> Person:
    _archive(person, by)
    return person


@transaction.atomic
def person_restore(*, person: Person, by) -> Person:
    _restore(person, by)
    return person


@transaction.atomic
def organisation_archive(*, organisation: Organisation, by) -> Organisation:
    _archive(organisation, by)
    return organisation


@transaction.atomic
def organisation_restore(*, organisation: Organisation, by) -> Organisation:
    _restore(organisation, by)
    return organisation


def _check_pair(keep, drop) -> None:
    if keep.pk == drop.pk:
        raise ValidationError(_("Choisissez deux fiches différentes."))
    if keep.merged_into_id or drop.merged_into_id:
        raise ValidationError(_("Une de ces fiches a déjà été fusionnée dans une autre."))
    if keep.archived_at is not None:
        raise ValidationError(_("La fiche à conserver est archivée : restaurez-la d'abord."))
    merge_fields.check_not_erased(keep, drop)


def _labels(model, names) -> list[str]:
    return [str(model._meta.get_field(name).verbose_name) for name in names]


def _merge_reason(keep) -> str:
    return _("Fusion dans « %(name)s »") % {"name": keep}


def _preview(model, keep, drop) -> dict:
    _check_pair(keep, drop)
    taken = merge_fields.taken_from_drop(keep, drop, None)
    return {
        "relations": merging.count_rows(model, drop),
        "differences": merge_fields.differences(keep, drop),
        # The defaults: the blank fields of `keep` filled from `drop`.
        "fields": _labels(model, taken),
        "field_names": taken,
    }


def person_merge_preview(*, keep: Person, drop: Person) -> dict:
    """What `person_merge` would do (one count query per relation, two more, no write):
    the rows that move, the fields that differ with both values, the consents."""
    preview = _preview(Person, keep, drop)
    preview["consents"] = [
        {"purpose": purpose, "label": purpose.label, **decided}
        for purpose, decided in merge_fields.consent_plan(keep, drop).items()
    ]
    return preview


def organisation_merge_preview(*, keep: Organisation, drop: Organisation) -> dict:
    """What `organisation_merge` would do (one count query per relation, no write)."""
    return _preview(Organisation, keep, drop)


def _values(record, names) -> dict:
    return {name: merge_fields.shown(record, name) for name in names}


@transaction.atomic
def person_merge(*, keep: Person, drop: Person, by, choices: dict | None = None) -> MergeRecord:
    """Merge `drop` into `keep`: every row pointing at `drop` (project memberships, roles
    in organisations, meeting participations, workshop registrations, consents, legal
    holds, retention extensions..., see contacts.merging) moves to `keep`; each differing
    field takes the value `choices` picks ({field: "keep" | "drop"}, the defaults of
    contacts.merge_fields otherwise); the consents follow the person's own decisions on
    either record; `drop` is archived with a pointer to `keep`, and a MergeRecord and both
    records' histories keep what happened.

    Emails are unique: the email not kept stays on the archived record (the one taken is
    freed there first) and in the MergeRecord's snapshot. An erased record is never merged."""
    permissions.require(permissions.can_change_contacts(by))
    keep, drop = _lock_pair(Person, keep, drop)
    _check_pair(keep, drop)
    taken = merge_fields.taken_from_drop(keep, drop, choices)
    consents = merge_fields.consent_plan(keep, drop)
    snapshot = {"email": drop.email, "phone": drop.phone}
    before = _values(keep, taken)
    moved = merging.move_all(Person, keep=keep, drop=drop, by=by, reason=_merge_reason(keep))
    _take(keep, drop, taken, unique="email")
    merge_fields.reconcile_consents(keep, consents, by)
    return _conclude(
        keep,
        drop,
        by,
        taken,
        kind=MergeKind.PERSON,
        kept_person=keep,
        dropped_name=drop.full_name,
        dropped_details=snapshot,
        moved=_moved(Person, moved, taken, before, keep),
    )


@transaction.atomic
def organisation_merge(
    *, keep: Organisation, drop: Organisation, by, choices: dict | None = None
) -> MergeRecord:
    """Merge `drop` into `keep`: every row pointing at `drop` (projects, staff users,
    provider contracts, memberships, labels, workshop partners..., see contacts.merging)
    moves to `keep`, each differing field takes the value `choices` picks (as for people),
    `drop` is archived pointing to `keep`, and a MergeRecord keeps what happened. A SIRET
    is unique: the one taken is freed on `drop` first; a SIRET that does not start with the
    SIREN kept is refused.

    Projects are saved one by one (not a bulk update) so each project's history shows the
    move and its version changes, which warns anybody editing it meanwhile."""
    permissions.require(permissions.can_change_contacts(by))
    keep, drop = _lock_pair(Organisation, keep, drop)
    _check_pair(keep, drop)
    taken = merge_fields.taken_from_drop(keep, drop, choices)
    if choices is None:
        # The defaults never break the SIRET/SIREN rule: a blank filled with a SIRET of
        # another SIREN, or a SIREN next to the SIRET kept, is left out.
        if "siret" in taken and keep.siren and not drop.siret.startswith(keep.siren):
            taken.remove("siret")
        if "siren" in taken and keep.siret:
            taken.remove("siren")
    snapshot = {"siren": drop.siren, "siret": drop.siret, "rna": drop.rna, "email": drop.email}
    before = _values(keep, taken)
    moved = merging.move_all(Organisation, keep=keep, drop=drop, by=by, reason=_merge_reason(keep))
    _take(keep, drop, taken, unique="siret")
    return _conclude(
        keep,
        drop,
        by,
        taken,
        kind=MergeKind.ORGANISATION,
        kept_organisation=keep,
        dropped_name=drop.name,
        dropped_details=snapshot,
        moved=_moved(Organisation, moved, taken, before, keep),
    )


def _moved(model, relations, taken, before, keep) -> dict:
    after = _values(keep, taken)
    return {
        "relations": relations,
        "fields": _labels(model, taken),
        # What each field taken from the merged record was, and became.
        "values": [
            [str(model._meta.get_field(name).verbose_name), before[name], after[name]]
            for name in taken
        ],
    }


def _lock_pair(model, keep, drop):
    """`keep` and `drop` read again with their rows locked, so that two officers merging
    at once cannot interleave."""
    locked = {r.pk: r for r in model.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk])}
    return locked[keep.pk], locked[drop.pk]


def _take(keep, drop, fields, *, unique: str) -> None:
    """Copy `fields` from `drop` onto `keep` (saved by `_conclude`). The `unique` field
    (email, SIRET) is freed on `drop` first, so the constraint holds at each write."""
    if unique in fields:
        value = getattr(drop, unique)
        setattr(drop, unique, "")
        drop.save(update_fields=[unique])
        setattr(keep, unique, value)
    for name in fields:
        if name != unique:
            attname = type(keep)._meta.get_field(name).attname
            setattr(keep, attname, getattr(drop, attname))
            if attname != name:
                # The related object cached on `keep` would hide the new id.
                keep._state.fields_cache.pop(name, None)


def _conclude(keep, drop, by, taken, **record) -> MergeRecord:
    """Write the MergeRecord (`record` holds its kind, kept record and what moved), then
    archive `drop` pointing to `keep`."""
    merge = MergeRecord.objects.create(dropped_id=drop.pk, by=by, **record)
    # The open pairs of the dropped record are settled (its dismissed ones stay on record).
    prefix = "person" if isinstance(drop, Person) else "organisation"
    DuplicatePair.objects.open().filter(
        Q(**{f"first_{prefix}": drop}) | Q(**{f"second_{prefix}": drop})
    ).delete()
    _finish(keep, drop, by, _labels(type(keep), taken))
    return merge


def _finish(keep, drop, by, taken_labels) -> None:
    drop.archived_at = drop.archived_at or timezone.now()
    drop.merged_into = keep
    drop._history_user = by
    drop._change_reason = _("Fusionnée dans « %(name)s »") % {"name": keep}
    drop.save()
    keep.full_clean()
    keep._history_user = by
    reason = _("Fusion avec « %(name)s » (fiche n° %(pk)s)") % {"name": drop, "pk": drop.pk}
    if taken_labels:
        reason += _(" ; repris de la fiche fusionnée : %(fields)s") % {
            "fields": ", ".join(taken_labels)
        }
    # The history's reason column holds 100 characters; the MergeRecord holds every field.
    keep._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"
    keep.save()
