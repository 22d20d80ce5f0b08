"""Reusable security assertions for any branch's pages and exports.

from tests.security.helpers import XSS_PAYLOADS, assert_shown_as_text
assert_shown_as_text(client.get(url), XSS_NAME)
"""

import re

from django.utils.html import escape, strip_tags

XSS_NAME = "<script>alert(1)</script>"
XSS_HTML = '<img src=x onerror="alert(2)"><b>gras</b>'
XSS_PAYLOADS = (XSS_NAME, XSS_HTML)

# A <script> with no src attribute, an inline event handler or an inline style.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


def assert_shown_as_text(response_or_text, *payloads: str, must_appear: bool = True) -> None:
    """The payloads appear escaped (as the user typed them) and never as live markup.

    Works on a response or on text (an HTML export); for CSV/XLSX exports check instead
    that the value round-trips unchanged and starts with no formula character."""
    content = (
        response_or_text if isinstance(response_or_text, str) else response_or_text.content.decode()
    )
    for payload in payloads or XSS_PAYLOADS:
        assert payload not in content, f"{payload!r} is rendered as markup"
        if must_appear:
            assert escape(payload) in content, f"{payload!r} does not appear as text"


def assert_no_inline_code(response_or_text) -> None:
    """No inline <script>, event handler or style attribute (our CSP would block them)."""
    content = (
        response_or_text if isinstance(response_or_text, str) else response_or_text.content.decode()
    )
    for pattern, what in (
        (INLINE_SCRIPT, "inline <script>"),
        (INLINE_HANDLER, "inline event handler"),
        (INLINE_STYLE, "inline style attribute"),
    ):
        match = pattern.search(content)
        assert match is None, f"{what}: {match.group(0)[:120]!r}"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pdf_text(data: bytes) -> str:
    """The text a reader sees in a PDF (its streams are compressed: raw bytes hide it)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _xlsx_text(data: bytes) -> str:
    """Every cell of every sheet of an XLSX workbook (a zip archive: raw bytes hide it)."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells.extend(str(value) for value in row if value is not None)
    return "\n".join(cells)


def visible_text(response) -> str:
    """An HTML page's text as a reader sees it: tags dropped, runs of whitespace as one."""
    return " ".join(strip_tags(response.content.decode()).split())


def response_text(response) -> str:
    """The body of a response, streamed or not, as text; for a PDF or an XLSX file, the
    text its reader would see (so that walks looking for a value cover downloads too)."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    content_type = response.get("Content-Type", "") if hasattr(response, "get") else ""
    if content_type.startswith("application/pdf") and data.startswith(b"%PDF"):
        return _pdf_text(data)
    if content_type.startswith(XLSX_TYPE) and data.startswith(b"PK"):
        return _xlsx_text(data)
    return data.decode("utf-8", errors="replace")
