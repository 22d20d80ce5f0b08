"""Every form, shown fresh or sent back with errors, ties its help and errors to its fields:
each `aria-describedby` (and `aria-errormessage`, each `href="#..."` of an error summary)
names an element of the page, and a field in error is listed in the summary above the form.

The pages are every named route of the site (the URL walk's), read as an officer, the owner
coach and an anonymous visitor (login, password reset, the public registration), then sent
an empty POST (when a field is required) so that each form comes back with its errors."""

import re
from html.parser import HTMLParser

import pytest

from tests.security.walk import REFUSED, all_routes, log_in_as, outcome_of, targets

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []  # (element, id it points at)
        self.summary_links: list[str] = []
        self.invalid: list[str] = []  # ids of fields marked aria-invalid
        self._in_summary = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("aria-describedby", "aria-errormessage", "aria-labelledby"):
            for target in (attributes.get(name) or "").split():
                self.described.append((f"<{tag} {name}> {attributes.get('id', '')}", target))
        if attributes.get("id") == "error-summary":
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a" and (attributes.get("href") or "").startswith("#"):
            self.summary_links.append(attributes["href"][1:])
        if attributes.get("aria-invalid") == "true" and attributes.get("type") != "hidden":
            self.invalid.append(attributes.get("id", ""))

    def handle_endtag(self, tag):
        if self._in_summary and tag == "div":
            self._in_summary -= 1


def problems(html: str) -> list[str]:
    reader = _Ids()
    reader.feed(html)
    found = [
        f"{element} points at #{target}, which does not exist"
        for element, target in reader.described
        if target not in reader.ids
    ]
    found += [
        f"the error summary links to #{target}, which does not exist"
        for target in reader.summary_links
        if target not in reader.ids
    ]
    if reader.invalid and "error-summary" not in reader.ids:
        found.append(f"fields in error ({reader.invalid}) but no error summary (#error-summary)")
    linked = set(reader.summary_links)
    found += [
        f"field #{field} is in error but the summary does not link to it"
        for field in reader.invalid
        if field and field not in linked and re.sub(r"_\d+$", "_0", field) not in linked
    ]
    return found


def _pages(client, world, persona):
    log_in_as(client, world, persona)
    for route in all_routes():
        if route.is_admin or route.name.endswith(("-export", "-download", "-pdf")):
            continue
        for target in targets(route, world):
            response = client.get(target.url)
            if outcome_of(response) in REFUSED or response.status_code != 200:
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            content = response.content.decode()
            yield f"GET {target.url}", content
            # Only forms that an empty submission cannot save (a required field): a
            # confirmation page (delete, log out) would act on the walk's world.
            if 'method="post"' not in content or " required" not in content:
                continue
            sent = client.post(target.url, {"csrfmiddlewaretoken": "as-a-browser-sends"})
            if sent.status_code == 200 and "text/html" in sent.get("Content-Type", ""):
                yield f"POST {target.url}", sent.content.decode()
            log_in_as(client, world, persona)  # a POST may have signed out


# 10-20 s per persona: every page of the site, then an empty POST to each form.
@pytest.mark.slow
@pytest.mark.parametrize("persona", ["officer", "owner", "anonymous"])
def test_every_form_ties_its_errors_to_ids_that_exist(client, world, persona):
    failures = []
    for label, content in _pages(client, world, persona):
        failures += [f"{label}: {problem}" for problem in problems(content)]
    assert not failures, "\n".join(failures)
