"""Reports: the national answer and the per-institution report, from one ``ReportData``.

    render(data, "html", Path("answer.html"))     # also "pdf", "xlsx", "csv", "json"; out may be a file object

``ReportData`` (``schoon.report.model``) is what the audit store produces; the renderers only read it.
Formats and sections are described in ``docs/report.md``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from schoon.errors import SchoonError
from schoon.outfile import write_bytes
from schoon.report.model import ReportData

FORMATS: tuple[str, ...] = ("html", "pdf", "xlsx", "csv", "json")
MEDIA_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def render_bytes(data: ReportData, fmt: str, csv_dialect: str | None = None) -> bytes:
    """The report in ``fmt`` as bytes (text formats in UTF-8); CSV in ``csv_dialect`` (default: by language,
    see :func:`schoon.csvout.dialect_for`)."""
    if fmt == "html":
        from schoon.report.html import render_html

        return render_html(data).encode("utf-8")
    if fmt == "pdf":
        from schoon.report.pdf import render_pdf

        return render_pdf(data)
    if fmt == "xlsx":
        from schoon.report.xlsx import render_xlsx

        return render_xlsx(data)
    if fmt == "csv":
        from schoon.report.csvjson import render_csv

        return render_csv(data, csv_dialect).encode("utf-8")
    if fmt == "json":
        from schoon.report.csvjson import render_json

        return render_json(data).encode("utf-8")
    raise SchoonError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render(data: ReportData, fmt: str, out: Path | IO[Any], csv_dialect: str | None = None) -> None:
    """Write the report in ``fmt`` to ``out``: a path, a binary file object, or a text one for text formats.

    A path is written whole or not at all (:func:`schoon.outfile.write_bytes`); a text stream that has a binary
    buffer underneath (``sys.stdout``) takes PDF and XLSX through that buffer.
    """
    payload = render_bytes(data, fmt, csv_dialect)
    if isinstance(out, Path):
        write_bytes(out, payload)
    elif isinstance(out, io.TextIOBase):
        if fmt in ("html", "csv", "json"):
            out.write(payload.decode("utf-8"))
        elif hasattr(out, "buffer"):
            out.flush()
            out.buffer.write(payload)
        else:
            raise SchoonError(f"a {fmt} report is binary; give a path or a binary file, not a text stream")
    else:
        out.write(payload)


__all__ = ["FORMATS", "MEDIA_TYPES", "ReportData", "render", "render_bytes"]
