"""The line of a hit that matched, cut around the match, with the matched words marked.

Works on the folded text (case and accents ignored, as the search does) and marks the
original characters; every piece of the record's text is escaped.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from crm.core.text import fold_with_positions

WIDTH = 160  # characters shown around the first match of a long line


@dataclass(frozen=True)
class Line:
    label: str  # the field's name ("Compte rendu"), or "" for the record's own name
    html: SafeString


def _value(record, path: str) -> str:
    for attribute in path.split("."):
        record = getattr(record, attribute, None)
        if record is None:
            return ""
    return str(record)


def _word_starts(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    """(start, end) in `folded` of each term found at the start of a word."""
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            if start == 0 or not folded[start - 1].isalnum():
                spans.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    return sorted(spans)


def _anywhere(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    return sorted(spans)


def _marked(text: str, spans: list[tuple[int, int]]) -> SafeString:
    pieces, position = [], 0
    for start, end in spans:
        if start < position:  # overlapping terms ("mar", "marie"): one mark
            start = position
        if start >= end:
            continue
        pieces.append(escape(text[position:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped above


def _cut(line: str, spans_in_line: list[tuple[int, int]]) -> tuple[str, list, str, str]:
    """The part of a long line around its first match, spans shifted, and the ellipses."""
    if len(line) <= WIDTH:
        return line, spans_in_line, "", ""
    first = spans_in_line[0][0] if spans_in_line else 0
    start = max(0, min(first - WIDTH // 3, len(line) - WIDTH))
    end = start + WIDTH
    kept = [(s - start, min(e, end) - start) for s, e in spans_in_line if s >= start and s < end]
    return line[start:end], kept, "… " if start else "", " …" if end < len(line) else ""


def _line_with(text: str, terms: list[str], finder) -> SafeString | None:
    for line in text.splitlines():
        folded, origins = fold_with_positions(line)
        spans = finder(folded, terms)
        if not spans:
            continue
        # Folded positions back to the line's characters (a ligature folds to two).
        original = [(origins[s], origins[e - 1] + 1) for s, e in spans]
        shown, kept, before, after = _cut(line, original)
        return mark_safe(escape(before) + _marked(shown, kept) + escape(after))  # noqa: S308
    return None


def matched_line(record, fields, terms: list[str]) -> Line | None:
    """The first field of `fields` ((label, attribute path), in order) with a word that
    starts like a term of the query, else one that contains a term; None when only the
    name's likeness matched (a typo), which the hit's title already shows."""
    for finder in (_word_starts, _anywhere):
        for label, path in fields:
            html = _line_with(_value(record, path), terms, finder)
            if html is not None:
                return Line("" if label == "name" else str(label), html)
    return None
