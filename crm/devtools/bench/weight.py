"""Page weight: what a browser downloads for a page, compressed (gzip) as a server sends it:
the HTML plus every stylesheet and script it links. Shared by `manage.py bench` (over HTTP)
and the fast test of the main pages (tests/crm/test_page_weight.py, through the test client
and the static files finders), so that both weigh a page the same way."""

import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass

# Issue 22: every page under 150 KB of HTML, CSS and JavaScript transferred.
PAGE_WEIGHT_LIMIT_KB = 150

_ASSET = re.compile(
    r"<link\b[^>]*\brel=[\"']?stylesheet[^>]*>|<script\b[^>]*\bsrc=[^>]*>", re.IGNORECASE
)
_URL = re.compile(r"\b(?:href|src)=[\"']([^\"']+)[\"']", re.IGNORECASE)


def gzipped(data: bytes) -> int:
    """Bytes once compressed with gzip at level 6 (what nginx and WhiteNoise send)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def linked_assets(html: str) -> list[str]:
    """The URLs of the stylesheets and scripts the page links, in order, once each."""
    urls = []
    for tag in _ASSET.findall(html):
        found = _URL.search(tag)
        if found and found.group(1) not in urls:
            urls.append(found.group(1))
    return urls


@dataclass(frozen=True)
class Weight:
    html: int
    assets: int
    files: int

    @property
    def total(self) -> int:
        return self.html + self.assets

    @property
    def total_kb(self) -> float:
        return self.total / 1024


def page_weight(html: bytes, fetch: Callable[[str], bytes], cache: dict | None = None) -> Weight:
    """The gzip size of `html` and of the assets it links, each read with `fetch(url)`
    (`cache` keeps their sizes between pages: they are the same files)."""
    cache = {} if cache is None else cache
    assets = 0
    urls = linked_assets(html.decode("utf-8", "replace"))
    for url in urls:
        if url not in cache:
            cache[url] = gzipped(fetch(url))
        assets += cache[url]
    return Weight(html=gzipped(html), assets=assets, files=len(urls))
