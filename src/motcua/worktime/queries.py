"""Reads: the engine calendar an agency works by, and how the calendar differs from the library.

``calendar_for(agency)`` builds an immutable :class:`~motcua.worktime.engine.Calendar` from
the ``holidays`` library, the override table and the agency's ``WorkCalendar`` (falling back
to the national default row, then to the built-in defaults), and keeps it in a per-process
cache. The cache is dropped at once by the signals in ``signals`` when a calendar or an
override row is saved or deleted in this process; other processes notice within
``CHECK_SECONDS`` through a cheap fingerprint of both tables (row counts and last update).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from motcua.worktime.engine import Calendar, CalendarSpec, calendar_from_spec
from motcua.worktime.library import library_days
from motcua.worktime.models import WEEKDAY_NAMES, CalendarOverride, WorkCalendar

__all__ = [
    "DayDifference",
    "calendar_for",
    "calendar_row_for",
    "invalidate",
    "library_differences",
    "spec_for",
]

DEFAULT_COUNTRY = "VN"  # the country of the national default calendar
FIRST_YEAR = 2000
LAST_YEAR = 2100
CHECK_SECONDS = 30.0  # how stale another process's edit may be seen, at most


@dataclass
class _Cache:
    stamp: tuple | None = None
    checked_at: float = float("-inf")
    calendars: dict | None = None  # agency pk (None: national) → Calendar
    by_spec: dict | None = None  # CalendarSpec → Calendar: agencies with equal rules share one


_cache = _Cache(calendars={}, by_spec={})
_lock = threading.Lock()


def invalidate() -> None:
    """Forget every cached calendar (called by the signals; tests call it too)."""
    with _lock:
        _cache.stamp = None
        _cache.checked_at = float("-inf")
        _cache.calendars = {}
        _cache.by_spec = {}


def _fingerprint() -> tuple:
    calendars = WorkCalendar.objects.aggregate(n=Count("pk"), t=Max("updated_at"))
    overrides = CalendarOverride.objects.aggregate(n=Count("pk"), t=Max("updated_at"))
    return calendars["n"], calendars["t"], overrides["n"], overrides["t"]


def _fresh_calendars() -> dict:
    """The cache's calendars, emptied first if the tables changed since it was filled."""
    now = time.monotonic()
    if now - _cache.checked_at < CHECK_SECONDS:
        return _cache.calendars
    stamp = _fingerprint()
    with _lock:
        if stamp != _cache.stamp:
            _cache.calendars, _cache.by_spec = {}, {}
            _cache.stamp = stamp
        _cache.checked_at = now
        return _cache.calendars


def calendar_for(agency=None) -> Calendar:
    """The working calendar of ``agency`` (an ``org.Agency``, its pk, or None for national).

    Cached per process: the first call for an agency costs a few queries and about 0.1 s
    of compilation; later calls cost no query (at most a fingerprint query every
    ``CHECK_SECONDS``).
    """
    key = getattr(agency, "pk", agency)
    calendars = _fresh_calendars()
    calendar = calendars.get(key)
    if calendar is None:
        spec = spec_for(calendar_row_for(key))
        with _lock:
            calendar = _cache.by_spec.get(spec) or calendar_from_spec(spec)
            if calendars is _cache.calendars:
                calendars[key] = _cache.by_spec.setdefault(spec, calendar)
    return calendar


def calendar_row_for(agency=None) -> WorkCalendar | None:
    """The agency's own calendar row, else the national default row, else None."""
    key = getattr(agency, "pk", agency)
    national = Q(agency__isnull=True, country=DEFAULT_COUNTRY)
    rows = WorkCalendar.objects.filter(national | Q(agency_id=key) if key is not None else national)
    rows = sorted(rows, key=lambda row: row.agency_id is None)
    return rows[0] if rows else None


def _overrides(row: WorkCalendar | None, country: str, first: dt.date, last: dt.date) -> list:
    """Override rows for the calendar in date order, national ones before the calendar's own
    (so that the calendar's own row of a day wins)."""
    where = Q(calendar__isnull=True, country=country)
    if row is not None and row.pk is not None:
        where |= Q(calendar=row)
    rows = CalendarOverride.objects.filter(where, date__range=(first, last))
    return sorted(rows, key=lambda o: (o.date, o.calendar_id is not None))


def _apply(days_off: set, working: set, overrides: Iterable[CalendarOverride]) -> None:
    for override in overrides:
        if override.kind == CalendarOverride.Kind.DAY_OFF:
            days_off.add(override.date)
            working.discard(override.date)
        else:
            working.add(override.date)
            days_off.discard(override.date)


def spec_for(
    row: WorkCalendar | None, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR
) -> CalendarSpec:
    """The engine spec of a calendar row (None: built-in defaults) for the years inclusive."""
    country = row.country if row is not None else DEFAULT_COUNTRY
    first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    base = library_days(first_year, last_year, country)
    days_off, working = set(base.days_off), set(base.working_days)
    _apply(days_off, working, _overrides(row, country, first, last))
    options = {}
    if row is not None:
        options = {
            "working_weekdays": row.weekdays,
            "windows": (
                (row.morning_start, row.morning_end),
                (row.afternoon_start, row.afternoon_end),
            ),
            "cutoff": row.cutoff,
            "reception_windows": (
                ((5, row.saturday_reception_start, row.saturday_reception_end),)
                if row.saturday_reception
                else ()
            ),
        }
    return CalendarSpec(
        holidays=frozenset(days_off),
        extra_working_days=frozenset(working),
        first_day=first,
        last_day=last,
        **options,
    )


@dataclass(frozen=True)
class DayDifference:
    """One overridden day of a year: what the library says and what applies.

    ``differs`` is False when the override only confirms the library (kept for its legal
    reference).
    """

    date: dt.date
    library_working: bool
    library_name: str
    working: bool
    override: CalendarOverride

    @property
    def differs(self) -> bool:
        return self.library_working != self.working

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAY_NAMES[self.date.weekday()])


def library_differences(row: WorkCalendar | None, year: int) -> list[DayDifference]:
    """The days of ``year`` the override table adds or removes for ``row``'s calendar versus
    ``holidays.country_holidays(country)`` with its ``weekend_workdays``."""
    country = row.country if row is not None else DEFAULT_COUNTRY
    weekdays = row.weekdays if row is not None else frozenset(range(5))
    base = library_days(year, year, country)
    effective: dict[dt.date, CalendarOverride] = {}
    for override in _overrides(row, country, dt.date(year, 1, 1), dt.date(year, 12, 31)):
        effective[override.date] = override  # the calendar's own row comes last and wins
    result = []
    for day, override in sorted(effective.items()):
        library_working = day in base.working_days or (
            day.weekday() in weekdays and day not in base.days_off
        )
        result.append(
            DayDifference(
                date=day,
                library_working=library_working,
                library_name=base.days_off.get(day, ""),
                working=override.kind == CalendarOverride.Kind.WORKING_DAY,
                override=override,
            )
        )
    return result
