"""Printed forms of Circular 03/2025 Annex I, as HTML with print CSS and as PDF: Mẫu 01
receipt and appointment (two copies), 02 completion request, 03 refusal, 04 apology and new
appointment, 05 stop notice, 06 control sheet. Each carries the national heading and a QR
code (dossier code, procedure code, masked applicant identifier, document name).

A form exists only once the event that issues it happened; its facts are read from that
event and the dossier, never re-decided here. Its template version, letterhead and number
are those recorded when it was issued (:func:`motcua.documents.templating.issue`), so a
reprint is the same document after a new template version or a new letterhead.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.backoffice import common, presenters
from motcua.backoffice.forms import lines
from motcua.backoffice.presenters import PrintForm
from motcua.documents import render as documents_render
from motcua.documents import storage, templating
from motcua.documents.models import IssuedDocument
from motcua.dossiers import queries
from motcua.dossiers.errors import NotFound
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.portal.qr import qr_svg

log = logging.getLogger(__name__)


def qr_for(d: Dossier, title: str) -> str:
    """QR code of a printed document (Circular 01/2023): the ID is masked on paper."""
    data = " | ".join(
        (d.display_code, d.procedure_version.procedure.code, d.masked_id(), str(title))
    )
    return qr_svg(data, title=_("Mã QR của văn bản"))


def _instant(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _deficiencies(event: DossierEvent) -> list[str]:
    return event.payload.get("deficiencies") or lines(event.reason)


def _coordinating(d: Dossier) -> list[str]:
    """Agencies other than the competent one that own a step (liên thông)."""
    steps = d.steps.exclude(owner_agency_id=d.competent_agency_id).select_related("owner_agency")
    return sorted({s.owner_agency.name for s in steps})


def _extra(number: str, d: Dossier, event: DossierEvent) -> dict:
    """What each form adds to the common facts."""
    if number == "01":
        copies = (_("Liên 1: giao người nộp hồ sơ"), _("Liên 2: lưu tại Bộ phận Một cửa"))
        return {"components": list(d.components.all()), "copies": copies}
    if number == "02":
        return {"items": _deficiencies(event), "at_intake": event.action == "request_completion"}
    if number == "04":
        payload = event.payload
        return {
            "old_due": _instant(payload.get("old_due_at")),
            "new_due": _instant(payload.get("new_due_at")),
        }
    if number == "06":
        return {"rows": queries.control_sheet(d), "coordinating": _coordinating(d)}
    return {}


def print_context(request: HttpRequest, code: str, number: str) -> tuple[PrintForm, dict]:
    """The form and the context of Mẫu ``number`` of the dossier, for the HTML and the PDF.

    Raises ``NotFound`` (a 404 page) when the dossier is outside the user's scope, the form
    does not exist or the event that issues it has not happened.
    """
    d = common.get_dossier(request.user, code)
    form = presenters.PRINT_FORMS.get(number)
    if form is None:
        raise NotFound(_("Không có mẫu in này."))
    events = queries.history(d)
    event = presenters.form_event(number, events)
    if event is None:
        raise NotFound(_("Hồ sơ chưa có “%(title)s”.") % {"title": form.title})
    issued = templating.issue(d, number, event)
    context = {
        "d": d,
        "form": form,
        "event": event,
        "issued": issued,
        "letterhead": {**issued.letterhead, "number": issued.number},
        "officer": event.actor_name,
        "qr": qr_for(d, form.title),
        "today": timezone.localtime(event.at),
        "limit": presenters.limit_text(d.limit_value, d.limit_unit),
        **_extra(number, d, event),
    }
    return form, context


@common.staff_view
@require_GET
def print_form(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """In Mẫu ``number`` of the dossier (A5; Mẫu 01 as two A5 copies on one A4 sheet)."""
    _form, context = print_context(request, code, number)
    return HttpResponse(_html(request, number, context))


def _html(request: HttpRequest, number: str, context: dict) -> str:
    """The print page of the form in the template version it was issued with."""
    template = templating.template_for(number, context["issued"].template)
    return template.render(context, request)


#: Paper of each form as PDF: A5, except the control sheet (Mẫu 06) and the register (07).
PDF_PAPER = {"06": "A4", "07": "A4"}
_MAIN = re.compile(r"<main>(.*)</main>", re.DOTALL)


@common.staff_view
@require_GET
def print_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """Mẫu ``number`` as PDF: the sheets of the HTML print view, from the same context and
    with the same permission checks, laid out by ``documents.render_pdf`` in the bundled
    font (A5, one copy per page; Mẫu 06 on A4)."""
    form, context = print_context(request, code, number)
    d = context["d"]
    html = _html(request, number, context)
    match = _MAIN.search(html)
    body = match.group(1) if match else html
    pdf = documents_render.render_pdf(
        "documents/pdf/print_form.html",
        {
            "body": mark_safe(body),  # noqa: S308  (our own template's escaped output)
            "document_name": str(form.title),
            "dossier_code": d.display_code,
            "issuer": {"agency": " – ".join(context["letterhead"].get("lines") or [])},
        },
        page_size=PDF_PAPER.get(number, "A5"),
    )
    return _pdf_response(pdf, f"{d.display_code}-mau-{number}.pdf")


@common.staff_view
@require_GET
def result_pdf(request: HttpRequest, code: str, result: str | None = None) -> HttpResponse:
    """The signed result ``result`` (``<code>-KQ<n>``) of the dossier, or the last one issued,
    for staff who may view the dossier."""
    d = common.get_dossier(request.user, code)
    issued = IssuedDocument.objects.filter(dossier=d, stored_file__isnull=False)
    if result is not None:
        issued = issued.filter(code=result)
    issued = issued.select_related("stored_file").order_by("-issued_at", "-pk").first()
    if issued is None:
        raise NotFound(_("Hồ sơ chưa có văn bản kết quả đã ký số."))
    try:
        data = storage.read_bytes(issued.stored_file)
    except Exception as exc:  # a missing or altered blob: say so, don't serve it
        log.exception("signed result %s cannot be read", issued.code)
        raise NotFound(_("Không đọc được tệp kết quả.")) from exc
    log.info("signed result %s downloaded by user %s", issued.code, request.user.pk)
    return _pdf_response(data, f"{issued.code}.pdf")


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
