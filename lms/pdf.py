"""WeasyPrint with the doors shut: every PDF the site draws goes through `html_to_pdf`.

Templates of certificates are edited by organisers, and names come from spreadsheets;
WeasyPrint would otherwise fetch any URL a stylesheet or a <link rel="attachment"> names,
including file:///etc/… and the internal network. The fetcher here allows data: URLs and
files inside the folders a document is given, nothing else.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit


def _fetcher_class():
    # Imported here: WeasyPrint is slow to import: loaded when a PDF is made.
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def __init__(self, roots):
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
            self.roots = [Path(r).resolve() for r in roots]

        def fetch(self, url, headers=None):
            if url.lower().startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in self.roots):
                    raise ValueError(f"{url} is outside the folders this document may read")
            return super().fetch(url, headers)

    return LocalFetcher


def local_fetcher(*roots):
    """A WeasyPrint url_fetcher for data: URLs and files under `roots`."""
    return _fetcher_class()(roots)


def html_document(html: str, *, roots=(), base_url=None):
    """weasyprint.HTML for `html`, reading only data: URLs and files under `roots`."""
    # Imported here: WeasyPrint is slow to import: loaded when a PDF is made.
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=local_fetcher(*roots))


def html_to_pdf(html: str, *, roots=(), base_url=None) -> bytes:
    return html_document(html, roots=roots, base_url=base_url).write_pdf()
