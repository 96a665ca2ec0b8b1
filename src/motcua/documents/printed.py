"""Printed forms of Circular 03/2025 Annex I (Mẫu 01–07) as PDF, from plain dict contexts.

Each form is a template under ``documents/pdf/`` plus what it needs from the caller. Only
Mẫu 01 (giấy tiếp nhận hồ sơ và hẹn trả kết quả) is here yet; the others follow the same
shape. Contexts are plain dicts so that the dossier services decide the facts and this module
only lays them out.

Mẫu 01 context keys: ``issuer`` {agency, unit}, ``number``, ``place``, ``issued_at``,
``dossier_code``, ``procedure`` {code, name}, ``applicant`` {name, id_number, address, phone,
email, representative}, ``components`` [{name, originals, copies}], ``sets``,
``processing_time`` (text), ``received_at``, ``due_at``, ``collect_at`` (text), ``register``
{book, number}, ``officer``; optional ``copies`` (labels, default the two copies) and
``verify_url`` (the QR link; default the public tracking page for the dossier code, or the
verification page ``/xac-thuc/<document code>/`` when ``document_code`` is given).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from motcua.documents import qr, render


@dataclass(frozen=True)
class PrintedForm:
    number: str
    title: str
    template: str
    required: tuple[str, ...]
    page_size: str = "A5"
    landscape: bool = False


FORMS = {
    "01": PrintedForm(
        "01",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "documents/pdf/mau01.html",
        ("issuer", "dossier_code", "procedure", "applicant", "received_at", "due_at"),
    ),
}

#: Mẫu 01 is made in two copies: one kept at the counter, one given to the applicant.
COPIES_01 = (
    "Liên 1: lưu tại Bộ phận tiếp nhận và trả kết quả",
    "Liên 2: giao người nộp hồ sơ",
)


class MissingField(ValueError):
    """The context lacks facts the form must show."""


def verify_url(code: str) -> str:
    """The public address of the verification page of a result code (``/xac-thuc/<code>/``)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("documents:verify_code", args=[code])
    return qr.public_url(path)


def tracking_url(dossier_code: str) -> str:
    """The public tracking page with the dossier code filled in (``/tra-cuu/?ma=<code>``); the
    applicant still types the last digits of their ID, so the link reveals nothing alone."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            path = reverse("portal:track")
        except NoReverseMatch:
            return verify_url(dossier_code)
    return qr.public_url(f"{path}?{urlencode({'ma': dossier_code})}")


def form_context(number: str, context: dict) -> dict:
    """The full template context of Mẫu ``number``: the caller's facts plus the QR code."""
    form = FORMS[number]
    missing = [key for key in form.required if not context.get(key)]
    if missing:
        raise MissingField(f"Mẫu {number}: missing {', '.join(missing)}")
    applicant = context["applicant"]
    document_code = context.get("document_code")
    link = context.get("verify_url") or (
        verify_url(document_code) if document_code else tracking_url(context["dossier_code"])
    )
    payload = qr.qr_payload(
        document_name=form.title,
        dossier_code=context["dossier_code"],
        procedure_code=context["procedure"].get("code", ""),
        applicant_id=applicant.get("id_number"),
        url=link,
        document_code=document_code,
    )
    full = {
        "document_name": form.title,
        "sets": 1,
        "copies": COPIES_01 if number == "01" else ("",),
        **context,
        "qr": qr.qr_svg(payload, title=f"Mã QR: {form.title}"),
        "qr_payload": payload,
    }
    full.setdefault("signatures", _signatures(number, full))
    return full


def _signatures(number: str, context: dict) -> list[dict]:
    if number == "01":
        return [
            {"title": "Người nộp hồ sơ", "name": context["applicant"].get("name", "")},
            {"title": "Người tiếp nhận hồ sơ", "name": context.get("officer", "")},
        ]
    return []


def render_form(number: str, context: dict) -> bytes:
    """The PDF of Mẫu ``number`` filled from ``context`` (see the module docstring)."""
    form = FORMS[number]
    return render.render_pdf(
        form.template,
        form_context(number, context),
        page_size=form.page_size,
        landscape=form.landscape,
    )
