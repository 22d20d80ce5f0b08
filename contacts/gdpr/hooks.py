"""Extension points of the personal-data lifecycle for the apps above contacts.

contacts never imports them: an app whose records hold files about a person (documents)
registers, in its AppConfig.ready,
- an *archive source* `source(person, *, include_internal) -> [(path, open)]`: files
  added to the access export's ZIP under `documents/` (`open()` returns a binary file
  object); without `include_internal` (the person's own download) internal files stay out;
- an *erasure hook* `hook(pks, counts)`: run inside the erasure's transaction (and its
  rolled-back preview) for the person's pks; it deletes what concerns them and counts it
  in `counts` ("app.Model": rows). Stored files must be deleted only once the erasure
  commits (transaction.on_commit), so that a preview deletes nothing.
"""

from collections.abc import Callable, Iterable
from typing import Any

ArchiveSource = Callable[[Any], Iterable[tuple[str, Callable[[], Any]]]]
ErasureHook = Callable[[list[int], Any], None]

archive_sources: list[ArchiveSource] = []
erasure_hooks: list[ErasureHook] = []


def register_archive_source(source: ArchiveSource) -> None:
    if source not in archive_sources:
        archive_sources.append(source)


def register_erasure_hook(hook: ErasureHook) -> None:
    if hook not in erasure_hooks:
        erasure_hooks.append(hook)
