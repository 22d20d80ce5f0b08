"""HTML to PDF with WeasyPrint, fetching nothing: a document made from user text must not
make the server request a URL that text smuggled in (the styles live in the HTML, and an
image, such as the letterhead's logo, is inlined as a data: URI, decoded locally)."""


def _refuse(url):
    return ValueError(f"This document fetches no resource ({url[:80]}).")


def _fetcher():
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 66: a fetcher is a function
        from weasyprint.urls import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not url.startswith("data:"):
                raise _refuse(url)
            return default_url_fetcher(url, *args, **kwargs)

        return fetch

    class DataOnly(URLFetcher):
        def fetch(self, url, headers=None):
            # A data: URI holds its content: decoding it requests nothing.
            if not url.startswith("data:"):
                raise _refuse(url)
            return super().fetch(url, headers)

    return DataOnly(allowed_protocols=["data"])


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()
