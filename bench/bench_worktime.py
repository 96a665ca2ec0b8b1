"""Due-date throughput of the working-time engine on one core.

Builds the pure engine calendar from the ``holidays`` library (VN, 2020–2035; no database),
draws random receipts in 2021–2033 with mixed limits (working days, working hours, within the
day), and times the due-date computation through the datetime API (aware datetime in, aware
datetime out: what callers use) and through the integer-minute API (bulk work). Prints
figures only.

    python bench/bench_worktime.py [--count 1000000] [--seed 2026] [--repeat 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")  # not needed: no ORM here

from motcua.worktime.engine import Limit, LimitUnit  # noqa: E402
from motcua.worktime.library import library_calendar  # noqa: E402


def make_limits(rng: random.Random, count: int) -> list[Limit]:
    """A mix like the catalogue's: mostly working days, some hours, some within the day."""
    working_days = [Limit(n, LimitUnit.WORKING_DAYS) for n in range(1, 31)]
    working_hours = [Limit(n, LimitUnit.WORKING_HOURS) for n in range(1, 41)]
    within = [Limit(0, LimitUnit.WITHIN_DAY)]
    pools = rng.choices([working_days, working_hours, within], weights=[70, 20, 10], k=count)
    return [rng.choice(pool) for pool in pools]


def timed(label: str, function, receipts, limits, repeat: int) -> tuple[float, object]:
    best, last = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        results = [
            function(received, limit) for received, limit in zip(receipts, limits, strict=True)
        ]
        best = min(best, time.perf_counter() - start)
        last = results
    print(f"{label}: {len(receipts) / best:,.0f}")
    return best, last


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    calendar = library_calendar(2020, 2035)
    built = time.perf_counter() - start
    print(f"calendar: {calendar!r}, built in {built * 1000:.0f} ms (holidays + compilation)")

    rng = random.Random(args.seed)
    first = calendar.to_minute(dt.datetime(2021, 1, 1, tzinfo=calendar.tz))
    span = 13 * 365 * 1440
    minutes = [first + rng.randrange(span) for _ in range(args.count)]
    receipts = [calendar.from_minute(m) for m in minutes]
    limits = make_limits(rng, args.count)
    print(f"receipts: {args.count:,} (70% working days 1–30, 20% working hours 1–40, 10% within)")

    _, dues = timed("due dates per second", calendar.due, receipts, limits, args.repeat)
    _, due_minutes = timed(
        "due dates per second, integer-minute API", calendar.due_minute, minutes, limits, 1
    )
    sample = range(0, args.count, max(1, args.count // 1000))
    agree = all(calendar.to_minute(dues[i]) == due_minutes[i] for i in sample)
    print(f"datetime and integer paths agree on the sample: {agree}")


if __name__ == "__main__":
    main()
