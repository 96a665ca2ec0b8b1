"""How staff pages word things: queue rows with urgency in words, the timeline in plain
Vietnamese, and which printed forms (Mẫu 01–06) a dossier has.

Nothing here decides a legal outcome: urgency comes from ``queries.urgency``, the forms
from the events that issued them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Channel, TimeUnit
from motcua.dossiers import queries
from motcua.dossiers.lifecycle import ACTIONS, State
from motcua.dossiers.models import Dossier, DossierEvent, ResultDelivery, Timeliness
from motcua.dossiers.queries import Urgency
from motcua.worktime.queries import calendar_for

#: Urgency in words next to its colour (never colour alone).
URGENCY_TEXT = {
    Urgency.ON_TRACK: gettext_lazy("Trong hạn"),
    Urgency.WARN: gettext_lazy("Sắp đến hạn"),
    Urgency.DUE_SOON: gettext_lazy("Đến hạn trong 1 ngày làm việc"),
    Urgency.OVERDUE: gettext_lazy("Quá hạn"),
    Urgency.NONE: gettext_lazy("Chưa tính hạn"),
}

#: On the counter screen the deadline is the intake answer's, not the dossier's.
INTAKE_TEXT = {
    Urgency.ON_TRACK: gettext_lazy("Trong hạn trả lời"),
    Urgency.DUE_SOON: gettext_lazy("Sắp hết hạn trả lời"),
    Urgency.OVERDUE: gettext_lazy("Quá hạn trả lời"),
}


def moment(value: dt.datetime | str | None) -> str:
    """``09:00 02/03/2026`` in Vietnamese local time ('' for none)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return formats.date_format(timezone.localtime(value), "H:i d/m/Y")


def duration_text(minutes: int | None, per_day: int) -> str:
    """Working time left in words: ``còn 1 ngày 2 giờ làm việc`` / ``quá 45 phút làm việc``."""
    if minutes is None:
        return ""
    days, rest = divmod(abs(minutes), per_day)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)d ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)d giờ") % {"n": hours})
    if mins and not days:
        parts.append(_("%(n)d phút") % {"n": mins})
    text = " ".join(parts) or _("0 phút")
    if minutes < 0:
        return _("quá %(time)s làm việc") % {"time": text}
    return _("còn %(time)s làm việc") % {"time": text}


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    urgency: str
    urgency_text: str
    left_text: str


def queue_rows(dossiers: Iterable[Dossier], now: dt.datetime) -> list[QueueRow]:
    """Rows of a work queue page: each dossier with its urgency (no query: calendars are
    cached per process)."""
    rows = []
    for d in dossiers:
        level, left = queries.urgency(d, now)
        per_day = calendar_for(d.competent_agency_id).minutes_per_day
        rows.append(
            QueueRow(d, level.value, str(URGENCY_TEXT[level]), duration_text(left, per_day))
        )
    return rows


def intake_rows(rows: Sequence[queries.IntakeRow]) -> list[dict]:
    """The counter screen's rows with the answer time left in words."""
    result = []
    for row in rows:
        per_day = calendar_for(row.dossier.receiving_agency_id).minutes_per_day
        result.append(
            {
                "row": row,
                "urgency": row.urgency.value,
                "urgency_text": str(INTAKE_TEXT[row.urgency]),
                "left_text": duration_text(row.minutes_left, per_day),
            }
        )
    return result


# --- Timeline ------------------------------------------------------------------------------


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _detail(event: DossierEvent) -> str:
    p, a = event.payload or {}, event.action
    if a == "submit":
        return _("Hình thức nộp: %(c)s.") % {"c": _label(Channel, p.get("channel", ""))}
    if a == "receive":
        return _("Cấp mã %(code)s; hẹn trả %(due)s.") % {
            "code": p.get("code", ""),
            "due": moment(p.get("due_at")),
        }
    if a == "request_completion":
        return "; ".join(p.get("deficiencies", []))
    if a == "transfer":
        return _("Đến bước “%(step)s”, hạn bước %(due)s.") % {
            "step": p.get("step", ""),
            "due": moment(p.get("step_due")),
        }
    if a == "assign":
        return _("Giao cho %(name)s.") % {"name": p.get("assignee_name", "")}
    if a in ("complete_step", "approve"):
        return _step_detail(p)
    if a == "send_back":
        return _("Từ bước “%(a)s” về bước “%(b)s”.") % {
            "a": p.get("from_step", ""),
            "b": p.get("to_step", ""),
        }
    if a == "request_supplement":
        return _("Lần %(n)s; tạm dừng tính thời hạn.") % {"n": p.get("request_no", 1)}
    if a in ("receive_supplement", "end_obligation") and p.get("due_at"):
        return _("Tính tiếp thời hạn; hẹn trả mới %(due)s.") % {"due": moment(p["due_at"])}
    if a == "apologise":
        return _("Hẹn trả cũ %(old)s; hẹn trả mới %(new)s.") % {
            "old": moment(p.get("old_due_at")),
            "new": moment(p.get("new_due_at")),
        }
    if a == "return_result":
        return _("Trao cho %(who)s (%(how)s).") % {
            "who": p.get("returned_to", ""),
            "how": _label(ResultDelivery, p.get("method", "")),
        }
    return ""


def _step_detail(p: dict) -> str:
    parts = []
    if p.get("result_code"):
        parts.append(_("Kết quả %(code)s.") % {"code": p["result_code"]})
    if p.get("step"):
        parts.append(
            _("Xong bước “%(step)s” (%(t)s).")
            % {"step": p["step"], "t": _label(Timeliness, p.get("step_timeliness", ""))}
        )
    if p.get("next_step"):
        parts.append(_("Chuyển bước “%(step)s”.") % {"step": p["next_step"]})
    elif p.get("timeliness"):
        parts.append(_("Có kết quả: %(t)s.") % {"t": _label(Timeliness, p["timeliness"])})
    return " ".join(parts)


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    actor: str
    title: str
    detail: str
    state: str
    reason: str


def timeline(events: Iterable[DossierEvent]) -> list[TimelineEntry]:
    """The events in plain Vietnamese, oldest first."""
    entries = []
    for e in events:
        spec = ACTIONS.get(e.action)
        title = _(spec.label) if spec else _("Nộp hồ sơ")
        entries.append(
            TimelineEntry(
                at=e.at,
                actor=e.actor_name or _("Người nộp"),
                title=title,
                detail=_detail(e),
                state=_label(State, e.to_state),
                reason=e.reason,
            )
        )
    return entries


# --- Printed forms ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintForm:
    number: str
    title: str
    actions: tuple[str, ...]  # the events that issue it (the latest one is printed)


PRINT_FORMS = {
    f.number: f
    for f in (
        PrintForm("01", gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), ("receive",)),
        PrintForm(
            "02",
            gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
            ("request_completion", "request_supplement"),
        ),
        PrintForm("03", gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"), ("refuse",)),
        PrintForm(
            "04",
            gettext_lazy("Văn bản xin lỗi và hẹn lại ngày trả kết quả"),
            ("apologise",),
        ),
        PrintForm("05", gettext_lazy("Thông báo dừng giải quyết hồ sơ"), ("stop",)),
        PrintForm("06", gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"), ("receive",)),
    )
}


def form_event(number: str, events: Sequence[DossierEvent]) -> DossierEvent | None:
    """The event that issued form ``number`` (the latest), or None if it was never issued."""
    form = PRINT_FORMS.get(number)
    if form is None:
        return None
    return next((e for e in reversed(events) if e.action in form.actions), None)


def available_prints(events: Sequence[DossierEvent]) -> list[PrintForm]:
    return [f for f in PRINT_FORMS.values() if form_event(f.number, events)]


def limit_text(value, unit: str) -> str:
    """A processing time in words: ``3 ngày làm việc``, ``0,5 ngày làm việc``."""
    if not unit:
        return ""
    label = _label(TimeUnit, unit)
    if value is None or unit == TimeUnit.WITHIN_DAY:
        return label
    value = Decimal(value)
    number = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return f"{formats.number_format(number)} {label}"
