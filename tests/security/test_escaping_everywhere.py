"""Every text field of the main records set to hostile HTML, then every page walked: the
markup is never live, in any page of any persona."""

import pytest
from django.db import models
from django.utils.html import escape

from tests.security.helpers import XSS_HTML, XSS_NAME, response_text
from tests.security.walk import all_routes, log_in_as, targets

pytestmark = pytest.mark.django_db

HOSTILE_MODELS = (
    "crm.project",
    "contacts.person",
    "contacts.organisation",
    "followups.meeting",
    "followups.action",
    "followups.event",
)
# Fields with a format the model validates or that pages never show as text.
SKIPPED = {
    "email",
    "phone",
    "siret",
    "siren",
    "rna",
    "naf_code",
    "postal_code",
    "website",
    "insee_code",
    "name_key",
    "token",
}


def make_hostile(world) -> int:
    """Put a payload in every free-text field of the world's main records."""
    changed = 0
    for label in HOSTILE_MODELS:
        record = world.get(label)
        fields = [
            f
            for f in record._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and f.name not in SKIPPED
            and f.editable
        ]
        for index, field in enumerate(fields):
            payload = XSS_NAME if index % 2 == 0 else XSS_HTML
            setattr(record, field.name, payload[: field.max_length or None])
            changed += 1
        type(record)._base_manager.filter(pk=record.pk).update(
            **{f.name: getattr(record, f.name) for f in fields}
        )
    return changed


# 2-3 s per persona: every page of the site, read for live markup.
@pytest.mark.slow
@pytest.mark.parametrize("persona", ["officer", "owner", "manager"])
def test_hostile_text_is_never_live_markup_on_any_page(client, world, persona):
    assert make_hostile(world) > 10
    log_in_as(client, world, persona)
    live, shown_as_text = [], 0
    for route in all_routes():
        if route.name.startswith("admin:"):
            continue
        for target in targets(route, world):
            response = client.get(target.url)
            if "html" not in response.get("Content-Type", ""):
                continue  # exports and PDFs carry text, not markup
            body = response_text(response)
            for payload in (XSS_NAME, XSS_HTML):
                if payload in body:
                    live.append(f"{route.name} {target.url}")
                shown_as_text += escape(payload) in body
    assert not live, f"live markup for {persona} on: {sorted(set(live))}"
    # The walk did meet the hostile values (shown escaped), so it cannot pass vacuously.
    assert shown_as_text > 10
