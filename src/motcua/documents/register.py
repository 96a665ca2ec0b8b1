"""Mẫu 07, Sổ theo dõi hồ sơ (Circular 03/2025 Annex I) as PDF on A4 landscape.

:func:`register_rows` turns the dossiers of :func:`motcua.dossiers.queries.register_rows`
(dates read from the event log) into plain rows; :func:`render_register` lays them out in
parts of :data:`PART_ROWS` rows, reporting progress after each part, and joins the parts
into one PDF whose page numbers run on. The heading (letterhead, national heading, title,
period) is on the first page and the column heads on every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils import timezone, translation

from motcua.documents import qr, render, templating

#: Rows laid out at a time: progress is reported after each part.
PART_ROWS = 100
TITLE = "Sổ theo dõi hồ sơ"
COLUMNS = 13

Progress = Callable[[int, int], None]


def moment(value: dt.datetime | None) -> str:
    """``09:00 02/03/2026`` in local time, as the HTML register shows it; blank if none."""
    if value is None:
        return ""
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"


def row(no: int, d) -> dict:
    """One register row of dossier ``d`` (annotated by ``queries.register_rows``)."""
    notes = [str(d.get_state_display())]
    if d.apologised:
        notes.append(f"đã xin lỗi, hẹn lại {moment(d.due_at)}")
    if d.timeliness:
        notes.append(str(d.get_timeliness_display()).lower())
    return {
        "no": no,
        "code": d.code or d.reference,
        "procedure": d.procedure_version.name,
        "sets": d.sets,
        "applicant": d.applicant_name,
        "address": d.applicant_address,
        "phone": d.applicant_phone,
        "lead_agency": d.competent_agency.name if d.competent_agency_id else "",
        "received": moment(d.received_at),
        "due": moment(d.original_due_at or d.due_at),
        "sent": moment(getattr(d, "sent_at", None)),
        "result_back": moment(getattr(d, "result_back_at", None)),
        "returned": moment(d.returned_at),
        "note": "; ".join(notes),
    }


def register_rows(dossiers: Iterable) -> list[dict]:
    """Plain rows, numbered from 1, in Vietnamese (the legal form's language)."""
    with translation.override("vi"):
        return [row(no, d) for no, d in enumerate(dossiers, start=1)]


def header(*, unit=None, units_label: str = "", day_from, day_to, at=None) -> dict:
    """The heading facts of a register of ``unit`` (or of all the user's one-stop units)."""
    at = at or timezone.now()
    if unit is not None:
        letterhead = templating.letterhead_lines(unit.agency, unit.name)
        unit_label = f"{unit.name} – {unit.agency.name}"
        agency_code = unit.agency.identifier
    else:
        letterhead = {"lines": ["Các bộ phận một cửa được phân quyền"], "place": ""}
        unit_label = units_label or "Các bộ phận một cửa được phân quyền"
        agency_code = ""
    lines = letterhead["lines"]
    issuer = {"agency": lines[0], "unit": lines[1]} if len(lines) > 1 else {"unit": lines[0]}
    return {
        "issuer": issuer,
        "place": letterhead["place"],
        "issued_at": at,
        "unit_label": unit_label,
        "day_from": day_from,
        "day_to": day_to,
        "agency_code": agency_code,
    }


def register_qr(head: dict, total: int) -> str:
    """The QR code of a register: document name, unit, period and row count (no personal
    data; a register has no public page to link to)."""
    lines = [
        TITLE,
        f"Đơn vị: {head['unit_label']}"
        + (f" ({head['agency_code']})" if head["agency_code"] else ""),
        f"Kỳ: {head['day_from']:%d/%m/%Y} – {head['day_to']:%d/%m/%Y}",
        f"Số hồ sơ: {total}",
        f"Lập lúc: {timezone.localtime(head['issued_at']):%H:%M %d/%m/%Y}",
    ]
    return qr.qr_svg("\n".join(lines), title=f"Mã QR: {TITLE}")


def render_register(
    head: dict,
    rows: list[dict],
    *,
    progress: Progress | None = None,
    part_rows: int | None = None,
    version=None,
) -> bytes:
    """The PDF of the register: ``head`` from :func:`header`, ``rows`` from
    :func:`register_rows`; ``progress(done, total)`` after each part; ``version`` a
    published :class:`~motcua.documents.print_models.DocumentTemplate` of Mẫu 07 (``None``:
    the built-in template)."""
    template = templating.template_for("07", version)
    part_rows = part_rows or PART_ROWS
    total = len(rows)
    parts = [rows[i : i + part_rows] for i in range(0, total, part_rows)] or [[]]
    base = {
        **head,
        "document_name": TITLE,
        "qr": register_qr(head, total),
        "total": total,
        "column_numbers": range(1, COLUMNS + 1),
    }
    documents, pages, done = [], 0, 0
    for index, part in enumerate(parts):
        context = {
            **base,
            "rows": part,
            "first": index == 0,
            "last": index == len(parts) - 1,
            "page_offset": pages,
        }
        html = render.render_template_html(template, context, page_size="A4", landscape=True)
        document = render.layout(html)
        documents.append(document)
        pages += len(document.pages)
        done += len(part)
        if progress is not None:
            progress(done, total)
    return render.join_pdf(documents)
