"""Working-time arithmetic (tính thời gian làm việc): pure Python, no Django ORM.

A :class:`Calendar` is compiled once from a :class:`CalendarSpec` (weekly pattern, working
windows, receipt cut-off, days off, make-up working days, date range, time zone) and is then
immutable. Compilation builds, for every day of the range, the number of working days before
it (a prefix count) and the sorted list of working days, so that turning an instant into a
"working-minute position" and back is a couple of list look-ups: O(1) per operation (the
prefix array replaces the ``bisect`` a sparse index would need), never a day-by-day loop.

Rules (DOMAIN.md "Working time"):

* Working days are the weekly pattern (Mon–Fri) minus days off plus make-up working days. The
  days off come from the Labour Code 2019 Art. 112 (public holidays, Tết placed by the annual
  decision) and Art. 111 (a holiday on the weekly rest day gives the next working day off) as
  computed by the ``holidays`` library, corrected by the override table (see ``queries``).
* Working time is the time inside the working windows of a working day (default 07:30–11:30
  and 13:00–17:00). A counter that receives on Saturday morning (``reception_windows``) does
  not make Saturday a working day for the clock.
* A limit in days starts the day after receipt and ends at the end of the last working day
  (Civil Code 2015 Art. 147–148). A receipt after the cut-off (15:00; Decree 118/2025 Art. 18:
  received after 15:00 → transferred at the start of the next working day) or on a day that is
  not a working day counts as received at the start of the next working day.
* Calendar days and months (Civil Code Art. 147–148): the period ends on the last day (for
  months, the corresponding day of the last month, or that month's last day); if that day is
  not a working day it ends at the end of the next working day. The period ends at the close
  of working hours (the Civil Code's 24:00 would fall after the office has closed).
* Working hours consume only window time: lunch and non-working days are skipped.
* "Within the day" (trong ngày): due at the end of the (deemed) receipt day.
* Pauses (supplement requests) extend a due date by the working time inside them.

Conventions: inputs are timezone-aware :class:`~datetime.datetime` (a naive one raises
``ValueError``); outputs are aware datetimes in the calendar's local zone (Asia/Ho_Chi_Minh),
which compare equal to the same instant in UTC. Time is resolved to the minute: seconds are
dropped (the receipt and the control sheet record time to the minute), so a receipt at
15:00:40 is "at 15:00", not after the cut-off. The ``*_minute`` methods are the same
operations on integer UTC minutes since the Unix epoch, for bulk work.
"""

from __future__ import annotations

import datetime as dt
from array import array
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from motcua.worktime.limits import Limit, LimitUnit

__all__ = [
    "DEFAULT_WINDOWS",
    "Calendar",
    "CalendarSpec",
    "DueDate",
    "Limit",
    "LimitUnit",
    "Timeliness",
    "calendar_from_spec",
    "classify_finish",
]

VN_TZ_NAME = "Asia/Ho_Chi_Minh"
DEFAULT_WINDOWS = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(17, 0)))
DAY = 1440  # minutes
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_UTC_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MINUTE = dt.timedelta(minutes=1)
_WD, _WH = LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS
_WITHIN, _DAYS, _MONTHS = LimitUnit.WITHIN_DAY, LimitUnit.DAYS, LimitUnit.MONTHS

Window = tuple[dt.time, dt.time]


class Timeliness(StrEnum):
    """How a finish compares with its due date (trước hạn / đúng hạn / quá hạn)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label_vi(self) -> str:
        return {"early": "trước hạn", "on_time": "đúng hạn", "late": "quá hạn"}[self.value]


@dataclass(frozen=True)
class CalendarSpec:
    """Everything that defines a working calendar; hashable, so compiled calendars are cached.

    ``working_weekdays`` uses Python's numbering (Monday 0 … Sunday 6). ``windows`` are the
    working windows of every working day, sorted and disjoint. ``reception_windows`` are extra
    reception hours on weekdays outside the pattern, as ``(weekday, start, end)`` (e.g.
    ``(5, 07:30, 11:30)`` for Saturday morning): they never make a day a working day.
    ``holidays`` and ``extra_working_days`` must be disjoint; a make-up day wins over the
    weekly pattern, a day off wins over the pattern.
    """

    working_weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    windows: tuple[Window, ...] = DEFAULT_WINDOWS
    cutoff: dt.time = dt.time(15, 0)
    holidays: frozenset[dt.date] = frozenset()
    extra_working_days: frozenset[dt.date] = frozenset()
    reception_windows: tuple[tuple[int, dt.time, dt.time], ...] = ()
    first_day: dt.date = dt.date(2000, 1, 1)
    last_day: dt.date = dt.date(2100, 12, 31)
    tz_name: str = VN_TZ_NAME

    def __post_init__(self) -> None:
        _check_spec(self)


def _minute_of(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _check_spec(spec: CalendarSpec) -> None:
    if not spec.working_weekdays <= set(range(7)):
        raise ValueError("working_weekdays must be numbers 0 (Monday) … 6 (Sunday)")
    if not spec.windows:
        raise ValueError("a calendar needs at least one working window")
    previous_end = 0
    for start, end in spec.windows:
        if not previous_end <= _minute_of(start) < _minute_of(end):
            raise ValueError(f"working windows must be sorted and disjoint: {spec.windows}")
        previous_end = _minute_of(end)
    for weekday, start, end in spec.reception_windows:
        if weekday not in range(7) or _minute_of(start) >= _minute_of(end):
            raise ValueError(f"bad reception window {(weekday, start, end)}")
    if both := spec.holidays & spec.extra_working_days:
        raise ValueError(f"days both off and working: {sorted(both)[:5]}")
    if spec.first_day > spec.last_day:
        raise ValueError("first_day must not be after last_day")


@dataclass(frozen=True, slots=True)
class DueDate:
    """A due date with its working: what a receipt (phiếu tiếp nhận và hẹn trả) shows.

    ``clock_start`` is when the clock starts (the receipt itself, or the next working day's
    start after the cut-off or outside working time); ``counted_days`` are the working days
    the limit runs over (for calendar days and months, the working days inside the period).
    """

    received: dt.datetime
    limit: Limit
    clock_start: dt.datetime
    due: dt.datetime
    counted_days: tuple[dt.date, ...]


class Calendar:
    """A compiled, immutable working calendar; build it with :func:`calendar_from_spec`."""

    __slots__ = (
        "spec", "tz", "minutes_per_day", "_off", "_day0", "_ndays", "_rank", "_wd", "_wend",
        "_f", "_gend", "_gstart", "_cut", "_reception", "_epoch",
    )  # fmt: skip

    def __init__(self, spec: CalendarSpec) -> None:
        setter = object.__setattr__
        tz = ZoneInfo(spec.tz_name)
        setter(self, "spec", spec)
        setter(self, "tz", tz)
        off = _fixed_offset_minutes(tz, spec.first_day, spec.last_day)
        setter(self, "_off", off)
        setter(self, "_epoch", dt.datetime(1970, 1, 1, tzinfo=tz))
        for name, value in _day_tables(spec, off).items():
            setter(self, name, value)
        for name, value in _minute_tables(spec).items():
            setter(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Calendar is immutable")

    def __repr__(self) -> str:
        s = self.spec
        return f"<Calendar {s.first_day}…{s.last_day} {s.tz_name} {len(self._wd)} working days>"

    # -- conversions -------------------------------------------------------------------------

    def to_minute(self, instant: dt.datetime) -> int:
        """UTC minutes since the epoch of an aware datetime (seconds dropped)."""
        return _epoch_minute(instant)

    def from_minute(self, minute: int) -> dt.datetime:
        """The aware local datetime of UTC minute ``minute``."""
        return self._epoch + _MINUTE * (minute + self._off)

    def _index(self, day: int) -> int:
        """Index into the day tables of epoch day ``day``, or ValueError outside the range."""
        i = day - self._day0
        if 0 <= i < self._ndays:
            return i
        raise self._range_error(day)

    def _range_error(self, day: int) -> ValueError:
        try:
            when = dt.date.fromordinal(day + _EPOCH_ORDINAL).isoformat()
        except (ValueError, OverflowError):
            when = "quá xa / far away"
        return ValueError(
            f"Ngày {when} nằm ngoài lịch làm việc / outside the working calendar "
            f"({self.spec.first_day} – {self.spec.last_day})"
        )

    # -- days ----------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date | dt.datetime) -> bool:
        """True if ``day`` (a date, or the local date of an aware datetime) is a working day."""
        i = self._index(self._epoch_day(day))
        return self._rank[i + 1] != self._rank[i]

    def working_days_in(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days from ``first`` to ``last`` inclusive, in order."""
        i, j = self._index(self._epoch_day(first)), self._index(self._epoch_day(last))
        if j < i:
            return []
        days = self._wd[self._rank[i] : self._rank[j + 1]]
        return [dt.date.fromordinal(d + _EPOCH_ORDINAL) for d in days]

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working days elapsed from ``start`` to ``end`` (negative if ``end`` is earlier).

        One working day is the length of the working windows (8 h by default), so this is
        ``working_minutes_between // minutes_per_day`` rounded toward zero.
        """
        minutes = self.working_minutes_between(start, end)
        days = abs(minutes) // self.minutes_per_day
        return days if minutes >= 0 else -days

    def is_reception_open(self, instant: dt.datetime) -> bool:
        """True if a counter following this calendar receives at ``instant``.

        Working windows on working days, plus ``reception_windows`` (e.g. Saturday morning)
        on days that are not days off.
        """
        lm = self.to_minute(instant) + self._off
        day, mod = divmod(lm, DAY)
        i = self._index(day)
        if self._rank[i + 1] != self._rank[i]:
            return self._f[mod + 1] != self._f[mod]
        on = dt.date.fromordinal(day + _EPOCH_ORDINAL)
        if on in self.spec.holidays:
            return False
        return any(s <= mod < e for s, e in self._reception.get(on.weekday(), ()))

    def _epoch_day(self, day: dt.date | dt.datetime) -> int:
        if isinstance(day, dt.datetime):
            return (self.to_minute(day) + self._off) // DAY
        return day.toordinal() - _EPOCH_ORDINAL

    # -- positions on the working-time line ------------------------------------------------

    def _pos(self, minute: int) -> int:
        """Working minutes from the start of the range up to UTC minute ``minute``."""
        lm = minute + self._off
        day = lm // DAY
        i = day - self._day0
        if not 0 <= i < self._ndays:
            raise self._range_error(day)
        rank = self._rank
        r = rank[i]
        if rank[i + 1] != r:
            return r * self.minutes_per_day + self._f[lm - day * DAY]
        return r * self.minutes_per_day

    def _at_end(self, pos: int) -> int:
        """The earliest UTC minute whose position is ``pos`` (11:30, not 13:00; 17:00, not
        07:30 the next day): where a span of working time ends."""
        k, r = divmod(pos, self.minutes_per_day)
        if r == 0 and k > 0:
            k -= 1
            if k < len(self._wend):
                return self._wend[k]
        elif 0 <= k < len(self._wd):
            return self._wd[k] * DAY + self._gend[r] - self._off
        raise self._range_error(self._day0 + self._ndays if pos > 0 else self._day0 - 1)

    def _at_start(self, pos: int) -> int:
        """The latest UTC minute whose position is ``pos``: where working time resumes."""
        k, r = divmod(pos, self.minutes_per_day)
        if 0 <= k < len(self._wd):
            return self._wd[k] * DAY + self._gstart[r] - self._off
        raise self._range_error(self._day0 + self._ndays)

    def _receipt_index(self, minute: int) -> int:
        """Index in the working-day list of the day a receipt counts as made on."""
        lm = minute + self._off
        day = lm // DAY
        i = day - self._day0
        if not 0 <= i < self._ndays:
            raise self._range_error(day)
        rank = self._rank
        r = rank[i]
        if rank[i + 1] != r and lm - day * DAY > self._cut:
            return r + 1  # a working day, after the cut-off: the next working day
        return r  # the day itself, or the next working day when the day is not one

    def _end_of(self, k: int) -> int:
        if k < len(self._wend):
            return self._wend[k]
        raise self._range_error(self._day0 + self._ndays)

    # -- instants ------------------------------------------------------------------------------

    def next_working_instant(self, instant: dt.datetime) -> dt.datetime:
        """``instant`` if it is inside working time, else when working time next resumes."""
        return self.from_minute(self._at_start(self._pos(self.to_minute(instant))))

    def add_working_minutes(self, instant: dt.datetime, minutes: int) -> dt.datetime:
        """The instant ``minutes`` of working time after ``instant`` (before it if negative).

        Only time inside working windows is consumed (Labour Code 2019 Art. 111–112 for the
        days off; lunch breaks skipped). A span ending exactly at a window's end gives that
        end (11:30, 17:00), not the next window's start.
        """
        return self.from_minute(self.add_working_minutes_minute(self.to_minute(instant), minutes))

    def add_working_minutes_minute(self, minute: int, minutes: int) -> int:
        """:meth:`add_working_minutes` on UTC epoch minutes."""
        if minutes == 0:
            return minute
        return self._at_end(self._pos(minute) + minutes)

    def add_working_hours(self, instant: dt.datetime, hours: float | int) -> dt.datetime:
        """:meth:`add_working_minutes` with hours (rounded to the nearest minute)."""
        return self.add_working_minutes(instant, round(hours * 60))

    def add_working_days(self, instant: dt.datetime, days: int) -> dt.datetime:
        """Shift ``instant`` by ``days`` whole working days (backwards if negative).

        Inside working time the local time of day is kept (Tue 10:00 + 2 → Thu 10:00); outside
        it, the instant counts as the end of the preceding working time (Sat 09:00 + 1 → Mon
        17:00). Useful for "1 working day before the due date" (apology letter deadline). For
        a limit counted from a receipt use :meth:`due`.
        """
        return self.add_working_minutes(instant, days * self.minutes_per_day)

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working minutes from ``start`` to ``end`` (negative if ``end`` is earlier)."""
        return self._pos(self.to_minute(end)) - self._pos(self.to_minute(start))

    # -- due dates -----------------------------------------------------------------------------

    def due(self, received: dt.datetime, limit: Limit) -> dt.datetime:
        """The due instant (hẹn trả) of a dossier received at ``received`` with ``limit``.

        * working days: the receipt day is the day itself, or the next working day when the
          receipt is after the cut-off (Decree 118/2025 Art. 18) or not on a working day;
          counting starts the day after it and ends at the close of the N-th working day
          (Civil Code 2015 Art. 147–148). A fraction (``1.5``) adds that share of a working
          day's hours on the following working day.
        * working hours: the instant when that much window time has passed (no cut-off).
        * within the day: the close of the receipt day as defined above.
        * days / months: the close of the last day (for months, the corresponding day of the
          last month or its last day), moved to the next working day if it is not one
          (Civil Code 2015 Art. 148).
        """
        minute = self.due_minute(_epoch_minute(received), limit)
        return self._epoch + _MINUTE * (minute + self._off)

    def due_minute(self, received: int, limit: Limit) -> int:
        """:meth:`due` on UTC epoch minutes: the hot path, integer arithmetic only."""
        unit = limit.unit
        if unit is _WD:
            k = self._receipt_index(received) + limit.whole
            if not limit.fraction_ppm:
                return self._end_of(k)
            extra = (limit.fraction_ppm * self.minutes_per_day + 500_000) // 1_000_000
            return self._at_end((k + 1) * self.minutes_per_day + extra)
        if unit is _WH:
            return self.add_working_minutes_minute(received, limit.minutes)
        if unit is _WITHIN:
            return self._end_of(self._receipt_index(received))
        start = self._wd_at(self._receipt_index(received))
        if unit is _DAYS:
            return self._end_on_or_after(start + limit.whole)
        return self._end_on_or_after(_add_months(start, limit.whole))

    def _wd_at(self, k: int) -> int:
        if k < len(self._wd):
            return self._wd[k]
        raise self._range_error(self._day0 + self._ndays)

    def _end_on_or_after(self, day: int) -> int:
        """End of working time on epoch day ``day``, or on the next working day after it."""
        return self._end_of(self._rank[self._index(day)])

    def clock_start(self, received: dt.datetime, limit: Limit) -> dt.datetime:
        """When the clock of ``limit`` starts for a receipt at ``received``."""
        minute = self.to_minute(received)
        if limit.unit is _WH:
            return self.from_minute(self._at_start(self._pos(minute)))
        k = self._receipt_index(minute)
        if k < len(self._wd) and self._wd[k] == (minute + self._off) // DAY:
            return self.from_minute(minute)
        return self.from_minute(self._at_start(k * self.minutes_per_day))

    def explain(self, received: dt.datetime, limit: Limit) -> DueDate:
        """The due date with the clock start and the working days counted."""
        due = self.due(received, limit)
        start = self.clock_start(received, limit)
        if limit.unit is _WH:
            first = start.date()
            if due == start:
                return DueDate(received, limit, start, due, ())
        elif limit.unit is _WITHIN:
            first = start.date()
        else:
            first = start.date() + dt.timedelta(days=1)
        return DueDate(received, limit, start, due, tuple(self.working_days_in(first, due.date())))

    def receipt_day(self, received: dt.datetime) -> dt.date:
        """The working day a receipt counts as made on (after the cut-off: the next one)."""
        day = self._wd_at(self._receipt_index(self.to_minute(received)))
        return dt.date.fromordinal(day + _EPOCH_ORDINAL)

    def extend(
        self, due: dt.datetime, pauses: Iterable[tuple[dt.datetime, dt.datetime]]
    ) -> dt.datetime:
        """``due`` pushed back by the working time inside the ``pauses`` (start, end).

        Overlapping pauses count once. A supplement request (yêu cầu bổ sung) pauses the clock;
        on completion it resumes with the paused working time added back (DOMAIN.md).
        """
        spans = sorted((self.to_minute(s), self.to_minute(e)) for s, e in pauses)
        if any(end < start for start, end in spans):
            raise ValueError(
                "Khoảng tạm dừng kết thúc trước khi bắt đầu / a pause ends before it starts"
            )
        total, reach = 0, None
        for start, end in spans:
            if reach is not None:
                start = max(start, reach)
            if end > start:
                total += self._pos(end) - self._pos(start)
            reach = end if reach is None else max(reach, end)
        return self.from_minute(self.add_working_minutes_minute(self.to_minute(due), total))


def classify_finish(
    finished: dt.datetime,
    due: dt.datetime,
    *,
    date_only: bool = False,
    tz: dt.tzinfo | None = None,
) -> Timeliness:
    """Early, on time or late (DOMAIN.md "Timeliness"): compare the date-time to the minute.

    ``date_only`` compares local dates instead (a configurable report option): any finish on
    the due day is on time. ``tz`` is the zone of those dates (default Asia/Ho_Chi_Minh).
    """
    a, b = _epoch_minute(finished), _epoch_minute(due)
    if date_only:
        zone = tz or ZoneInfo(VN_TZ_NAME)
        a, b = finished.astimezone(zone).date(), due.astimezone(zone).date()
    if a < b:
        return Timeliness.EARLY
    return Timeliness.ON_TIME if a == b else Timeliness.LATE


def _epoch_minute(instant: dt.datetime) -> int:
    """UTC minutes since 1970-01-01 of an aware datetime, exact (no float), seconds dropped."""
    try:
        delta = instant - _UTC_EPOCH
    except TypeError:
        raise ValueError(
            f"Thời điểm phải có múi giờ / the instant must be timezone-aware: {instant!r}"
        ) from None
    return delta.days * DAY + delta.seconds // 60


@lru_cache(maxsize=64)
def calendar_from_spec(spec: CalendarSpec) -> Calendar:
    """The compiled calendar for ``spec``, cached: calendars are immutable."""
    return Calendar(spec)


# -- compilation -----------------------------------------------------------------------------


def _fixed_offset_minutes(tz: ZoneInfo, first: dt.date, last: dt.date) -> int:
    """The zone's UTC offset in minutes, checked constant over the range (no DST).

    Asia/Ho_Chi_Minh has been UTC+7 since 1975; a zone with transitions inside the range
    is refused rather than silently miscounted.
    """
    offsets = set()
    for year in range(first.year, last.year + 1):
        for month in (1, 7):
            offset = dt.datetime(year, month, 1, 12, tzinfo=tz).utcoffset()
            offsets.add(offset)
    if len(offsets) != 1:
        raise ValueError(f"time zone {tz.key} changes its UTC offset inside the calendar range")
    (offset,) = offsets
    return int(offset.total_seconds()) // 60


def _is_working(spec: CalendarSpec, day: dt.date) -> bool:
    if day in spec.extra_working_days:
        return True
    return day.weekday() in spec.working_weekdays and day not in spec.holidays


def _day_tables(spec: CalendarSpec, off: int) -> dict[str, object]:
    """Prefix counts of working days per day of the range, and the working days themselves.

    Compact ``array('i')`` tables (4 bytes an entry, about 350 kB for 2000–2100): one calendar
    per agency stays cheap to keep in memory.
    """
    day0 = spec.first_day.toordinal() - _EPOCH_ORDINAL
    ndays = (spec.last_day - spec.first_day).days + 1
    day_end = _minute_of(spec.windows[-1][1])
    rank, working = array("i", bytes(4 * (ndays + 1))), array("i")
    for i in range(ndays):
        if _is_working(spec, spec.first_day + dt.timedelta(days=i)):
            working.append(day0 + i)
        rank[i + 1] = len(working)
    reception: dict[int, tuple[tuple[int, int], ...]] = {}
    for weekday, start, end in spec.reception_windows:
        reception[weekday] = (*reception.get(weekday, ()), (_minute_of(start), _minute_of(end)))
    return {
        "_day0": day0,
        "_ndays": ndays,
        "_rank": rank,
        "_wd": working,
        "_wend": array("i", [d * DAY + day_end - off for d in working]),
        "_reception": reception,
    }


def _minute_tables(spec: CalendarSpec) -> dict[str, object]:
    """Per minute of a day: working minutes before it; and the two inverses of that map."""
    windows = [(_minute_of(s), _minute_of(e)) for s, e in spec.windows]
    f = [0] * (DAY + 1)
    gend, gstart = [windows[0][0]], []
    acc = 0
    for minute in range(DAY):
        f[minute] = acc
        if any(s <= minute < e for s, e in windows):
            gstart.append(minute)
            acc += 1
            gend.append(minute + 1)
    f[DAY] = acc
    return {
        "minutes_per_day": acc,
        "_f": f,
        "_gend": gend,
        "_gstart": gstart,
        "_cut": min(_minute_of(spec.cutoff), windows[-1][1]),
    }


def _add_months(epoch_day: int, months: int) -> int:
    """Epoch day ``months`` months after ``epoch_day``; the month's last day if it is short
    (Civil Code 2015 Art. 148(3))."""
    start = dt.date.fromordinal(epoch_day + _EPOCH_ORDINAL)
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    if year > dt.MAXYEAR:
        raise ValueError(f"{months} tháng sau {start} nằm ngoài lịch / is outside the calendar")
    end = dt.date(year, month0 + 1, min(start.day, monthrange(year, month0 + 1)[1]))
    return end.toordinal() - _EPOCH_ORDINAL
