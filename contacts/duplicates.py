"""Likely duplicates of a person or organisation about to be created (or merged).

Each finder runs a fixed, small number of indexed queries and returns candidates with the
reasons they were found, strongest first. They look at every record, archived ones
included (an archived duplicate is still worth restoring rather than re-typing); callers
that show them to a user filter with `visible_to` first if needed.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, Person
from contacts.validators import digits_only, name_key

# Namesakes are looked for among this many records of the same commune at most, so a
# commune with thousands of residents still costs one bounded query.
SIMILAR_CANDIDATES_LIMIT = 500
# Two keys at most this many single-character edits apart are "similar" (Martin/Martinn).
MAX_EDIT_DISTANCE = 2


class Reason:
    SAME_EMAIL = _("même courriel")
    SAME_SIRET = _("même SIRET")
    SAME_SIREN = _("même SIREN")
    SAME_NAME = _("même nom (sans tenir compte des majuscules ni des accents)")
    SIMILAR_NAME = _("nom proche dans la même commune")


@dataclass
class Candidate:
    """A record that may be the one being typed, and why we think so."""

    record: Person | Organisation
    reasons: list = field(default_factory=list)


def edit_distance(a: str, b: str, limit: int = MAX_EDIT_DISTANCE) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _collect(found: dict, record, reason) -> None:
    candidate = found.setdefault(record.pk, Candidate(record))
    if reason not in candidate.reasons:
        candidate.reasons.append(reason)


def _commune_pk(commune):
    return getattr(commune, "pk", commune)


def find_person_duplicates(
    *, first_name: str, last_name: str, email: str = "", commune=None, exclude_pk=None
) -> list[Candidate]:
    """People who may be the same as the one described: same email ignoring case, same
    name ignoring case/accents/punctuation, or (same commune) a similar name: same last
    name and first-name initial, or a name a couple of typos away.

    `commune` is a Commune or its pk. Two queries at most."""
    found: dict[int, Candidate] = {}
    key = name_key(last_name, first_name)
    email = (email or "").strip()
    people = Person.objects.select_related("commune").exclude(pk=exclude_pk)

    exact = Q(name_key=key) if key else Q(pk__in=[])
    if email:
        exact |= Q(email__iexact=email)
    for person in people.filter(exact):
        if email and person.email.lower() == email.lower():
            _collect(found, person, Reason.SAME_EMAIL)
        if key and person.name_key == key:
            _collect(found, person, Reason.SAME_NAME)

    commune_pk = _commune_pk(commune)
    if commune_pk and key:
        last_key = name_key(last_name)
        first_initial = name_key(first_name)[:1]
        nearby = people.filter(commune_id=commune_pk).exclude(name_key=key)
        for person in nearby.order_by("name_key", "pk")[:SIMILAR_CANDIDATES_LIMIT]:
            same_family = (
                person.name_key.startswith(f"{last_key} {first_initial}")
                if first_initial
                else person.name_key.startswith(last_key)
            )
            if same_family or edit_distance(person.name_key, key) <= MAX_EDIT_DISTANCE:
                _collect(found, person, Reason.SIMILAR_NAME)
    return list(found.values())


def find_organisation_duplicates(
    *, name: str, siret: str = "", siren: str = "", commune=None, exclude_pk=None
) -> list[Candidate]:
    """Organisations that may be the same: same SIRET, same SIREN (the SIRET's first nine
    digits count), same name ignoring case/accents/punctuation, or a similar name in the
    same commune. Two queries at most."""
    found: dict[int, Candidate] = {}
    key = name_key(name)
    siret = digits_only(siret)
    siren = digits_only(siren) or (siret[:9] if len(siret) == 14 else "")
    organisations = Organisation.objects.select_related("commune").exclude(pk=exclude_pk)

    exact = Q(name_key=key) if key else Q(pk__in=[])
    if siret:
        exact |= Q(siret=siret)
    if siren:
        exact |= Q(siren=siren)
    for organisation in organisations.filter(exact):
        if siret and organisation.siret == siret:
            _collect(found, organisation, Reason.SAME_SIRET)
        elif siren and organisation.siren == siren:
            _collect(found, organisation, Reason.SAME_SIREN)
        if key and organisation.name_key == key:
            _collect(found, organisation, Reason.SAME_NAME)

    commune_pk = _commune_pk(commune)
    if commune_pk and key:
        nearby = organisations.filter(commune_id=commune_pk).exclude(name_key=key)
        for organisation in nearby.order_by("name_key", "pk")[:SIMILAR_CANDIDATES_LIMIT]:
            if edit_distance(organisation.name_key, key) <= MAX_EDIT_DISTANCE:
                _collect(found, organisation, Reason.SIMILAR_NAME)
    return list(found.values())
