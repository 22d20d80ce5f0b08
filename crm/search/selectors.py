"""The global search: projects, people, organisations, meetings and notes a user may see,
ranked, a few of each kind.

Matching ignores case and accents everywhere (`crm_fold`, crm.core.text). On PostgreSQL the
words of texts go through full-text search (each word of the query as a prefix: "recycl"
finds "Recyclerie") and names through pg_trgm as well (typos: "lefebre" finds "Lefèvre"),
both served by the GIN indexes the models declare. SQLite, the embedded default, looks for
each word inside the folded texts and scores names with the same trigram similarity in
Python: the same page, without the indexes.

One query per kind, one for the communes named, and on PostgreSQL one to set the
similarity threshold, whatever the number of rows.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, Person
from crm.core import roles
from crm.core.text import Fold, WordSimilarity, fold, search_vector
from crm.models import Commune, Project
from followups.models import Meeting, MeetingNote

MAX_TERMS = 6
MIN_QUERY_LENGTH = 2
PER_KIND = 10
# A name whose best words share this much of their trigrams with the query matches (about
# one wrong letter in a seven-letter name); below it, typos give unrelated names.
NAME_SIMILARITY = 0.4


def terms_of(text: str) -> list[str]:
    """The folded words of a query (letters and digits), at most MAX_TERMS."""
    return re.findall(r"[^\W_]+", fold(text))[:MAX_TERMS]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    # (label, attribute path) of the texts a hit's matched line is looked for in, in order.
    fields: tuple[tuple[str, str], ...]
    # Text fields of the full-text vector (PostgreSQL) or of the LIKE match (SQLite).
    text_fields: tuple[str, ...]
    # A name matched with trigrams (typos), already folded in the database or folded here.
    name: str | None = None
    name_is_folded: bool = False
    # The path to a commune whose name may match instead.
    commune: str | None = None


PROJECTS = Kind(
    "projects",
    _("Projets"),
    (("name", "name"), (_("Résumé"), "summary"), (_("Commune"), "commune.name")),
    ("name", "summary"),
    name="name",
    commune="commune",
)
PEOPLE = Kind(
    "people",
    _("Porteur·ses de projet"),
    (("name", "full_name"), (_("Courriel"), "email"), (_("Commune"), "commune.name")),
    (),
    name="name_key",
    name_is_folded=True,
    commune="commune",
)
ORGANISATIONS = Kind(
    "organisations",
    _("Structures"),
    (("name", "name"), (_("SIRET"), "siret"), (_("Commune"), "commune.name")),
    (),
    name="name_key",
    name_is_folded=True,
    commune="commune",
)
MEETINGS = Kind(
    "meetings",
    _("Rendez-vous"),
    ((_("Compte rendu"), "summary"), (_("Décisions"), "decisions"), (_("Lieu"), "place")),
    ("summary", "decisions", "place"),
)
NOTES = Kind("notes", _("Notes"), ((_("Note"), "text"),), ("text",))
KINDS = (PROJECTS, PEOPLE, ORGANISATIONS, MEETINGS, NOTES)


@dataclass
class Group:
    kind: Kind
    records: list = field(default_factory=list)
    more: bool = False  # more than PER_KIND matched


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def _base_querysets(user) -> dict[str, object]:
    """What `user` may see of each kind (visible_to), with what a hit shows."""
    return {
        "projects": Project.objects.visible_to(user).current().select_related("commune"),
        "people": Person.objects.visible_to(user).current().select_related("commune"),
        "organisations": Organisation.objects.visible_to(user).current().select_related("commune"),
        "meetings": Meeting.objects.visible_to(user)
        .filter(project__archived_at__isnull=True)
        .select_related("project"),
        # visible_to leaves internal notes to officers only.
        "notes": MeetingNote.objects.visible_to(user)
        .filter(meeting__project__archived_at__isnull=True)
        .select_related("meeting__project"),
    }


def _text_match(kind: Kind, terms: list[str]):
    """(condition, rank) of the words of the query in the kind's texts."""
    if not kind.text_fields:
        return Q(pk__in=[]), Value(0.0)
    if _postgresql():
        query = SearchQuery(
            " & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple"
        )
        vector = search_vector(*kind.text_fields)
        return Q(_vector=query), SearchRank(vector, query)
    condition = Q()
    for term in terms:
        any_field = Q()
        for name in kind.text_fields:
            any_field |= Q(**{f"_fold_{name}__contains": term})
        condition &= any_field
    return condition, Value(0.0)


def _name_match(kind: Kind, terms: list[str]):
    """(words, likeness, rank) of the query against the kind's name: every word at the
    start of a word of the name; the name close enough (typos)."""
    if kind.name is None:
        return Q(pk__in=[]), Q(pk__in=[]), Value(0.0)
    folded = " ".join(terms)
    condition = Q()
    for term in terms:
        condition &= Q(_name__startswith=term) | Q(_name__contains=f" {term}")
    if _postgresql():
        # `%>`: word_similarity above pg_trgm.word_similarity_threshold, through the index.
        likeness = Q(_name__trigram_word_similar=folded)
    else:
        likeness = Q(_similarity__gte=NAME_SIMILARITY)
    return condition, likeness, F("_similarity")


def _communes_named(terms: list[str]) -> list[int]:
    """The communes whose name starts like the query (one query on the 16 communes). A
    list of ids rather than a subquery: `commune_id IN (1, 2)` can join the other
    conditions in a bitmap OR of indexes, a subquery would make PostgreSQL read every row."""
    communes = Commune.objects.alias(_folded=Fold("name")).filter(
        _folded__startswith=" ".join(terms)
    )
    return list(communes.values_list("pk", flat=True))


def _commune_match(kind: Kind, commune_ids: list[int]) -> Q:
    if kind.commune is None or not commune_ids:
        return Q(pk__in=[])
    return Q(**{f"{kind.commune}__in": commune_ids})


def _matching(kind: Kind, queryset, terms: list[str], commune_ids: list[int]):
    if kind.text_fields:
        if _postgresql():
            queryset = queryset.alias(_vector=search_vector(*kind.text_fields))
        else:
            queryset = queryset.alias(**{f"_fold_{n}": Fold(n) for n in kind.text_fields})
    if kind.name is not None:
        name = F(kind.name) if kind.name_is_folded else Fold(kind.name)
        queryset = queryset.alias(_name=name).annotate(
            _similarity=WordSimilarity(Value(" ".join(terms)), name)
        )
    text_condition, text_rank = _text_match(kind, terms)
    name_words, name_likeness, name_rank = _name_match(kind, terms)
    exact = text_condition | name_words | _commune_match(kind, commune_ids)
    queryset = queryset.filter(exact | name_likeness)
    if kind in (MEETINGS, NOTES):
        # The most recent first. Ranking them computed the text vector of every match
        # (a commune's name is in thousands of meetings' places: 2.6 s for 15,000 of them
        # at 6,000 projects). `pk + 0`, not `pk`: ordered by the key itself, PostgreSQL
        # walked the primary key backwards testing each row's text, the whole table for
        # a rare word; by an expression, it takes the matches from the text index.
        return queryset.order_by((F("pk") + 0).desc())
    # Every word found comes before a name only alike (a typo, or some of the words).
    rank = Case(When(exact, then=Value(1.0)), default=Value(0.0)) + Greatest(
        text_rank, name_rank, output_field=FloatField()
    )
    return queryset.annotate(_rank=rank).order_by("-_rank", "pk")


def _set_similarity_threshold() -> None:
    """pg_trgm's word-similarity threshold for this connection (its default, 0.6, refuses
    a typo in a short name). One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(NAME_SIMILARITY)],
        )


def search(user, text: str) -> list[Group]:
    """The groups of hits of `text` for `user`, in the order of KINDS, empty ones left
    out. Nothing for a query shorter than MIN_QUERY_LENGTH or a user without a role."""
    terms = terms_of(text)
    if sum(len(t) for t in terms) < MIN_QUERY_LENGTH or roles.primary_role(user) is None:
        return []
    if _postgresql():
        _set_similarity_threshold()
    groups = []
    bases = _base_querysets(user)
    commune_ids = _communes_named(terms)
    for kind in KINDS:
        records = list(_matching(kind, bases[kind.key], terms, commune_ids)[: PER_KIND + 1])
        if records:
            groups.append(Group(kind, records[:PER_KIND], more=len(records) > PER_KIND))
    return groups
