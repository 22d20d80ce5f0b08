"""The global search of the header: one page, /search/?q=, over projects, people,
organisations, meetings and notes (selectors: what matches; snippets: the line shown)."""
