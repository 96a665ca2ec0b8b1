"""Printed forms of Circular 03/2025 Annex I (HTML with print CSS; the PDF step comes later):
Mẫu 01 receipt and appointment (two copies), 02 completion request, 03 refusal, 04 apology
and new appointment, 05 stop notice, 06 control sheet. Each carries the national heading and a
QR code (dossier code, procedure code, masked applicant identifier, document name).

A form exists only once the event that issues it happened; its facts are read from that
event and the dossier, never re-decided here.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.backoffice import common, presenters
from motcua.backoffice.forms import lines
from motcua.dossiers import queries
from motcua.dossiers.errors import NotFound
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.portal.qr import qr_svg


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


@common.staff_view
@require_GET
def print_form(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """In Mẫu ``number`` of the dossier (A5; Mẫu 01 as two A5 copies on one A4 sheet)."""
    d = common.get_dossier(request.user, code)
    form = presenters.PRINT_FORMS.get(number)
    if form is None:
        raise NotFound(_("Không có mẫu in này."))
    events = queries.history(d)
    event = presenters.form_event(number, events)
    if event is None:
        raise NotFound(_("Hồ sơ chưa có “%(title)s”.") % {"title": form.title})
    context = {
        "d": d,
        "form": form,
        "event": event,
        "officer": event.actor_name,
        "qr": qr_for(d, form.title),
        "today": timezone.localtime(event.at),
        "limit": presenters.limit_text(d.limit_value, d.limit_unit),
        **_extra(number, d, event),
    }
    return render(request, f"backoffice/print/mau{number}.html", context)
