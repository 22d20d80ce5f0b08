"""Read an HTML form's fields as a browser would submit them (for tests that drive a real
server over HTTP, without a browser)."""

import re
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.select_options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        chosen = self.form_id is None or self.form_id in {
            attributes.get("id"),
            *(attributes.get("class") or "").split(),
        }
        if tag == "form" and chosen:
            if attributes.get("method", "get").lower() == "post":
                self.inside = True
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and "disabled" not in attributes:
            kind = attributes.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            elif kind not in {"submit", "button", "file", "reset"}:
                self.fields.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self.select, self.select_options = name, []
        elif tag == "option" and self.select:
            self.select_options.append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
            self.form_id = "\0done"  # only the first matching form
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.select_options if selected]
            self.fields += [(self.select, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, "".join(self.text).lstrip("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs the first POST form (or the first whose id or class is
    `form_id`) would send."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields


def select_values(html: str, name: str) -> list[str]:
    """The non-empty option values of the <select name=…> of the page."""
    start = html.index(f'name="{name}"')
    block = html[start : html.index("</select>", start)]
    return [v for v in re.findall(r'<option value="([^"]*)"', block) if v]
