"""Hostile query strings for the walk of tests/security/test_hostile_queries.py: the values
that broke pages, and the parameters each page declares, read from the page itself (the
fields of its GET forms and the query strings of its own links), with their input kind."""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

DATES = ("0001-01-01", "9999-12-31", "99999-01-01", "9999-12", "0001-01")
NUMBERS = (str(10**30), "-1", "1e400", "nan")
TEXTS = ("a\x00b", "x" * 100_000, '=HYPERLINK("http://x.test")')
HOSTILE_VALUES = DATES + NUMBERS + TEXTS
# Parameters no page declares, and some that views read straight from request.GET.
UNKNOWN_PARAMS = ("zzz_unknown", "page", "per_page", "sort", "export", "month", "period", "start")

KIND_OF_VALUE = {
    **dict.fromkeys(DATES, "date"),
    **dict.fromkeys(NUMBERS, "number"),
    **dict.fromkeys(TEXTS, "text"),
}
INPUT_KINDS = {
    "date": "date",
    "month": "date",
    "datetime-local": "date",
    "number": "number",
    "text": "text",
    "search": "text",
    "hidden": "text",
    "": "text",
}


class _ParameterCollector(HTMLParser):
    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.kinds: dict[str, str] = {}
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "form":
            self._in_get_form = (attributes.get("method") or "get").lower() == "get"
        elif tag == "input" and name and self._in_get_form:
            kind = INPUT_KINDS.get((attributes.get("type") or "").lower(), "choice")
            self.kinds.setdefault(name, kind)
        elif tag in ("select", "textarea") and name and self._in_get_form:
            self.kinds.setdefault(name, "choice" if tag == "select" else "text")
        elif tag == "a" and attributes.get("href"):
            parts = urlsplit(attributes["href"])
            if parts.path in ("", self.path):
                for link_name, _value in parse_qsl(parts.query):
                    self.kinds.setdefault(link_name, "choice")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def declared_parameters(path: str, response) -> dict[str, str]:
    """The query parameters a page offers, each with its kind (date, number, text, choice)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return {}
    collector = _ParameterCollector(path)
    collector.feed(response.content.decode("utf-8", errors="replace"))
    collector.kinds.pop("csrfmiddlewaretoken", None)
    return collector.kinds


def unknown_queries():
    """For a page that declares no parameter: the unknown ones, each with another hostile
    value, repeated, in one request; then a NUL byte (refused before anything else)."""
    values = [v for v in HOSTILE_VALUES if "\x00" not in v]
    yield {name: [values[i % len(values)]] * 2 for i, name in enumerate(UNKNOWN_PARAMS)}
    yield {name: "a\x00b" for name in UNKNOWN_PARAMS}


def hostile_queries(declared: dict[str, str]):
    """The query dicts to send to a page declaring `declared`: every hostile value in every
    parameter at once (repeated), then in only the parameters of its own kind (a date is
    refused by a number field, which would make the form invalid and hide what the date
    does to a date filter). Unknown parameters get the values too."""
    if not declared:
        yield from unknown_queries()
        return
    names = [*declared, *(name for name in UNKNOWN_PARAMS if name not in declared)]
    for value in HOSTILE_VALUES:
        yield {name: [value, value] for name in names}
        same_kind = [name for name, kind in declared.items() if kind == KIND_OF_VALUE[value]]
        if same_kind:
            yield {name: value for name in same_kind}
