"""Extension point of the person page, filled by the apps above contacts in their
`AppConfig.ready` (follow-ups adds the e-mails written to the person): contacts never
imports them.

A *panel* is a template included at the end of the page with its data, computed by
`data(person, user)` and put in the template's context under `key`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonPanel:
    key: str
    template: str
    data: Callable[[Any, Any], Any]


person_panels: list[PersonPanel] = []


def register_person_panel(panel: PersonPanel) -> None:
    if all(existing.key != panel.key for existing in person_panels):
        person_panels.append(panel)


def person_panel_context(person, user) -> dict:
    """The registered panels' data by key, and their templates in order, for the page."""
    context: dict = {panel.key: panel.data(person, user) for panel in person_panels}
    context["person_panel_templates"] = [panel.template for panel in person_panels]
    return context
