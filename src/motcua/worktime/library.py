"""The base calendar from the ``holidays`` library (country VN); pure Python, no Django.

``holidays.country_holidays("VN")`` implements the Labour Code 2019 Art. 112 public holidays
(Tết placed by rule, Hùng Kings by the lunar calendar, 2/9 with its adjacent day, 24/11 from
2026), the Art. 111 "holiday on a rest day → next working day off" rule, and the day swaps it
knows about, with the make-up Saturdays in ``weekend_workdays``. The government's yearly
decisions can differ from it; the override table (``models.CalendarOverride``) corrects it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

from motcua.worktime.engine import Calendar, CalendarSpec, calendar_from_spec


@dataclass(frozen=True)
class LibraryDays:
    """Days off (with their names) and make-up working days, as the library gives them."""

    days_off: dict[dt.date, str]
    working_days: frozenset[dt.date]


@lru_cache(maxsize=16)
def library_days(first_year: int, last_year: int, country: str = "VN") -> LibraryDays:
    """The library's days off and make-up working days for the years, inclusive.

    Names are in Vietnamese. ``weekend_workdays`` is filtered to the years asked for (the
    library returns its whole list whatever the years).
    """
    years = range(first_year, last_year + 1)
    try:
        table = holidays.country_holidays(country, years=years, language="vi")
    except NotImplementedError:
        table = holidays.country_holidays(country, years=years)
    days_off = {day: str(name) for day, name in sorted(table.items()) if day.year in years}
    working = frozenset(
        d for d in getattr(table, "weekend_workdays", ()) if d.year in years and d not in days_off
    )
    return LibraryDays(days_off, working)


def library_spec(first_year: int, last_year: int, country: str = "VN", **options) -> CalendarSpec:
    """A :class:`CalendarSpec` with the library's days for the years; ``options`` go to the
    spec (windows, cut-off, weekly pattern…)."""
    days = library_days(first_year, last_year, country)
    return CalendarSpec(
        holidays=frozenset(days.days_off),
        extra_working_days=days.working_days,
        first_day=dt.date(first_year, 1, 1),
        last_day=dt.date(last_year, 12, 31),
        **options,
    )


def library_calendar(
    first_year: int = 2000, last_year: int = 2100, country: str = "VN"
) -> Calendar:
    """The compiled calendar of the library alone (default hours; cached)."""
    return calendar_from_spec(library_spec(first_year, last_year, country))
