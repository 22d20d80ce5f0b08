"""Likely duplicates of a person or organisation about to be created, imported or merged.

Each finder runs two indexed queries whatever the number of records: one for the records
sharing a key with the one described (name, phonetic name, e-mail or mailbox, phone, SIRET,
SIREN, address), one for the names a few typos away (PostgreSQL: pg_trgm's `%` operator on
the trigram index; SQLite: the same commune and the same first letters, bounded). Every
candidate is then scored in memory (contacts.matching) and the probable ones are returned,
best first, with the score and the reasons. They look at every record, archived ones
included (an archived duplicate is still worth restoring rather than re-typing); callers
that show them to a user filter with `visible_to` first if needed.
"""

import copy
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from contacts.duplicate_scan import dismissed_with
from contacts.matching import (
    ORGANISATION_KEYS,
    PERSON_KEYS,
    Reason,
    compare_organisations,
    compare_people,
    keys_of,
)
from contacts.models import Organisation, Person

# Candidates read per query at most, so a common name still costs one bounded query.
SIMILAR_CANDIDATES_LIMIT = 500
# What a form or an import proposes: a pair at least this probable.
SUGGESTED_SCORE = 0.5
# Shown at most, best first.
SHOWN = 10

__all__ = [
    "SUGGESTED_SCORE",
    "Candidate",
    "Reason",
    "find_organisation_duplicates",
    "find_person_duplicates",
]


@dataclass
class Candidate:
    """A record that may be the one being typed, how probably, and why we think so."""

    record: Person | Organisation
    reasons: list = field(default_factory=list)
    score: float = 0.0

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def reason_labels(self) -> list[str]:
        return [str(Reason(r).label) for r in self.reasons]


def _commune_pk(commune):
    return getattr(commune, "pk", commune)


def _typo_block(key: str, commune_pk) -> Q:
    """The records whose name may be a few typos from `key`."""
    if connection.vendor == "postgresql":
        return Q(name_key__trigram_similar=key)
    block = Q(name_key__startswith=key[:3])
    if commune_pk:
        block |= Q(commune_id=commune_pk)
    return block


def _candidates(model, probe, exact: Q, compare, keys, exclude_pk) -> list[Candidate]:
    records = model.objects.select_related("commune").exclude(pk=exclude_pk)
    found: dict[int, Person | Organisation] = {}
    for record in records.filter(exact).order_by("pk")[:SIMILAR_CANDIDATES_LIMIT]:
        found[record.pk] = record
    if probe.name_key:
        block = records.filter(_typo_block(probe.name_key, probe.commune_id))
        # PostgreSQL reads the few matches from the trigram index (an ORDER BY could make
        # it walk the name index instead); SQLite's bounded block needs a stable order.
        ordering = () if connection.vendor == "postgresql" else ("name_key", "pk")
        for record in block.order_by(*ordering)[:SIMILAR_CANDIDATES_LIMIT]:
            found.setdefault(record.pk, record)
    mine = keys_of(probe, keys)
    candidates = []
    for record in found.values():
        evidence = compare(mine, keys_of(record, keys))
        if evidence.score >= SUGGESTED_SCORE:
            candidates.append(Candidate(record, list(evidence.reasons), evidence.score))
    candidates.sort(key=lambda c: (-c.score, c.record.pk))
    return candidates[:SHOWN]


def _either(**values) -> Q:
    """Records holding any of the non-blank `values` (OR of equalities)."""
    query = Q(pk__in=[])
    for name, value in values.items():
        if value:
            query |= Q(**{name: value})
    return query


def find_person_duplicates(
    *,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    commune=None,
    exclude_pk=None,
) -> list[Candidate]:
    """People who may be the one described: same e-mail or mailbox (case, dots, accents
    ignored), same phone in any format, same or similar name (a typo, a missing accent,
    a name that sounds the same), the same commune adding to a name's evidence.

    `commune` is a Commune or its pk. Two queries."""
    probe = Person(
        first_name=first_name or "",
        last_name=last_name or "",
        email=email or "",
        phone=phone or "",
        commune_id=_commune_pk(commune),
    )
    probe.normalize()
    return _person_candidates(probe, exclude_pk)


def _person_candidates(probe: Person, exclude_pk) -> list[Candidate]:
    exact = _either(
        name_key=probe.name_key,
        sound_key=probe.sound_key,
        email_key=probe.email_key,
        email=probe.email,
        phone=probe.phone if probe.phone.startswith("+") else "",
    )
    return _candidates(Person, probe, exact, compare_people, PERSON_KEYS, exclude_pk)


def find_organisation_duplicates(
    *,
    name: str,
    siret: str = "",
    siren: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    postal_code: str = "",
    commune=None,
    exclude_pk=None,
) -> list[Candidate]:
    """Organisations that may be the one described: same SIRET, same SIREN (the SIRET's
    first nine digits count), same or similar name, same e-mail, phone or address. Two
    queries."""
    probe = Organisation(
        name=name or "",
        siret=siret or "",
        siren=siren or "",
        email=email or "",
        phone=phone or "",
        address=address or "",
        postal_code=postal_code or "",
        commune_id=_commune_pk(commune),
    )
    probe.normalize()
    return _organisation_candidates(probe, exclude_pk)


def _organisation_candidates(probe: Organisation, exclude_pk) -> list[Candidate]:
    siren = probe.siren or (probe.siret[:9] if len(probe.siret) == 14 else "")
    exact = _either(
        name_key=probe.name_key,
        sound_key=probe.sound_key,
        siret=probe.siret,
        siren=siren,
        email=probe.email,
        phone=probe.phone if probe.phone.startswith("+") else "",
        address_key=probe.address_key,
    )
    if siren != probe.siren:
        probe = copy.copy(probe)
        probe.siren = siren
    return _candidates(
        Organisation, probe, exact, compare_organisations, ORGANISATION_KEYS, exclude_pk
    )


class PeopleIndex:
    """Probable duplicates of many people at once (an import's chunk): the stored people
    sharing a key (name, phonetic name, mailbox, phone) with any of them, read in one
    query per chunk, then compared in memory."""

    KEYS = ("name_key", "sound_key", "email_key", "phone")

    def __init__(self, probes: list[Person]):
        wanted = {key: {getattr(p, key) for p in probes} - {""} for key in self.KEYS}
        query = Q(pk__in=[])
        for key, values in wanted.items():
            if values:
                query |= Q(**{f"{key}__in": sorted(values)})
        self.by_key: dict[tuple[str, str], list[Person]] = {}
        people = Person.objects.current().filter(query).order_by("pk")
        for person in people[: SIMILAR_CANDIDATES_LIMIT * 4]:
            for key in self.KEYS:
                value = getattr(person, key)
                if value in wanted[key]:
                    self.by_key.setdefault((key, value), []).append(person)

    def probable(self, probe: Person) -> list[Candidate]:
        """The stored people `probe` (normalised) is probably, best first."""
        seen: dict[int, Person] = {}
        for key in self.KEYS:
            value = getattr(probe, key)
            for person in self.by_key.get((key, value), []) if value else []:
                if person.pk != probe.pk:
                    seen.setdefault(person.pk, person)
        mine = keys_of(probe, PERSON_KEYS)
        found = []
        for person in seen.values():
            evidence = compare_people(mine, keys_of(person, PERSON_KEYS))
            if evidence.score >= SUGGESTED_SCORE:
                found.append(Candidate(person, list(evidence.reasons), evidence.score))
        found.sort(key=lambda c: (-c.score, c.record.pk))
        return found[:3]


def probable_duplicates_message(candidates: list[Candidate]) -> str:
    """A preview warning naming the people a new row probably is."""
    described = "; ".join(
        _("« %(name)s » (fiche n° %(pk)s, %(reasons)s, probabilité %(percent)s %%)")
        % {
            "name": c.record,
            "pk": c.record.pk,
            "reasons": ", ".join(c.reason_labels),
            "percent": c.percent,
        }
        for c in candidates
    )
    return _("nouvelle fiche, mais doublon probable de %(who)s : vérifiez avant de confirmer") % {
        "who": described
    }


def probable_duplicates_of(record, kind: str) -> list[Candidate]:
    """The current records probably the same as `record`, an officer's "not a duplicate"
    respected (three queries): for the record's page and the merge page."""
    if isinstance(record, Person):
        candidates = _person_candidates(record, record.pk)
    else:
        candidates = _organisation_candidates(record, record.pk)
    dismissed = dismissed_with(kind, record.pk)
    return [
        c
        for c in candidates
        if c.record.archived_at is None
        and c.record.merged_into_id is None
        and c.record.pk not in dismissed
    ]
