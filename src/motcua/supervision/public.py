"""Public statistics (thống kê công khai, no login): per agency the dossiers received and
resolved this month and this year, the on-time, online and satisfaction rates, the Decision
766 total with what it measures, twelve months of figures for a bar chart, and the same as
open data.

Counts only: nothing personal is read. Eight queries whatever the number of dossiers: the
monthly sums of the aggregates, the index inputs of every agency for the year (four), the
agencies, the points (two).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from motcua.org.models import Agency
from motcua.supervision import index766, index_inputs, queries
from motcua.supervision.dimensions import Period, local_day
from motcua.supervision.index_inputs import Inputs

MONTHS = 12


@dataclass
class Figures:
    """Counts of one agency over one month or year."""

    received: int = 0
    online: int = 0
    resolved: int = 0
    in_time: int = 0  # resolved early or on time
    satisfied: int = 0  # ratings received, satisfied
    dissatisfied: int = 0  # ratings received, not satisfied

    def add(self, row: dict) -> None:
        self.received += row["received"]
        self.online += row["online"]
        self.resolved += row["ended"]
        self.in_time += row["in_time"]
        self.satisfied += row.get("satisfied", 0)
        self.dissatisfied += row.get("dissatisfied", 0)

    def merge(self, other: Figures) -> None:
        self.received += other.received
        self.online += other.online
        self.resolved += other.resolved
        self.in_time += other.in_time
        self.satisfied += other.satisfied
        self.dissatisfied += other.dissatisfied

    @property
    def rated(self) -> int:
        return self.satisfied + self.dissatisfied

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """Satisfied ratings ÷ ratings received (None without ratings)."""
        return _percent(self.satisfied, self.rated)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _percent(self.in_time, self.resolved)

    @property
    def online_rate(self) -> Decimal | None:
        return _percent(self.online, self.received)


def _percent(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal; None (shown as “—”) when there is nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class AgencyStats:
    agency: Agency
    months: dict[dt.date, Figures]  # first day of each of the last 12 months
    month: Figures
    year: Figures
    index: index766.IndexResult | None = None


@dataclass
class PublicStats:
    today: dt.date
    month_period: Period
    year_period: Period
    month_starts: list[dt.date]
    agencies: list[AgencyStats] = field(default_factory=list)

    def find(self, identifier: str) -> AgencyStats | None:
        return next((a for a in self.agencies if a.agency.identifier == identifier), None)

    def combined_months(self) -> dict[dt.date, Figures]:
        total = {m: Figures() for m in self.month_starts}
        for stats in self.agencies:
            for m, figures in stats.months.items():
                total[m].merge(figures)
        return total


def month_starts(today: dt.date, count: int = MONTHS) -> list[dt.date]:
    """First days of the ``count`` months ending with ``today``'s, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def collect(now: dt.datetime) -> PublicStats:
    """Every agency with dossiers in the last 12 months or open now (8 queries)."""
    today = local_day(now)
    starts = month_starts(today)
    year = Period(dt.date(today.year, 1, 1), today)  # the year so far
    result = PublicStats(today, Period.month_of(today), year, starts)
    rows = queries.monthly_sums(Q(), starts[0], today)
    inputs = index_inputs.for_where(Q(), Q(), Q(), year, now)
    ids = {r["agency_id"] for r in rows} | {pk for pk, i in inputs.items() if i.pending}
    agencies = Agency.objects.filter(pk__in=ids).order_by("name", "pk")
    stats = {a.pk: _empty(a, starts) for a in agencies}
    for row in rows:
        _place(stats[row["agency_id"]], row, today)
    table = index766.Table.load()
    for pk, s in stats.items():
        s.index = index766.score(inputs.get(pk, Inputs()), table, year)
    result.agencies = list(stats.values())
    return result


def _empty(agency: Agency, starts: list[dt.date]) -> AgencyStats:
    return AgencyStats(agency, {m: Figures() for m in starts}, Figures(), Figures())


def _place(stats: AgencyStats, row: dict, today: dt.date) -> None:
    month = row["month"]
    if isinstance(month, dt.datetime):  # TruncMonth of a date may come back as a datetime
        month = month.date()
    stats.months[month].add(row)
    if month.year == today.year:
        stats.year.add(row)
    if month == today.replace(day=1):
        stats.month.add(row)


# --- the bar chart -------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    value: int
    kind: str  # received / resolved


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    base: int  # y of the axis
    top: int  # the largest value, rounded up
    bars: tuple[Bar, ...]
    labels: tuple[tuple[int, str], ...]  # x, month label


def chart(months: dict[dt.date, Figures], *, width: int = 720, height: int = 260) -> Chart:
    """Pairs of bars (received, resolved) per month, scaled to the largest value."""
    left, bottom, top_pad = 40, 30, 16
    plot = height - bottom - top_pad
    top = max([1, *(max(f.received, f.resolved) for f in months.values())])
    slot = (width - left) // max(len(months), 1)
    bar_w = max(slot // 3, 2)
    bars, labels = [], []
    base = height - bottom
    for i, (month, figures) in enumerate(sorted(months.items())):
        x = left + i * slot + slot // 6
        for j, (kind, value) in enumerate(
            (("received", figures.received), ("resolved", figures.resolved))
        ):
            h = round(plot * value / top)
            bars.append(Bar(x + j * bar_w, base - h, bar_w, h, value, kind))
        labels.append((x + bar_w, f"{month.month:02d}/{month.year % 100:02d}"))
    return Chart(width, height, base, top, tuple(bars), tuple(labels))
