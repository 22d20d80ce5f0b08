"""Text folded for matching: lower-case, accents dropped ("Lefèvre" → "lefevre").

`fold()` is the Python side; `Fold` the same in SQL, through a database function named
`crm_fold`: on PostgreSQL an immutable wrapper of `lower(unaccent())` created by the crm
migration `search_extensions` (immutable, so expression indexes may use it); on SQLite a
Python function registered on every new connection (`register_sqlite_functions`).
"""

import unicodedata

from django.db import models

# unaccent turns these into two letters; Unicode decomposition leaves them whole.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def fold(text: str | None) -> str:
    """Lower-case, without accents or ligatures; spacing and punctuation kept."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LIGATURES)


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the index of the character of `text`
    it comes from (to highlight in the original what matched in the folded text)."""
    folded, origins = [], []
    for index, char in enumerate(text):
        piece = fold(char)
        folded.append(piece)
        origins.extend([index] * len(piece))
    return "".join(folded), origins


class Fold(models.Func):
    """`crm_fold(expression)`: the SQL twin of `fold()`."""

    function = "crm_fold"
    output_field = models.TextField()


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def word_similarity(query: str | None, text: str | None) -> float:
    """How closely `query` matches the best word of `text`, from 0 to 1, by shared
    trigrams (pg_trgm's idea, per word: a typo in a name still scores about a half)."""
    wanted = fold(query).split()
    words = fold(text).split()
    if not wanted or not words:
        return 0.0
    scores = []
    for term in wanted:
        grams = _trigrams(term)
        best = 0.0
        for word in words:
            other = _trigrams(word)
            best = max(best, len(grams & other) / len(grams | other))
        scores.append(best)
    return sum(scores) / len(scores)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """On SQLite, give each new connection `crm_fold` and `crm_word_similarity` (connected
    to `connection_created` by the crm app)."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("crm_fold", 1, fold, deterministic=True)
    raw.create_function("crm_word_similarity", 2, word_similarity, deterministic=True)


class WordSimilarity(models.Func):
    """`word_similarity(query, text)` of pg_trgm, or its Python twin on SQLite; give both
    arguments folded."""

    function = "word_similarity"
    output_field = models.FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="crm_word_similarity", **extra_context)


def search_vector(*fields: str):
    """The full-text vector of `fields`, folded, without stemming (config "simple"): the
    same expression in the GIN indexes of the models and in the search's queries, so that
    PostgreSQL uses the index."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*(Fold(field) for field in fields), config="simple")
