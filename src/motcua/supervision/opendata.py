"""The public statistics as open data: CSV and JSON (schema in docs/supervision.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from motcua.supervision.public import AgencyStats, Figures, PublicStats

SCHEMA = "motcua.public-stats/2"
CSV_COLUMNS = (
    "agency_identifier",
    "agency_name",
    "period_type",
    "period",
    "received",
    "received_online",
    "resolved",
    "resolved_in_time",
    "on_time_rate",
    "online_rate",
    "rated",
    "rated_satisfied",
    "satisfaction_rate",
    "index766_score",
    "index766_measured_max",
)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def figures(f: Figures) -> dict:
    return {
        "received": f.received,
        "received_online": f.online,
        "resolved": f.resolved,
        "resolved_in_time": f.in_time,
        "on_time_rate": _number(f.on_time_rate),
        "online_rate": _number(f.online_rate),
        "rated": f.rated,
        "rated_satisfied": f.satisfied,
        "satisfaction_rate": _number(f.satisfaction_rate),
    }


def index_of(stats: AgencyStats) -> dict:
    index = stats.index
    return {
        "period": str(index.period.first.year),
        "score": _number(index.total),
        "measured_max": _number(index.measured_max),
        "max": _number(index.max_points),
        "indicators": [
            {
                "code": s.code,
                "status": s.status,
                "rate": _number(s.rate),
                "points": _number(s.score),
                "max_points": _number(s.points),
            }
            for s in index.measured
        ],
    }


def as_json(data: PublicStats, generated_at: dt.datetime) -> dict:
    return {
        "schema": SCHEMA,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "time_zone": "Asia/Ho_Chi_Minh",
        "month": f"{data.month_period.first:%Y-%m}",
        "year": data.year_period.first.year,
        "agencies": [
            {
                "identifier": s.agency.identifier,
                "name": s.agency.name,
                "month": figures(s.month),
                "year": figures(s.year),
                "index766": index_of(s),
                "monthly": [
                    {"month": f"{m:%Y-%m}", **figures(f)} for m, f in sorted(s.months.items())
                ],
            }
            for s in data.agencies
        ],
    }


def as_csv(data: PublicStats) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in data.agencies:
        head = (s.agency.identifier, s.agency.name)
        for month, f in sorted(s.months.items()):
            writer.writerow((*head, "month", f"{month:%Y-%m}", *_cells(f), "", ""))
        index = s.index
        writer.writerow(
            (
                *head,
                "year",
                str(data.year_period.first.year),
                *_cells(s.year),
                index.total,
                index.measured_max,
            )
        )
    return out.getvalue()


def _cells(f: Figures) -> tuple:
    def text(value):
        return "" if value is None else str(value)

    return (
        f.received,
        f.online,
        f.resolved,
        f.in_time,
        text(f.on_time_rate),
        text(f.online_rate),
        f.rated,
        f.satisfied,
        text(f.satisfaction_rate),
    )
