"""Extension points of the project page, filled by the domain apps in `AppConfig.ready`.

The pipeline never imports the apps that add to its page (follow-ups today, documents or
outcomes tomorrow): each registers what it contributes, and the page asks the registry.

- A *timeline source* is `source(project, user) -> list[dict]`, each entry
  `{kind, at, who, title, detail, url}`; the page merges every source, newest first.
- A *panel* is a template included in the page's main column with its data, computed by
  `data(project, user)` and put in the template's context under `key`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TimelineSource = Callable[[Any, Any], list[dict]]


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    data: Callable[[Any, Any], Any]


timeline_sources: list[TimelineSource] = []
panels: list[Panel] = []


def register_timeline_source(source: TimelineSource) -> None:
    if source not in timeline_sources:
        timeline_sources.append(source)


def register_panel(panel: Panel) -> None:
    if all(existing.key != panel.key for existing in panels):
        panels.append(panel)


def panel_context(project, user) -> dict:
    """The registered panels' data by key, and their templates in order, for the page."""
    context: dict = {panel.key: panel.data(project, user) for panel in panels}
    context["panel_templates"] = [panel.template for panel in panels]
    return context
