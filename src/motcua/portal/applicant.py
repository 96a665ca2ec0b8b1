"""What the applicant does to their own dossier from "My dossiers", through ``perform``.

The lifecycle table says which actions the applicant may take and in which states
(``ActionSpec.applicant_sources``, see :mod:`motcua.dossiers.lifecycle`):

* ``receive_supplement`` — answering a supplement request online: the files are checked
  like at submission (:mod:`motcua.documents.validation`), stored with the dossier in the
  action's transaction, and the pause ends (the clock resumes, or restarts per procedure);
* ``withdraw`` — before receipt only; after receipt the applicant *asks*:
* ``request_stop`` / ``request_withdrawal`` — the dossier keeps its state; an
  :class:`~motcua.portal.models.ApplicantRequest` is opened in the same transaction, shown on
  the officer's dossier page (the event) and flagged in the work queues
  (:func:`motcua.dossiers.queries.queue`), and closed when the officer records ``stop`` or
  ``withdraw``, declines it with a written reason (``decline_request``: the applicant is told
  why, the dossier's state and clock do not change), or the dossier ends another way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.documents import storage
from motcua.documents.validation import CheckedUpload, UploadRejected, validate_upload
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.lifecycle import END_STATES, State
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Context, handler, perform
from motcua.portal.models import ApplicantRequest

log = logging.getLogger(__name__)

#: The request actions and the kind of request each opens.
REQUEST_KINDS = {
    "request_stop": ApplicantRequest.Kind.STOP,
    "request_withdrawal": ApplicantRequest.Kind.WITHDRAW,
}
#: The officer's actions that carry out each kind of request.
CARRIED_OUT_BY = {"stop": ApplicantRequest.Kind.STOP, "withdraw": ApplicantRequest.Kind.WITHDRAW}
#: Most files in one supplement answer.
MAX_SUPPLEMENT_FILES = 10


def _request(ctx: Context) -> None:
    """Record the request on the dossier; its state does not change. One open request of
    each kind per dossier (the row is locked by ``perform``)."""
    kind = REQUEST_KINDS[ctx.spec.name]
    if ApplicantRequest.objects.filter(
        dossier=ctx.dossier, kind=kind, status=ApplicantRequest.Status.OPEN
    ).exists():
        raise NotAllowed(_("Bạn đã gửi đề nghị này; cơ quan đang xem xét."))
    ctx.to_state = ctx.dossier.state
    ctx.payload = {"request": kind}


handler("request_stop")(_request)
handler("request_withdrawal")(_request)


@handler("decline_request")
def _decline(ctx: Context) -> None:
    """The one-stop officer declines the open request(s) in writing, e.g. a decision has
    already been issued (a stop is allowed only before it, Decree 118/2025 Art. 21). With
    ``request`` (``stop`` or ``withdraw``) only that kind; without it, every open one. The
    dossier keeps its state and its clock."""
    kind = ctx.params.get("request") or ""
    if kind and kind not in ApplicantRequest.Kind.values:
        raise InvalidInput(_("Loại đề nghị không hợp lệ."), details={"request": "invalid"})
    pending = ApplicantRequest.objects.filter(
        dossier=ctx.dossier, status=ApplicantRequest.Status.OPEN
    )
    if kind:
        pending = pending.filter(kind=kind)
    kinds = sorted(pending.values_list("kind", flat=True))
    if not kinds:
        raise NotAllowed(
            _("Người nộp không có đề nghị dừng giải quyết hoặc rút hồ sơ đang chờ xử lý.")
        )
    ctx.to_state = ctx.dossier.state
    ctx.payload = {"requests": kinds}


def on_dossier_event(event) -> None:
    """In-transaction subscriber: open a request on a request event; close the open ones
    when the officer carries them out or declines them, or the dossier ends."""
    kind = REQUEST_KINDS.get(event.action)
    if kind is not None:
        ApplicantRequest.objects.create(
            dossier=event.dossier,
            kind=kind,
            reason=event.reason,
            event=event,
            requested_at=event.at,
        )
        return
    if event.action == "decline_request":
        _close_declined(event)
        return
    if event.to_state not in END_STATES and event.to_state != State.ARCHIVED:
        return
    open_requests = ApplicantRequest.objects.filter(
        dossier_id=event.dossier_id, status=ApplicantRequest.Status.OPEN
    )
    done = CARRIED_OUT_BY.get(event.action)
    if done is not None:
        open_requests.filter(kind=done).update(
            status=ApplicantRequest.Status.DONE, closing_event=event, closed_at=event.at
        )
    open_requests.update(
        status=ApplicantRequest.Status.CLOSED, closing_event=event, closed_at=event.at
    )


def _close_declined(event) -> None:
    """Close the declined requests in the action's transaction; the applicant's message
    (template ``request_declined``, seeded by migration ``0002_declined_requests``) is written
    by the notification subscriber like every other event's."""
    ApplicantRequest.objects.filter(
        dossier_id=event.dossier_id,
        status=ApplicantRequest.Status.OPEN,
        kind__in=(event.payload or {}).get("requests", ()),
    ).update(status=ApplicantRequest.Status.DECLINED, closing_event=event, closed_at=event.at)


def open_requests(dossier: Dossier) -> list[ApplicantRequest]:
    return list(
        ApplicantRequest.objects.filter(dossier=dossier, status=ApplicantRequest.Status.OPEN)
    )


# --- the applicant's commands ---------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    name: str
    upload: CheckedUpload


def check_supplement_files(dossier: Dossier, uploads: list) -> tuple[list[Checked], list[str]]:
    """Check each uploaded file as at submission (type by content, size per file and per
    dossier, PDF safety); returns the accepted files and one Vietnamese error per refusal."""
    errors: list[str] = []
    if not uploads:
        return [], [_("Cần đính kèm ít nhất một tệp giấy tờ bổ sung.")]
    if len(uploads) > MAX_SUPPLEMENT_FILES:
        return [], [_("Mỗi lần nộp bổ sung tối đa %(n)s tệp.") % {"n": MAX_SUPPLEMENT_FILES}]
    total, accepted = storage.dossier_total(dossier), []
    for upload in uploads:
        try:
            checked = validate_upload(upload, name=upload.name, dossier_total=total)
        except UploadRejected as exc:
            errors.append(f"{upload.name}: {exc.message}")
            continue
        total += checked.size
        accepted.append(Checked(upload.name, checked))
    return accepted, errors


def answer_supplement(
    dossier: Dossier, user, files: list[Checked], note: str, *, expected_version=None
) -> Dossier:
    """The applicant sends the missing documents: the pause ends and the files are stored
    with the dossier, all in one transaction (nothing half-done if either fails)."""
    if not files:
        raise InvalidInput(_("Cần đính kèm ít nhất một tệp giấy tờ bổ sung."))
    names = ", ".join(f.name for f in files)
    reason = _("Nộp bổ sung trực tuyến %(n)s tệp: %(names)s.") % {"n": len(files), "names": names}
    if note.strip():
        reason += " " + _("Ghi chú của người nộp: %(note)s") % {"note": note.strip()[:1000]}
    with transaction.atomic():
        dossier, _event = perform(
            dossier, "receive_supplement", user, expected_version=expected_version, reason=reason
        )
        for f in files:
            storage.store_bytes(
                f.upload.data,
                original_name=f.name,
                content_type=f.upload.content_type,
                pages=f.upload.pages,
                owner_identifier=dossier.applicant_id_number,
                dossier=dossier,
                uploaded_by=user,
            )
    return dossier


#: The reason recorded when the applicant withdraws without writing one.
DEFAULT_WITHDRAW_REASON = "Người nộp tự rút hồ sơ trên Cổng dịch vụ công."


def withdraw(dossier: Dossier, user, reason: str, *, expected_version=None) -> Dossier:
    """Withdraw a dossier not yet received (the applicant's own act)."""
    dossier, _event = perform(
        dossier,
        "withdraw",
        user,
        expected_version=expected_version,
        reason=reason.strip() or DEFAULT_WITHDRAW_REASON,
    )
    return dossier


def ask(dossier: Dossier, user, action: str, reason: str, *, expected_version=None) -> Dossier:
    """Ask the agency to stop processing or to take the dossier back (``request_*``)."""
    if action not in REQUEST_KINDS:
        raise InvalidInput(_("Thao tác không tồn tại."))
    dossier, _event = perform(
        dossier, action, user, expected_version=expected_version, reason=reason
    )
    return dossier
