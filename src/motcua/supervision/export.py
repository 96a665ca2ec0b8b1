"""The period report as an Excel workbook laid out like the official Biểu 06/VPCP/KSTT table:
title block, the three merged header rows, the column numbers, one block per level with its
subtotal, and the grand total."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.supervision.report import COLUMN_NUMBERS, COLUMNS, HEADER, Cells, PeriodReport

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
FORM = "Biểu số 06/VPCP/KSTT"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)
HEADER_TOP = 6  # the first header row (after the title block)
WIDTHS = {1: 6, 2: 48}


def workbook_bytes(report: PeriodReport) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Bieu 06"
    _title(ws, report)
    _header(ws)
    row = HEADER_TOP + 4
    for section in report.sections:
        row = _line(ws, row, section.number, f"Cấp: {section.label}", section.total, bold=True)
        for i, r in enumerate(section.rows, start=1):
            row = _line(ws, row, str(i), r.label, r.cells)
    _line(ws, row, "", "Tổng cộng", report.total, bold=True)
    for col in range(1, len(COLUMN_NUMBERS) + 1):
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS.get(col, 13)
    ws.freeze_panes = ws.cell(row=HEADER_TOP + 4, column=3)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _title(ws, report: PeriodReport) -> None:
    last = get_column_letter(len(COLUMN_NUMBERS))
    sel, period = report.selection, report.period
    lines = [
        (FORM, Font(italic=True)),
        (TITLE, Font(bold=True, size=13)),
        (
            f"Kỳ báo cáo: từ ngày {period.first:%d/%m/%Y} đến ngày {period.last:%d/%m/%Y}",
            Font(italic=True),
        ),
        (
            f"Đơn vị báo cáo: {sel.agency.name}"
            + (" và các cơ quan trực thuộc" if sel.subordinates else ""),
            _BOLD,
        ),
        ("Đơn vị tính: số hồ sơ", Font(italic=True)),
    ]
    for i, (text, font) in enumerate(lines, start=1):
        ws.merge_cells(f"A{i}:{last}{i}")
        cell = ws.cell(row=i, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if i < 4 else "left")


def _header(ws) -> None:
    for row, col, rows, cols, text in HEADER:
        top = HEADER_TOP + row - 1
        if rows > 1 or cols > 1:
            ws.merge_cells(
                start_row=top, start_column=col, end_row=top + rows - 1, end_column=col + cols - 1
            )
        for r in range(top, top + rows):
            for c in range(col, col + cols):
                ws.cell(row=r, column=c).border = _BOX
        cell = ws.cell(row=top, column=col, value=text)
        cell.font = _BOLD
        cell.alignment = _CENTRE
    numbers = HEADER_TOP + 3
    for col, text in enumerate(COLUMN_NUMBERS, start=1):
        cell = ws.cell(row=numbers, column=col, value=text)
        cell.alignment, cell.border, cell.font = _CENTRE, _BOX, Font(italic=True)


def _line(ws, row: int, number: str, label: str, cells: Cells, *, bold: bool = False) -> int:
    values = [number, label, *(cells.column(metric) for metric, _ in COLUMNS)]
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.border = _BOX
        if bold:
            cell.font = _BOLD
        if col != 2:
            cell.alignment = Alignment(horizontal="center")
        else:
            cell.alignment = Alignment(wrap_text=True)
    return row + 1
