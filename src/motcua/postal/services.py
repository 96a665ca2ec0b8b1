"""Commands of the postal channel (Decision 45/2016/QĐ-TTg): record the handover of a dossier
from the post (inbound) and of a result to the post (outbound).

The applicant chooses to submit by post, to receive the result by post, or both. Each
handover keeps the carrier, the tracking number, the instant and the postal fee, apart from
the procedure's fees. For a dossier submitted by post, the receipt time is the instant the
one-stop unit takes it from the postal employee: transit time is not counted (Decision
45/2016/QĐ-TTg; DOMAIN.md "Postal channel"), unless the province sets
``POSTAL_RECEIPT_AT_HANDOVER = False`` (the receipt is then the instant of the entry).

Only the receiving one-stop unit's officers record handovers (``postal.record``, scope: the
receiving unit). Every check is made here; the staff forms call the same checks to put each
message next to its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Channel
from motcua.dossiers.errors import Forbidden, InvalidInput
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import NewDossier, create_dossier, perform
from motcua.org import permissions
from motcua.org.models import Role
from motcua.postal.models import Carrier, Direction, PostalHandover, clean_tracking_number

RECORD = "postal.record"
permissions.register_action(RECORD, {Role.RECEPTION_OFFICER})
permissions.register_scope(PostalHandover, lambda h: h.dossier.receiving_scope())

#: Highest postal fee accepted (đồng): a typing error beyond it, not a real fee.
MAX_FEE = 100_000_000
#: Default of ``POSTAL_HANDOVER_MAX_AGE_DAYS``: how far back a handover may be entered.
MAX_AGE_DAYS = 30


@dataclass(frozen=True)
class Handover:
    """What the officer (or the API client) says about one handover."""

    carrier: str
    tracking_number: str
    handed_over_at: dt.datetime
    fee: int = 0
    carrier_other: str = ""
    postal_employee: str = ""


def receipt_at_handover() -> bool:
    """Whether a postal dossier's receipt time is its handover time (Decision 45/2016)."""
    return bool(getattr(settings, "POSTAL_RECEIPT_AT_HANDOVER", True))


def receipt_time(handover: Handover, entered_at: dt.datetime) -> dt.datetime:
    """The receipt instant of a dossier the post handed over: the instant the one-stop unit
    took it from the postal employee; the time in transit is not counted (Decision
    45/2016/QĐ-TTg; DOMAIN.md "Postal channel", configurable)."""
    return handover.handed_over_at if receipt_at_handover() else entered_at


def check_handover(
    handover: Handover, *, now: dt.datetime, not_before: dt.datetime | None = None
) -> Handover:
    """The handover cleaned (tracking number trimmed, in capitals), or ``InvalidInput`` with
    a Vietnamese message per field (keys: the :class:`Handover` field names)."""
    errors: dict[str, str] = {}
    if handover.carrier not in Carrier.values:
        errors["carrier"] = _("Chọn doanh nghiệp bưu chính.")
    other = (handover.carrier_other or "").strip()
    if handover.carrier == Carrier.OTHER and not other:
        errors["carrier_other"] = _("Ghi tên doanh nghiệp bưu chính.")
    try:
        number = clean_tracking_number(handover.tracking_number)
    except ValidationError as exc:
        errors["tracking_number"] = " ".join(exc.messages)
        number = ""
    fee = handover.fee or 0
    if fee < 0:
        errors["fee"] = _("Cước bưu chính không được âm.")
    elif fee > MAX_FEE:
        errors["fee"] = _("Cước bưu chính vượt quá mức hợp lý; kiểm tra lại số tiền.")
    at = handover.handed_over_at
    if at is None:
        errors["handed_over_at"] = _("Nhập thời điểm giao nhận với nhân viên bưu chính.")
    else:
        problem = _time_problem(at, now=now, not_before=not_before)
        if problem:
            errors["handed_over_at"] = problem
    if errors:
        message = _("Thông tin giao nhận bưu chính chưa hợp lệ.")
        raise InvalidInput(message, details=errors)
    return replace(
        handover,
        carrier_other=other if handover.carrier == Carrier.OTHER else "",
        tracking_number=number,
        fee=fee,
        postal_employee=(handover.postal_employee or "").strip(),
    )


def _time_problem(at: dt.datetime, *, now: dt.datetime, not_before: dt.datetime | None) -> str:
    if timezone.is_naive(at):
        return _("Thời điểm giao nhận thiếu múi giờ.")
    if at > now:
        return _("Thời điểm giao nhận không được ở tương lai.")
    days = int(getattr(settings, "POSTAL_HANDOVER_MAX_AGE_DAYS", MAX_AGE_DAYS))
    if at < now - dt.timedelta(days=days):
        return _("Thời điểm giao nhận không được trước quá %(days)s ngày.") % {"days": days}
    if not_before is not None and at < not_before:
        local = timezone.localtime(not_before)
        return _("Thời điểm giao cho bưu chính không được trước khi có kết quả (%(at)s).") % {
            "at": f"{local:%H:%M %d/%m/%Y}"
        }
    return ""


def _require(actor, dossier: Dossier) -> None:
    if not permissions.can(actor, RECORD, dossier.receiving_scope()):
        message = _(
            "Chỉ cán bộ bộ phận một cửa nơi tiếp nhận hồ sơ mới ghi nhận được giao nhận bưu chính."
        )
        raise Forbidden(message)


def _record(dossier, actor, handover: Handover, direction: str, now) -> PostalHandover:
    return PostalHandover.objects.create(
        dossier=dossier,
        direction=direction,
        carrier=handover.carrier,
        carrier_other=handover.carrier_other,
        tracking_number=handover.tracking_number,
        handed_over_at=handover.handed_over_at,
        fee=handover.fee,
        postal_employee=handover.postal_employee,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        recorded_at=now,
    )


def record_inbound(
    dossier: Dossier, actor, handover: Handover, *, now: dt.datetime | None = None
) -> PostalHandover:
    """Record that the post handed ``dossier`` to the one-stop unit (call it in the
    transaction that creates the dossier, so that both exist or neither)."""
    now = now or timezone.now()
    if dossier.channel != "postal":
        raise InvalidInput(_("Hồ sơ này không nộp qua dịch vụ bưu chính."))
    _require(actor, dossier)
    handover = check_handover(handover, now=now)
    return _record(dossier, actor, handover, Direction.INBOUND, now)


def intake_by_post(
    actor,
    data: NewDossier,
    handover: Handover | None,
    *,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
    action: str | None = None,
    before_answer: Callable[[Dossier], None] | None = None,
    **params,
) -> tuple[Dossier, bool]:
    """Enter a dossier the post handed over: create it, record the inbound handover and give
    the intake answer ``action`` (if any: ``receive``, ``request_completion``, ``refuse``),
    in one transaction. The desk and the API both enter postal dossiers through here, and
    only here. ``before_answer(dossier)`` runs between the creation and the answer (the desk
    digitises the paper components there, so that the receipt counts them). A repeated
    ``idempotency_key`` returns the first dossier and records nothing more.

    Times. Decision 45/2016/QĐ-TTg: a dossier sent by post is received when the competent
    one-stop unit takes it from the postal employee; the time in transit is not counted
    (DOMAIN.md "Postal channel"). So the dossier's ``submitted_at`` and ``received_at`` (hence
    the code's day and the due date, from the working-time engine) are the handover time,
    however late the officer enters it, unless the province counts from the entry
    (``POSTAL_RECEIPT_AT_HANDOVER = False``, :func:`receipt_time`). The events (``submit``,
    then the answer) are dated ``now``, the entry: the event log is the audit trail the
    control sheet (Mẫu 06, Circular 03/2025) is read from, and it records when each officer
    acted, never a back-dated instant.
    """
    now = now or timezone.now()
    if handover is None:
        message = _(
            "Hồ sơ nộp qua bưu chính cần thông tin giao nhận với nhân viên bưu chính: doanh "
            "nghiệp bưu chính, mã bưu gửi, thời điểm nhận hồ sơ."
        )
        raise InvalidInput(message, details={"postal": "required"})
    if data.channel != Channel.POSTAL:
        message = _("Thông tin bưu chính chỉ dùng cho hồ sơ nộp qua bưu chính (channel postal).")
        raise InvalidInput(message, details={"postal": message})
    handover = check_handover(handover, now=now)
    arrived = receipt_time(handover, now)
    with transaction.atomic():
        dossier, created = create_dossier(actor, data, idempotency_key=idempotency_key, now=now)
        if not created:
            return dossier, False
        if arrived != dossier.submitted_at:  # reached the unit at the handover
            Dossier.objects.filter(pk=dossier.pk).update(submitted_at=arrived)
            dossier.submitted_at = arrived
        record_inbound(dossier, actor, handover, now=now)
        if before_answer is not None:
            before_answer(dossier)
        if action is not None:
            if action == "receive":
                params["received_at"] = arrived
            dossier, _event = perform(
                dossier, action, actor, now=now, expected_version=dossier.version, **params
            )
    return dossier, True


def received_at(dossier: Dossier) -> dt.datetime | None:
    """The receipt instant of ``dossier`` when it is received later than it was entered:
    the inbound handover for a dossier the post handed over (Decision 45/2016/QĐ-TTg;
    :func:`intake_by_post`), else None (received when the officer acts). One query, only
    for a postal dossier."""
    if dossier.channel != Channel.POSTAL or not receipt_at_handover():
        return None
    return (
        PostalHandover.objects.filter(dossier=dossier, direction=Direction.INBOUND)
        .order_by("handed_over_at", "pk")
        .values_list("handed_over_at", flat=True)
        .first()
    )


def act(
    dossier: Dossier,
    action: str,
    actor,
    *,
    handover: Handover | None = None,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
    **params,
) -> Dossier:
    """Take a lifecycle action with the postal facts it needs; the dossier page and the API
    act through here (``services.perform`` otherwise).

    * ``receive`` of a dossier the post handed over: received at the inbound handover
      (:func:`received_at`), not when the officer clicks;
    * ``return_result`` with ``handover``: :func:`return_by_post`. Without one, the
      lifecycle refuses a return by post (only :func:`return_by_post` gives the handover
      time the ``return_result`` action needs for it);
    * a ``handover`` with any other action, or with another return method, is refused.
    """
    if handover is not None:
        if action != "return_result" or (params.get("method") or "post") != "post":
            message = _(
                "Thông tin giao nhận bưu chính chỉ dùng khi trả kết quả qua bưu chính "
                "(thao tác return_result, hình thức post)."
            )
            raise InvalidInput(message, details={"postal": "not_applicable"})
        d, _row = return_by_post(
            dossier, actor, handover, now=now, expected_version=expected_version, **params
        )
        return d
    if action == "receive":
        at = received_at(dossier)
        if at is not None:
            params["received_at"] = at
    d, _event = perform(
        dossier, action, actor, now=now, expected_version=expected_version, **params
    )
    return d


def _ready(dossier: Dossier | int) -> dt.datetime | None:
    """When the result was ready (end of processing), to the minute. Once set it never
    changes, so it is read before the row is locked."""
    finished = dossier.finished_at if isinstance(dossier, Dossier) else None
    if finished is None:
        pk = dossier.pk if isinstance(dossier, Dossier) else dossier
        finished = Dossier.objects.filter(pk=pk).values_list("finished_at", flat=True).first()
    return finished.replace(second=0, microsecond=0) if finished else None


def return_by_post(
    dossier: Dossier | int,
    actor,
    handover: Handover,
    *,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
    **params,
) -> tuple[Dossier, PostalHandover]:
    """Return the result by post: the lifecycle's ``return_result`` (method ``post``) and
    the outbound handover, in one transaction (Decision 45/2016/QĐ-TTg). The only way a
    result is returned by post.

    The handover is not before the result was ready nor in the future. The result is
    returned when the one-stop unit hands it to the postal employee: that instant is the
    dossier's ``returned_at`` (shown in the register, Mẫu 07) and the return is classified
    early, on time or late from it; the event is dated ``now``, the entry, as at intake
    (:func:`intake_by_post`).
    """
    now = now or timezone.now()
    handover = check_handover(handover, now=now, not_before=_ready(dossier))
    params = {**params, "method": "post", "returned_at": handover.handed_over_at}
    with transaction.atomic():
        d, _event = perform(
            dossier, "return_result", actor, now=now, expected_version=expected_version, **params
        )
        _require(actor, d)
        row = _record(d, actor, handover, Direction.OUTBOUND, now)
    return d, row
