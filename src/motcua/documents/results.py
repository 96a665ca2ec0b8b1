"""Approve and sign (phê duyệt, ký số): the signed result document of an approved dossier.

When a dossier's ``approve`` event has been committed, :func:`on_dossier_event` renders a
plain result document (``documents/pdf/van_ban.html``) — under the competent agency's
heading as issuing authority (:func:`result_letterhead`) and the national heading — for the
result code the dossier service recorded (``<dossier code>-KQ<n>``), signs it with the
approving leader's signer (else the competent agency's), stores it, registers it, so that the
verification page ``/xac-thuc/<result code>/`` recognises it, and puts it into the
applicant's data store (Decree 45/2020 Art. 14; :func:`motcua.documents.datastore.add_result`).

It runs after commit and never decides or undoes anything: when no signer is configured (no
demo PKI, no token) it logs a warning and skips; any other failure is logged too.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from motcua.documents import datastore, printed, qr, render, services, signing, templating
from motcua.documents.models import IssuedDocument

log = logging.getLogger(__name__)

TEMPLATE = "documents/pdf/van_ban.html"
TITLE = "Văn bản kết quả giải quyết thủ tục hành chính"


def on_dossier_event(event) -> None:
    """Subscriber (after commit) of dossier events: sign the result of an ``approve``."""
    if getattr(event, "action", None) != "approve":
        return
    try:
        issue_result(event)
    except signing.SigningError as exc:
        log.warning(
            "signed result not issued for dossier %s: %s", event.dossier.display_code, exc.message
        )
    except Exception:  # never break the approval; the event is already committed
        log.exception("signed result failed for dossier %s", event.dossier.display_code)


def signer_candidates(event) -> list[str]:
    """Signer ids to try, in order: the approving leader, then the competent agency."""
    d = event.dossier
    ids = []
    actor = event.actor or d.signer
    if actor is not None:
        ids.append(actor.get_username())
    if d.competent_agency_id:
        ids.append(d.competent_agency.identifier)
    return ids


def choose_signer(event) -> str | None:
    """The first candidate the active signer backend holds a key for, else ``None``."""
    backend = signing.registry.active()
    available = set(backend.signer_ids())
    return next((s for s in signer_candidates(event) if s in available), None)


def result_letterhead(agency) -> dict:
    """The heading of a result of ``agency`` (the competent agency, which decides and signs):
    the result lines of its letterhead (*Tiêu đề và cách ghi số của cơ quan*:
    ``result_parent_line``, ``result_name_line``) when it set them; else its parent agency's
    name above its own. Never the lines of the one-stop forms (``parent_line``,
    ``name_line``), which name the service centre that receives dossiers, not the authority
    that decides. The place is the letterhead's, else the agency's division. Decree 30/2020,
    Appendix I: the issuing body's name under the body it belongs to; the place name of its
    seat in the date line."""
    override = templating.letterhead_of(agency)
    parent = agency.parent.name if agency.parent_id else ""
    lines = [line for line in (parent, agency.name) if line]
    if override is not None and (override.result_parent_line or override.result_name_line):
        pair = (override.result_parent_line, override.result_name_line)
        lines = [line for line in pair if line]
    return {"lines": lines, "place": templating.place_of(agency, override)}


def result_context(event, code: str) -> dict:
    d = event.dossier
    agency = d.competent_agency
    letterhead = result_letterhead(agency)
    lines = letterhead["lines"]
    decided = timezone.localtime(d.decided_at or event.at)
    procedure = d.procedure_version
    signer_name = event.actor_name or (d.signer.get_full_name() if d.signer else "")
    link = printed.verify_url(code)
    payload = qr.qr_payload(
        document_name=TITLE,
        dossier_code=d.code,
        procedure_code=procedure.procedure.code,
        applicant_id=d.applicant_id_number,
        url=link,
        document_code=code,
    )
    return {
        "issuer": {"agency": lines[0], "unit": lines[-1]} if len(lines) > 1 else {"unit": lines[0]},
        "letterhead": letterhead,
        "number": code,
        "place": letterhead["place"],
        "issued_at": decided,
        "document_name": TITLE,
        "document_code": code,
        "dossier_code": d.code,
        "qr": qr.qr_svg(payload, title=f"Mã QR: {TITLE}"),
        "title": "Kết quả giải quyết thủ tục hành chính",
        "subtitle": f"Mã kết quả: {code}",
        "paragraphs": [
            f"{agency.name} đã giải quyết xong hồ sơ {d.code}, thủ tục “{procedure.name}” "
            f"(mã {procedure.procedure.code}), của ông/bà {d.applicant_name}.",
            f"Hồ sơ được phê duyệt lúc {decided:%H:%M} ngày {decided:%d/%m/%Y}; "
            f"người ký: {signer_name}.",
            f"Văn bản này được ký số; kiểm tra tại {link}.",
        ],
        "recipients": [d.applicant_name, "Lưu: hồ sơ " + d.code],
        "signatures": [
            {"title": "Người ký", "note": " ", "name": signer_name, "anchor": signing.ANCHOR}
        ],
    }


def issue_result(event) -> IssuedDocument | None:
    """Render, sign, store and register the result of ``event`` (an ``approve``).

    Returns the :class:`IssuedDocument`, or ``None`` when skipped (no result code, already
    issued, no signer configured — logged as a warning).
    """
    d = event.dossier
    code = (event.payload or {}).get("result_code") or d.result_code
    if not code:
        log.warning("dossier %s approved without a result code: nothing to sign", d.display_code)
        return None
    if IssuedDocument.objects.filter(code=code).exists():
        return None
    signer_id = choose_signer(event)
    if signer_id is None:
        log.warning(
            "signed result %s not issued: no signing key for %s in backend %s "
            "(run `motcua demo-ca` for the demo PKI, or configure the token)",
            code,
            " or ".join(signer_candidates(event)) or "(nobody)",
            signing.registry.active().id,
        )
        return None
    context = result_context(event, code)
    pdf = render.render_pdf(TEMPLATE, context, page_size="A4")
    signed = signing.sign_pdf(
        pdf,
        signer_id,
        reason="Ký số kết quả giải quyết thủ tục hành chính",
        location=context["place"],
    )
    with transaction.atomic():  # registered and in the applicant's data store, or neither
        issued = services.register_issued(
            signed,
            code=code,
            title=TITLE,
            procedure_code=d.procedure_version.procedure.code,
            dossier=d,
            owner_identifier=d.applicant_id_number or None,
            issued_at=context["issued_at"],
        )
        issuer = context["letterhead"]["lines"][-1]  # the issuing authority, as printed
        datastore.add_result(issued, pdf_bytes=signed, issuer=issuer)
    log.info("signed result %s issued for dossier %s by %s", code, d.code, signer_id)
    return issued
