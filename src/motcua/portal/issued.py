"""The documents issued to the applicant of a dossier, for "My dossiers".

Two kinds: the signed results (:class:`~motcua.documents.models.IssuedDocument`, downloaded
through the permission-checked file view of :mod:`motcua.documents`), and the forms of
Circular 03/2025 addressed to the applicant — Mẫu 01 receipt, 02 completion or supplement
request, 03 refusal, 04 apology with the new date, 05 stop notice — rendered as PDF from the
event that issued them (the same templates as the back office prints; Mẫu 06, the internal
control sheet, is not the applicant's). Nothing here has a public address.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from motcua.backoffice import presenters
from motcua.backoffice.forms import lines
from motcua.backoffice.prints import qr_for
from motcua.documents import render as documents_render
from motcua.documents.models import IssuedDocument
from motcua.dossiers.models import Dossier, DossierEvent

#: The forms addressed to the applicant.
APPLICANT_FORMS = ("01", "02", "03", "04", "05")
_MAIN = re.compile(r"<main>(.*)</main>", re.DOTALL)


@dataclass(frozen=True)
class FormLink:
    number: str
    title: str
    at: object


def results(dossier: Dossier) -> list[IssuedDocument]:
    """The signed results of the dossier that have a stored file, newest first."""
    return list(
        IssuedDocument.objects.filter(dossier=dossier, stored_file__isnull=False)
        .select_related("stored_file")
        .order_by("-issued_at", "-pk")
    )


def forms(events: list[DossierEvent]) -> list[FormLink]:
    """The applicant's forms issued so far (the latest issue of each)."""
    found = []
    for number in APPLICANT_FORMS:
        event = presenters.form_event(number, events)
        if event is not None:
            found.append(FormLink(number, str(presenters.PRINT_FORMS[number].title), event.at))
    return found


def _instant(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _extra(number: str, d: Dossier, event: DossierEvent) -> dict:
    if number == "01":  # the applicant's copy (liên giao người nộp)
        copies = (gettext("Liên 1: giao người nộp hồ sơ"),)
        return {"components": list(d.components.all()), "copies": copies}
    if number == "02":
        items = (event.payload or {}).get("deficiencies") or lines(event.reason)
        return {"items": items, "at_intake": event.action == "request_completion"}
    if number == "04":
        payload = event.payload or {}
        return {
            "old_due": _instant(payload.get("old_due_at")),
            "new_due": _instant(payload.get("new_due_at")),
        }
    return {}


def form_pdf(request, dossier: Dossier, number: str, events: list[DossierEvent]) -> bytes | None:
    """Mẫu ``number`` of the dossier as PDF, or None when it was never issued."""
    if number not in APPLICANT_FORMS:
        return None
    event = presenters.form_event(number, events)
    if event is None:
        return None
    form = presenters.PRINT_FORMS[number]
    context = {
        "d": dossier,
        "form": form,
        "event": event,
        "officer": event.actor_name,
        "qr": qr_for(dossier, form.title),
        "today": timezone.localtime(event.at),
        "limit": presenters.limit_text(dossier.limit_value, dossier.limit_unit),
        **_extra(number, dossier, event),
    }
    html = render_to_string(f"backoffice/print/mau{number}.html", context, request=request)
    match = _MAIN.search(html)
    return documents_render.render_pdf(
        "documents/pdf/print_form.html",
        {
            "body": mark_safe(match.group(1) if match else html),  # noqa: S308  (our template)
            "document_name": str(form.title),
            "dossier_code": dossier.display_code,
            "issuer": {"agency": dossier.receiving_agency.name},
        },
        page_size="A5",
    )
