"""The PDF report: WeasyPrint lays out the same HTML with its print stylesheet (A4, numbered pages)."""

from __future__ import annotations

import io
import logging

from schoon.report.html import render_html
from schoon.report.model import ReportData


def render_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes. WeasyPrint is imported here, so the other formats work without it."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    # The HTML is self-contained; a fetcher that allows no protocol makes sure nothing is ever loaded.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    buffer = io.BytesIO()
    weasyprint.HTML(string=render_html(data), base_url=None, url_fetcher=fetcher).write_pdf(target=buffer)
    return buffer.getvalue()
