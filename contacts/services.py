"""Workflows on people and organisations: archive, restore, merge two duplicates.

Each function is keyword-only, validates, and writes inside one transaction; views, commands
and tests all call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts import merging
from contacts.models import MergeKind, MergeRecord, Organisation, Person
from crm.core import permissions

# Fields copied from the dropped record when the kept one has them blank.
PERSON_FILLABLE = (
    "email",
    "phone",
    "gender",
    "birth_year",
    "commune",
    "lives_in_qpv",
    "employment_situation_at_entry",
)
ORGANISATION_FILLABLE = (
    "legal_form",
    "siren",
    "siret",
    "rna",
    "naf_code",
    "address",
    "postal_code",
    "commune",
    "website",
    "email",
    "phone",
)


def _is_blank(value) -> bool:
    return value is None or value == ""


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


def _fillable(keep, drop, names) -> list[str]:
    return [
        name
        for name in names
        if _is_blank(getattr(keep, f"{name}_id" if name == "commune" else name))
        and not _is_blank(getattr(drop, f"{name}_id" if name == "commune" else name))
    ]


def _labels(model, names) -> list[str]:
    return [str(model._meta.get_field(name).verbose_name) for name in names]


def _merge_reason(keep) -> str:
    return _("Fusion dans « %(name)s »") % {"name": keep}


def person_merge_preview(*, keep: Person, drop: Person) -> dict:
    """What `person_merge` would move (one count query per relation, no write)."""
    _check_pair(keep, drop)
    fields = _fillable(keep, drop, PERSON_FILLABLE)
    if drop.consent_newsletter and not keep.consent_newsletter:
        fields.append("consent_newsletter")
    if drop.consent_photos and not keep.consent_photos:
        fields.append("consent_photos")
    return {
        "relations": merging.count_rows(Person, drop),
        "fields": _labels(Person, fields),
        "field_names": fields,
    }


@transaction.atomic
def person_merge(*, keep: Person, drop: Person, by) -> MergeRecord:
    """Merge `drop` into `keep`: every row pointing at `drop` (project memberships, roles
    in organisations, meeting participations, workshop registrations, online
    registrations..., see contacts.merging) moves to `keep`, `keep`'s blank fields are
    filled from `drop`, `drop` is archived with a pointer to `keep`, and a MergeRecord keeps
    what happened.

    Emails are unique: `keep` keeps its own; a different email of `drop` stays on the
    archived record and in the MergeRecord's snapshot."""
    permissions.require(permissions.can_change_contacts(by))
    keep, drop = _lock_pair(Person, keep, drop)
    plan = person_merge_preview(keep=keep, drop=drop)
    snapshot = {"email": drop.email, "phone": drop.phone}
    moved = merging.move_all(Person, keep=keep, drop=drop, by=by, reason=_merge_reason(keep))

    fields = plan["field_names"]
    _fill_blanks(keep, drop, fields, unique="email")
    for name in ("consent_newsletter", "consent_photos"):
        if name in fields:
            # _fill_blanks copied the consent; the date it was given comes with it.
            setattr(keep, f"{name}_at", getattr(drop, f"{name}_at"))

    return _conclude(
        keep,
        drop,
        by,
        kind=MergeKind.PERSON,
        kept_person=keep,
        dropped_name=drop.full_name,
        dropped_details=snapshot,
        moved={"relations": moved, "fields": plan["fields"]},
    )


@transaction.atomic
def organisation_merge(*, keep: Organisation, drop: Organisation, by) -> MergeRecord:
    """Merge `drop` into `keep`: every row pointing at `drop` (projects, staff users,
    provider contracts, memberships, labels, workshop partners..., see contacts.merging)
    moves to `keep`, blank fields are filled from `drop`, `drop` is archived pointing to
    `keep`, and a MergeRecord keeps what happened. A SIRET is unique: it moves only when
    `keep` has none (and matches `keep`'s SIREN).

    Projects are saved one by one (not a bulk update) so each project's history shows the
    move and its version changes, which warns anybody editing it meanwhile."""
    permissions.require(permissions.can_change_contacts(by))
    keep, drop = _lock_pair(Organisation, keep, drop)
    plan = organisation_merge_preview(keep=keep, drop=drop)
    snapshot = {
        "siren": drop.siren,
        "siret": drop.siret,
        "rna": drop.rna,
        "email": drop.email,
    }
    moved = merging.move_all(Organisation, keep=keep, drop=drop, by=by, reason=_merge_reason(keep))
    _fill_blanks(keep, drop, plan["field_names"], unique="siret")

    return _conclude(
        keep,
        drop,
        by,
        kind=MergeKind.ORGANISATION,
        kept_organisation=keep,
        dropped_name=drop.name,
        dropped_details=snapshot,
        moved={"relations": moved, "fields": plan["fields"]},
    )


def organisation_merge_preview(*, keep: Organisation, drop: Organisation) -> dict:
    """What `organisation_merge` would move (one count query per relation, no write)."""
    _check_pair(keep, drop)
    fields = _fillable(keep, drop, ORGANISATION_FILLABLE)
    if "siret" in fields and keep.siren and not drop.siret.startswith(keep.siren):
        fields.remove("siret")
    if "siren" in fields and keep.siret:
        fields.remove("siren")
    return {
        "relations": merging.count_rows(Organisation, drop),
        "fields": _labels(Organisation, fields),
        "field_names": fields,
    }


def _lock_pair(model, keep, drop):
    """`keep` and `drop` read again with their rows locked, so that two officers merging
    at once cannot interleave."""
    locked = {r.pk: r for r in model.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk])}
    return locked[keep.pk], locked[drop.pk]


def _fill_blanks(keep, drop, fields, *, unique: str) -> None:
    """Copy `fields` from `drop` onto `keep` (saved by `_conclude`). The `unique` field
    (email, SIRET) is freed on `drop` first, so the constraint holds at each write."""
    if unique in fields:
        value = getattr(drop, unique)
        setattr(drop, unique, "")
        drop.save(update_fields=[unique])
        setattr(keep, unique, value)
    for name in fields:
        if name != unique:
            setattr(keep, name, getattr(drop, name))


def _conclude(keep, drop, by, **record) -> MergeRecord:
    """Write the MergeRecord (`record` holds its kind, kept record and what moved), then
    archive `drop` pointing to `keep`."""
    merge = MergeRecord.objects.create(dropped_id=drop.pk, by=by, **record)
    _finish(keep, drop, by)
    return merge


def _finish(keep, drop, by) -> None:
    drop.archived_at = drop.archived_at or timezone.now()
    drop.merged_into = keep
    drop._history_user = by
    drop._change_reason = _("Fusionnée dans « %(name)s »") % {"name": keep}
    drop.save()
    keep.full_clean()
    keep._history_user = by
    keep._change_reason = _("Fusion avec « %(name)s » (fiche n° %(pk)s)") % {
        "name": drop,
        "pk": drop.pk,
    }
    keep.save()
