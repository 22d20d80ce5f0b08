"""Field by field: which value of two duplicates the merged record keeps.

For each field the officer may choose (`CHOOSABLE`), the preview lists the two values
when they differ; the officer picks one per field ("keep": the kept record's value,
"drop": the merged record's). A field blank on the kept record takes the other value by
default, a field filled on both keeps the kept record's value by default.

Consents are not picked: they follow the person's own decisions on either record (see
`reconcile_consents`): a consent given on either record stands, unless the person withdrew
one later on the other record (an objection is never undone by a merge).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contacts.models import (
    PERSON_CONSENT_FIELDS,
    Consent,
    Erasure,
    Organisation,
    Person,
)

KEEP, DROP = "keep", "drop"

CHOOSABLE = {
    Person: (
        "first_name",
        "last_name",
        "email",
        "phone",
        "gender",
        "birth_year",
        "commune",
        "lives_in_qpv",
        "employment_situation_at_entry",
    ),
    Organisation: (
        "name",
        "kind",
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
    ),
}


def _blank(value) -> bool:
    return value is None or value == ""


def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


def shown(record, name: str) -> str:
    """A field's value as the merge page shows it (choices by label, relations by name)."""
    field = type(record)._meta.get_field(name)
    value = getattr(record, field.attname)
    if _blank(value):
        return ""
    if field.is_relation:
        return str(getattr(record, name))
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    return str(value)


def differences(keep, drop) -> list[dict]:
    """The choosable fields whose values differ, each with both values and the default
    choice. Reads no row (the communes come with the records' select_related)."""
    model = type(keep)
    found = []
    for name in CHOOSABLE[model]:
        attname = _attname(model, name)
        mine, theirs = getattr(keep, attname), getattr(drop, attname)
        if mine == theirs or _blank(theirs):
            continue
        found.append(
            {
                "name": name,
                "label": str(model._meta.get_field(name).verbose_name),
                "keep": shown(keep, name),
                "drop": shown(drop, name),
                "default": DROP if _blank(mine) else KEEP,
            }
        )
    return found


def taken_from_drop(keep, drop, choices: dict | None) -> list[str]:
    """The fields whose value comes from `drop`: the officer's choices over the defaults.
    A choice naming a field that is not offered is refused (a crafted form)."""
    choices = dict(choices or {})
    offered = {d["name"]: d for d in differences(keep, drop)}
    unknown = set(choices) - set(CHOOSABLE[type(keep)])
    if unknown or any(value not in (KEEP, DROP) for value in choices.values()):
        raise ValidationError(_("Choix de champ inconnu : %(names)s") % {"names": sorted(unknown)})
    return [
        name
        for name, difference in offered.items()
        if choices.get(name, difference["default"]) == DROP
    ]


def check_not_erased(keep, drop) -> None:
    if isinstance(keep, Person) and Erasure.objects.filter(person__in=[keep, drop]).exists():
        raise ValidationError(
            _(
                "Les données d'une de ces fiches ont été effacées (droit à l'effacement) : "
                "elle ne peut pas être fusionnée."
            )
        )


def _state(person: Person, consents: list[Consent], purpose):
    flag, date = PERSON_CONSENT_FIELDS[purpose]
    given = getattr(person, date) if getattr(person, flag) else None
    withdrawn = [c.withdrawn_at for c in consents if c.purpose == purpose and c.withdrawn_at]
    return given, withdrawn


def consent_plan(keep: Person, drop: Person) -> dict:
    """For each purpose: whether the merged record consents, and since when. A withdrawal
    on either record outweighs any consent given before it (one query)."""
    consents = list(Consent.objects.filter(person__in=[keep, drop]))
    plan = {}
    for purpose in PERSON_CONSENT_FIELDS:
        given, withdrawals = [], []
        for person in (keep, drop):
            mine = [c for c in consents if c.person_id == person.pk]
            at, withdrawn = _state(person, mine, purpose)
            if at is not None:
                given.append(at)
            withdrawals.extend(withdrawn)
        last_withdrawal = max(withdrawals, default=None)
        standing = [at for at in given if last_withdrawal is None or at > last_withdrawal]
        plan[purpose] = {
            "consents": bool(standing),
            "since": min(standing) if standing else None,
            "withdrawn_at": last_withdrawal,
            "overruled": bool(given) and not standing,
        }
    return plan


def reconcile_consents(keep: Person, plan: dict, by) -> list[str]:
    """Apply `consent_plan` to the kept record once the Consent rows moved: its columns,
    and the open consents a later withdrawal overrules closed (with that withdrawal's
    date). The names of the columns changed."""
    changed = []
    for purpose, decided in plan.items():
        flag, date = PERSON_CONSENT_FIELDS[purpose]
        if not decided["consents"]:
            open_rows = Consent.objects.filter(person=keep, purpose=purpose, withdrawn_at=None)
            for consent in open_rows:
                consent.withdrawn_at = max(
                    decided["withdrawn_at"] or consent.given_at, consent.given_at
                )
                consent.withdrawn_by = by
                consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        value = decided["consents"]
        since = decided["since"] if value else None
        if getattr(keep, flag) != value or getattr(keep, date) != since:
            setattr(keep, flag, value)
            setattr(keep, date, since)
            changed += [flag, date]
    return changed


def fold_consent(kept: Consent, dropped: Consent) -> list[str]:
    """Two open consents to one purpose (one on each record): the earlier one stands."""
    if dropped.given_at < kept.given_at:
        kept.given_at, kept.origin = dropped.given_at, dropped.origin
        return ["given_at", "origin"]
    return []
