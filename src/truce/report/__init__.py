"""The daily report: figures from the store, HTML, PDF, charts and a static map.

``write_report(uow, day, edition, out_dir)`` is what the CLI and the
dashboard call; the steps are separate modules (build, html, pdf, charts,
staticmap) so each can be used and tested alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..domain.exceptions import ValidationError
from ..store.uow import UnitOfWork
from .build import DailyReport, build_report
from .html import render_html
from .pdf import render_pdf

__all__ = ["EDITIONS", "DailyReport", "build_report", "render_html", "render_pdf", "write_report"]

EDITIONS = ("public", "restricted")


def write_report(uow: UnitOfWork, day: date, edition: str, out_dir: Path, *, link_base: str = "",
                 progress: Callable[[str], None] | None = None) -> tuple[Path, Path]:
    """Write ``{day}.html`` and ``{day}.pdf`` (``-restricted`` appended for that
    edition) into ``out_dir``; returns both paths."""
    if edition not in EDITIONS:
        raise ValidationError(f"unknown edition {edition!r}; one of: {', '.join(EDITIONS)}", field="edition")
    step = progress or (lambda _label: None)
    report = build_report(uow, day, edition, progress=step)
    html = render_html(report, link_base)
    step("HTML, charts and map")
    pdf = render_pdf(html)
    step("PDF")
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = day.isoformat() + ("" if edition == "public" else "-restricted")
    html_path, pdf_path = out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(pdf)
    return html_path, pdf_path
