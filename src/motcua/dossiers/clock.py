"""The dossier's deadline clock, computed only through the working-time engine.

Decree 118/2025 Art. 17–19 and DOMAIN.md "Working time": the due date-time comes from the
receipt instant and the procedure's limit for the channel; pauses (supplement requests,
financial obligations) push it back by the paused working time, or restart it when the
procedure says so; apologies move it once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.catalog.models import Channel, ChannelOption
from motcua.dossiers.errors import InvalidInput
from motcua.worktime.engine import Calendar, classify_finish
from motcua.worktime.limits import Limit
from motcua.worktime.queries import calendar_for


def calendar_of(dossier) -> Calendar:
    """The competent agency's working calendar (the national one when it has none)."""
    return calendar_for(dossier.competent_agency_id)


def limit_for(version, channel: str, offering=None) -> tuple[Decimal | None, str]:
    """The processing time that applies: the offering's local time, else the channel's,
    else the counter's (the legal reference)."""
    if offering is not None and offering.time_unit:
        return offering.time_value, offering.time_unit
    options = list(ChannelOption.objects.filter(version=version).exclude(time_unit=""))
    for wanted in (channel, Channel.COUNTER):
        for option in options:
            if option.channel == wanted:
                return option.time_value, option.time_unit
    if options:
        return options[0].time_value, options[0].time_unit
    return None, ""


def limit_of(dossier) -> Limit:
    if not dossier.limit_unit:
        raise InvalidInput(
            "Thủ tục chưa có thời hạn giải quyết (hoặc thời hạn thiếu đơn vị): quản trị viên "
            "cần cập nhật danh mục thủ tục trước khi tiếp nhận."
        )
    return Limit(dossier.limit_value or 0, dossier.limit_unit)


def due_from(dossier, start: dt.datetime) -> dt.datetime:
    return calendar_of(dossier).due(start, limit_of(dossier))


def extend_by_pause(dossier, start: dt.datetime, end: dt.datetime, due: dt.datetime) -> dt.datetime:
    return calendar_of(dossier).extend(due, [(start, end)])


def step_due(dossier, start: dt.datetime, value: Decimal, unit: str) -> dt.datetime:
    """Due instant of a step with a budget of ``value`` working hours or days."""
    cal = calendar_of(dossier)
    per_unit = cal.minutes_per_day if unit == "working_days" else 60
    return cal.add_working_minutes(cal.next_working_instant(start), int(value * per_unit))


def transfer_start(dossier, now: dt.datetime) -> dt.datetime:
    """When a transferred dossier reaches the first step: at once, or at the start of the
    next working day when received after the cut-off (Decree 118/2025 Art. 18)."""
    return calendar_of(dossier).clock_start(now, Limit(1, "working_days"))


def latest_apology(dossier) -> dt.datetime:
    """An apology is due no later than 1 working day before the due date (Decree 118)."""
    return calendar_of(dossier).add_working_days(dossier.due_at, -1)


def warn_from(dossier, days: int) -> dt.datetime:
    return calendar_of(dossier).add_working_days(dossier.due_at, -days)


def timeliness(dossier, finished: dt.datetime) -> str:
    """Early / on time / late; a second supplement request makes it late (Decision 766)."""
    if dossier.late_by_rule:
        return "late"
    return str(classify_finish(finished, dossier.due_at))


def working_minutes_left(dossier, now: dt.datetime) -> int:
    """Working minutes until the due date (negative when overdue)."""
    cal = calendar_of(dossier)
    if now <= dossier.due_at:
        return cal.working_minutes_between(now, dossier.due_at)
    return -cal.working_minutes_between(dossier.due_at, now)
