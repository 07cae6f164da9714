"""The daily report's HTML printed to PDF with WeasyPrint, fetching nothing
from the network: every image is an inline ``data:`` URL and that is the
only protocol the fetcher allows."""

from __future__ import annotations

import logging

__all__ = ["render_pdf"]


def render_pdf(html: str) -> bytes:
    """PDF bytes of a self-contained HTML page."""
    from weasyprint import HTML  # imported late: it takes a moment to load
    from weasyprint.urls import URLFetcher

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
