"""The dimensions of the aggregates and of the reports: local days, periods, levels.

Days are local dates in ``settings.TIME_ZONE`` (Asia/Ho_Chi_Minh). A period ``[first, last]``
of days runs from ``first`` 00:00 to ``last + 1`` 00:00 local time.

Level (cấp thực hiện) of a dossier: the procedure may list several levels; the dossier counts
at the level of the receiving agency when the procedure lists it, else at the first level the
procedure lists (ministry, province, district, commune, other), else at the agency's level.
:func:`level_of` says it in Python and :func:`level_q` as a database filter; a test checks
that they agree for every combination.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from motcua.catalog.models import Level
from motcua.org.models import Agency

K = Agency.Kind
#: The level of government each kind of agency works at.
AGENCY_LEVEL: dict[str, str] = {
    K.MINISTRY: Level.MINISTRY,
    K.MINISTRY_UNIT: Level.MINISTRY,
    K.PROVINCIAL_COMMITTEE: Level.PROVINCE,
    K.PROVINCIAL_CENTRE: Level.PROVINCE,
    K.DEPARTMENT: Level.PROVINCE,
    K.COMMUNE_COMMITTEE: Level.COMMUNE,
    K.COMMUNE_CENTRE: Level.COMMUNE,
    K.POLICE: Level.OTHER,
    K.OTHER: Level.OTHER,
}


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(tz()).date()


def day_start(day: dt.date) -> dt.datetime:
    """The instant a local day begins."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz())


@dataclass(frozen=True)
class Period:
    """Local days ``first`` to ``last`` inclusive."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period cannot end before it starts")

    @property
    def start(self) -> dt.datetime:
        return day_start(self.first)

    @property
    def end(self) -> dt.datetime:
        """The instant after the period (next day 00:00 local)."""
        return day_start(self.last + dt.timedelta(days=1))

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        """Where open dossiers are looked at: the period end, or now if that comes first."""
        return min(self.end, now)

    @classmethod
    def month_of(cls, day: dt.date) -> Period:
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return cls(first, following - dt.timedelta(days=1))

    @classmethod
    def year_of(cls, day: dt.date) -> Period:
        return cls(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))

    @classmethod
    def preset(cls, kind: str, year: int, number: int = 1) -> Period:
        """The evaluation periods of Decision 766: ``month`` ``number`` (1–12), ``quarter``
        1–4, ``half`` (the first 6 months), ``nine`` (the first 9 months), ``year``."""
        months = {"month": (number, 1), "quarter": (3 * number - 2, 3), "half": (1, 6)}
        months |= {"nine": (1, 9), "year": (1, 12)}
        if kind not in months or not 1 <= number <= (12 if kind == "month" else 4):
            raise ValueError(f"unknown period {kind} {number}")
        first_month, count = months[kind]
        first = dt.date(year, first_month, 1)
        return cls(first, _add_months(first, count) - dt.timedelta(days=1))

    def months(self) -> list[Period]:
        """The calendar months this period touches, each cut to the period."""
        found, start = [], self.first.replace(day=1)
        while start <= self.last:
            following = _add_months(start, 1)
            found.append(Period(max(start, self.first), min(following, self.end_day) - ONE_DAY))
            start = following
        return found

    @property
    def end_day(self) -> dt.date:
        return self.last + ONE_DAY


ONE_DAY = dt.timedelta(days=1)
PRESETS = ("month", "quarter", "half", "nine", "year")


def _add_months(day: dt.date, count: int) -> dt.date:
    month = day.month - 1 + count
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def agency_level(kind: str) -> str:
    return AGENCY_LEVEL.get(kind, Level.OTHER)


def level_of(levels: str, agency_kind: str) -> str:
    """The level a dossier counts at (see the module docstring)."""
    listed = [code for code in (levels or "").split(",") if code]
    own = agency_level(agency_kind)
    if own in listed or not listed:
        return own
    return listed[0]


def level_q(level: str, *, levels_field: str, kind_field: str) -> Q:
    """A filter for the rows whose :func:`level_of` is ``level``."""

    def kinds(lv: str) -> list[str]:
        return [kind for kind, value in AGENCY_LEVEL.items() if value == lv]

    own = Q(**{f"{kind_field}__in": kinds(level)}) & (
        Q(**{f"{levels_field}__contains": f",{level},"}) | Q(**{levels_field: ""})
    )
    first_listed = Q(pk__in=[])
    for other in Level.values:
        if other == level or not kinds(other):
            continue
        first_listed |= (
            Q(**{f"{kind_field}__in": kinds(other)})
            & Q(**{f"{levels_field}__startswith": f",{level},"})
            & ~Q(**{f"{levels_field}__contains": f",{other},"})
        )
    return own | first_listed
