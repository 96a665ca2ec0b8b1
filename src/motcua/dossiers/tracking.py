"""Public tracking of a dossier (tra cứu hồ sơ) without logging in.

A visitor proves they hold the receipt by giving the dossier code and the last four digits
of the applicant's ID number or phone; the receipt's QR code carries a signed token instead.
The timeline speaks plain Vietnamese and never shows personal data in full.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.dossiers.lifecycle import OPEN_STATES, State
from motcua.dossiers.models import Dossier

_SALT = "motcua.tracking"
#: How long a receipt's QR link stays valid (seconds): two years.
TOKEN_MAX_AGE = 2 * 365 * 24 * 3600


def _digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def find_for_tracking(code: str, last4: str) -> Dossier | None:
    """The dossier whose code (or reference) is ``code`` and whose applicant's ID number or
    phone ends with ``last4``; None otherwise (the same answer whichever part is wrong)."""
    code, last4 = (code or "").strip(), _digits(last4)
    if len(last4) != 4 or not code:
        return None
    dossier = (
        Dossier.objects.select_related("procedure_version", "receiving_agency")
        .filter(Q(code=code) | Q(reference=code))
        .first()
    )
    if dossier is None:
        return None
    candidates = [_digits(dossier.applicant_id_number)[-4:], _digits(dossier.applicant_phone)[-4:]]
    ok = any(c and hmac.compare_digest(c, last4) for c in candidates)
    return dossier if ok else None


def tracking_token(dossier: Dossier) -> str:
    """A signed token for the receipt's QR link (no personal data inside)."""
    return signing.dumps(dossier.display_code, salt=_SALT, compress=True)


def dossier_from_token(code: str, token: str) -> Dossier | None:
    try:
        signed = signing.loads(token or "", salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if signed != code:
        return None
    return (
        Dossier.objects.select_related("procedure_version", "receiving_agency")
        .filter(Q(code=code) | Q(reference=code))
        .first()
    )


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    title: str
    detail: str = ""
    waiting_for_you: bool = False


def _fmt(value: str | None) -> str:
    if not value:
        return ""
    from django.utils import timezone

    moment = timezone.localtime(dt.datetime.fromisoformat(value))
    return _("%(time)s ngày %(date)s") % {
        "time": f"{moment:%H:%M}",
        "date": f"{moment:%d/%m/%Y}",
    }


def _declined_title(kinds) -> str:
    """The officer declined the applicant's request(s) (``decline_request``)."""
    kinds = set(kinds)
    if kinds == {"stop"}:
        return _("Cơ quan không chấp thuận đề nghị dừng giải quyết của bạn")
    if kinds == {"withdraw"}:
        return _("Cơ quan không chấp thuận đề nghị rút hồ sơ của bạn")
    return _("Cơ quan không chấp thuận đề nghị dừng giải quyết, rút hồ sơ của bạn")


def describe(event, units: dict[int, str]) -> TimelineItem | None:
    p, at = event.payload or {}, event.at
    unit = units.get(event.step_id or 0, "")
    texts = {
        "submit": (_("Hồ sơ đã được nộp"), ""),
        "receive": (
            _("Đã tiếp nhận hồ sơ"),
            _("Mã hồ sơ %(code)s; hẹn trả kết quả lúc %(due)s.")
            % {"code": p.get("code", ""), "due": _fmt(p.get("due_at"))},
        ),
        "request_completion": (
            _("Hồ sơ cần bổ sung, hoàn thiện"),
            "; ".join(p.get("deficiencies", [])),
        ),
        "refuse": (_("Hồ sơ bị từ chối tiếp nhận"), event.reason),
        "transfer": (
            _("Đang xử lý"),
            _("Hồ sơ đã được chuyển đến %(unit)s.") % {"unit": unit} if unit else "",
        ),
        "complete_step": (
            _("Đang xử lý"),
            _("Hồ sơ đang ở %(unit)s.") % {"unit": unit} if unit else "",
        ),
        "send_back": (
            _("Đang xử lý"),
            _("Hồ sơ được chuyển lại %(unit)s để xem xét thêm.") % {"unit": unit},
        ),
        "request_supplement": (_("Đang chờ bạn bổ sung hồ sơ"), event.reason),
        "receive_supplement": (
            _("Đã nhận hồ sơ bổ sung"),
            _("Cơ quan tiếp tục giải quyết."),
        ),
        "await_obligation": (
            _("Đang chờ bạn thực hiện nghĩa vụ tài chính"),
            event.reason,
        ),
        "end_obligation": (_("Đã thực hiện nghĩa vụ tài chính"), ""),
        "approve": (_("Kết quả đã được ký duyệt"), ""),
        "apologise": (
            _("Cơ quan xin lỗi và hẹn lại ngày trả kết quả"),
            _("%(reason)s Ngày hẹn mới: %(due)s.")
            % {"reason": event.reason, "due": _fmt(p.get("new_due_at"))},
        ),
        "reject": (_("Hồ sơ không đủ điều kiện giải quyết"), event.reason),
        "stop": (_("Dừng giải quyết theo yêu cầu của bạn"), event.reason),
        "withdraw": (_("Hồ sơ đã được rút"), event.reason),
        "request_stop": (_("Bạn đã đề nghị dừng giải quyết hồ sơ"), event.reason),
        "request_withdrawal": (_("Bạn đã đề nghị rút hồ sơ"), event.reason),
        "decline_request": (_declined_title(p.get("requests") or ()), event.reason),
        "return_result": (_("Đã trả kết quả"), ""),
    }
    if event.action not in texts or event.action == "assign":
        return None
    title, detail = texts[event.action]
    if event.to_state == State.RESOLVED:
        title, detail = _("Đã có kết quả, mời bạn nhận"), ""
    waiting = event.action in ("request_supplement", "await_obligation", "request_completion")
    return TimelineItem(at, title, detail.strip(), waiting)


def public_timeline(dossier: Dossier) -> list[TimelineItem]:
    """What happened to the dossier, in plain Vietnamese, oldest first."""
    events = list(
        dossier.events.select_related("step__owner_unit", "step__owner_agency").order_by("seq")
    )
    units = {
        e.step_id: (e.step.owner_unit or e.step.owner_agency).name for e in events if e.step_id
    }
    items = [describe(e, units) for e in events]
    return [item for item in items if item is not None]


def public_status(dossier: Dossier) -> str:
    """One line for the top of the page."""
    if dossier.state in (
        State.SUPPLEMENT_REQUESTED,
        State.NEEDS_COMPLETION,
        State.AWAITING_OBLIGATION,
    ):
        return _("Đang chờ bạn")
    if dossier.state in OPEN_STATES:
        return _("Đang giải quyết")
    return str(State(dossier.state).label)
