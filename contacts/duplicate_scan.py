"""The scan behind the duplicates page: every probable pair of current records, stored.

Comparing every record with every other one is out of the question (78,000 people at scale
1000 make three billion pairs). The scan reads each record's keys once (one query per
kind), then compares only records that share a block:

- the same key: name, phonetic name, mailbox, phone (people); name, phonetic name, SIRET,
  SIREN, phone, address (organisations). A block larger than BLOCK_LIMIT is a key too
  common to mean anything (an office's switchboard) and is skipped;
- neighbours in the names sorted, and in the names written backwards (a typo near the end
  of a name keeps it among its neighbours in the first order, one near the start in the
  second): each record against the WINDOW records after it.

Each pair found is scored (contacts.matching) and those at LISTED_SCORE or above are
written as DuplicatePair rows, in bulk; the
pairs an officer dismissed ("not a duplicate") stay dismissed and are not proposed again.
A pair found again keeps its row; a pair no longer found (a record archived, merged or
corrected) leaves the list.
"""

from collections import defaultdict
from itertools import combinations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contacts.matching import (
    LISTED_SCORE,
    ORGANISATION_KEYS,
    PERSON_KEYS,
    compare_organisations,
    compare_people,
)
from contacts.models import DuplicatePair, MergeKind, Organisation, Person
from crm.core import permissions

BLOCK_LIMIT = 20
WINDOW = 4

PERSON_BLOCKS = ("name_key", "sound_key", "email_key", "phone")
ORGANISATION_BLOCKS = ("name_key", "sound_key", "siret", "siren", "phone", "address_key")


def _candidate_pairs(rows: list[dict], blocks) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for key in blocks:
        grouped: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            if row[key]:
                grouped[row[key]].append(row["pk"])
        for pks in grouped.values():
            if 1 < len(pks) <= BLOCK_LIMIT:
                pairs.update(combinations(sorted(pks), 2))
    for order in (lambda r: (r["name_key"], r["pk"]), lambda r: (r["name_key"][::-1], r["pk"])):
        ordered = [r["pk"] for r in sorted(rows, key=order) if r["name_key"]]
        for index, pk in enumerate(ordered):
            for other in ordered[index + 1 : index + 1 + WINDOW]:
                pairs.add((min(pk, other), max(pk, other)))
    return pairs


def _scored(rows: list[dict], blocks, compare) -> dict[tuple[int, int], tuple[float, list]]:
    by_pk = {row["pk"]: row for row in rows}
    found = {}
    for first, second in _candidate_pairs(rows, blocks):
        evidence = compare(by_pk[first], by_pk[second])
        if evidence.score >= LISTED_SCORE:
            found[(first, second)] = (evidence.score, [str(r.value) for r in evidence.reasons])
    return found


def _rows(model, keys) -> list[dict]:
    current = model.objects.filter(archived_at__isnull=True, merged_into__isnull=True)
    return list(current.order_by().values(*keys))


@transaction.atomic
def scan_duplicates() -> dict[str, int]:
    """Find and store every probable pair; the number of open pairs per kind."""
    now = timezone.now()
    counts = {}
    for kind, model, keys, blocks, compare, first, second in (
        (
            MergeKind.PERSON,
            Person,
            PERSON_KEYS,
            PERSON_BLOCKS,
            compare_people,
            "first_person_id",
            "second_person_id",
        ),
        (
            MergeKind.ORGANISATION,
            Organisation,
            ORGANISATION_KEYS,
            ORGANISATION_BLOCKS,
            compare_organisations,
            "first_organisation_id",
            "second_organisation_id",
        ),
    ):
        found = _scored(_rows(model, keys), blocks, compare)
        pairs = DuplicatePair.objects.filter(kind=kind)
        dismissed = set(pairs.exclude(dismissed_at=None).values_list(first, second))
        # Pairs still found keep their row (and id); the others go, the new ones come.
        stored = {
            (getattr(p, first), getattr(p, second)): p for p in pairs.filter(dismissed_at=None)
        }
        gone = [p.pk for key, p in stored.items() if key not in found]
        DuplicatePair.objects.filter(pk__in=gone).delete()
        kept, new = [], []
        for pair, (score, reasons) in sorted(found.items()):
            if pair in dismissed:
                continue
            if pair in stored:
                row = stored[pair]
                row.score, row.reasons = score, reasons
                kept.append(row)
            else:
                new.append(
                    DuplicatePair(
                        kind=kind,
                        score=score,
                        reasons=reasons,
                        found_at=now,
                        **{first: pair[0], second: pair[1]},
                    )
                )
        DuplicatePair.objects.bulk_update(kept, ["score", "reasons"], batch_size=1000)
        DuplicatePair.objects.bulk_create(new, batch_size=1000)
        counts[str(kind)] = len(kept) + len(new)
    return counts


@transaction.atomic
def duplicate_dismiss(*, pair: DuplicatePair, by) -> DuplicatePair:
    """ "Not a duplicate": the pair leaves the list and the next scans do not propose it."""
    permissions.require(permissions.can_change_contacts(by))
    pair.dismissed_at = timezone.now()
    pair.dismissed_by = by
    pair.save(update_fields=["dismissed_at", "dismissed_by"])
    return pair


def dismissed_with(kind, pk: int) -> set[int]:
    """The records an officer said are not the same as record `pk` (one query)."""
    prefix = "person" if kind == MergeKind.PERSON else "organisation"
    first, second = f"first_{prefix}_id", f"second_{prefix}_id"
    pairs = DuplicatePair.objects.filter(kind=kind).exclude(dismissed_at=None)
    rows = pairs.filter(Q(**{first: pk}) | Q(**{second: pk})).values_list(first, second)
    return {a if b == pk else b for a, b in rows}
