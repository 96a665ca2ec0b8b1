"""The period report as a PDF laid out like the official Biểu 06/VPCP/KSTT table: A4
landscape, the title block, the three merged header rows and the column numbers, one block
per level with its subtotal, and the grand total. Rendered with the bundled font by
:mod:`motcua.documents.render` (WeasyPrint), so the output never depends on installed fonts.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from motcua.documents import render
from motcua.supervision.export import FORM, TITLE
from motcua.supervision.report import COLUMN_NUMBERS, HEADER, PeriodReport

TEMPLATE = "supervision/pdf/bieu06.html"


def header_rows() -> list[list[tuple[int, int, str]]]:
    """The merged header as table rows of (rowspan, colspan, text)."""
    rows: list[list[tuple[int, int, str]]] = [[], [], []]
    for row, _col, rowspan, colspan, text in HEADER:
        rows[row - 1].append((rowspan, colspan, text))
    return rows


def context(built: PeriodReport, now: dt.datetime) -> dict:
    return {
        "report": built,
        "form_name": FORM,
        "title": TITLE,
        "header_rows": header_rows(),
        "column_numbers": COLUMN_NUMBERS,
        "generated_at": timezone.localtime(now),
        "document_name": f"{FORM} — {TITLE}",
    }


def report_pdf(built: PeriodReport, now: dt.datetime) -> bytes:
    return render.render_pdf(TEMPLATE, context(built, now), page_size="A4", landscape=True)
