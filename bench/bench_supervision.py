"""Latency of the period report (Biểu 06) and of the Decision 766 index, province-wide.

On the bench database (``motcua_bench``; the data set of ``generate_dossiers.py`` is reused
when present, else 100,000 dossiers are generated), for the province (the common ancestor of
the agencies that receive dossiers, with every agency below it) and a one-year range (the
365 days ending today, so the open dossiers are counted at now):

* ``report.build(…, group_by="field")``: aggregate sums + dossiers open at the cutoff + labels;
* ``index766.compute(…)``: the index inputs (aggregate sums, online procedures, open
  dossiers, offerings) and the points table.

Each is called ``--iterations`` times after a warm-up; prints p50/p95/p99 and the ratio to the
figures of another size measured before (kept in ``var/bench/supervision.json``). With
``--past-year`` it also times the previous calendar year once per call ``--past-iterations``
times: a cutoff in the past counts the dossiers open then from the dossier table.

If the aggregates do not cover every dossier (a freshly generated data set), ``motcua
rebuild-stats`` runs first, timed, with progress; month-end snapshots missing are written
(``motcua snapshot-stats --all``, timed) unless ``--no-snapshots``, so that a past year
reads the snapshot of 31 December. A database named with ``--db-url`` other
than the default is never generated nor dropped (``--keep`` is implied): it must hold a
finished data set. Prints figures only. Goal: p95 ≤ 100 ms, and ≤ 1.5× the 100,000 figure.

    python bench/bench_supervision.py [--count N] [--iterations 50] [--db-url URL] [--keep]
                                      [--batch 20000] [--past-year] [--no-snapshots]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_dossiers as gen  # noqa: E402
from bench_intake import percentiles  # noqa: E402
from meters import _cpu_seconds  # noqa: E402

GOAL_P95_MS = 100.0
GOAL_RATIO = 1.5
RESULTS = gen.ROOT / "var" / "bench" / "supervision.json"


def ensure_stats(batch: int) -> float | None:
    """Run ``rebuild-stats`` when some dossier has no watermark; returns its seconds."""
    from django.core.management import call_command

    from motcua.dossiers.models import Dossier
    from motcua.supervision.models import StatCursor

    dossiers, marks = Dossier.objects.count(), StatCursor.objects.count()
    if marks >= dossiers:
        print(f"aggregates: cover {marks:,} of {dossiers:,} dossiers, no rebuild needed")
        return None
    print(f"aggregates: cover {marks:,} of {dossiers:,} dossiers → motcua rebuild-stats")
    start = time.perf_counter()
    # the month-end snapshots are written (and timed) apart: ensure_snapshots
    call_command("rebuild_stats", batch=batch, no_snapshots=True, stdout=sys.stdout)
    seconds = time.perf_counter() - start
    print(f"rebuild-stats: {seconds:.1f} s ({dossiers / seconds:,.0f} dossiers/s)")
    return seconds


def ensure_snapshots() -> float | None:
    """Write the month-end snapshots missing (``snapshot-stats --all``); returns seconds."""
    from django.core.management import call_command
    from django.utils import timezone

    from motcua.supervision import snapshots
    from motcua.supervision.models import MonthSnapshot

    have = set(MonthSnapshot.objects.values_list("month_end", flat=True))
    missing = [d for d in snapshots.months_to_take(timezone.now(), every=True) if d not in have]
    if not missing:
        print(f"month-end snapshots: all {len(have)} there")
        return None
    start = time.perf_counter()
    call_command("snapshot_stats", all=True, verbosity=0, stdout=sys.stdout)
    seconds = time.perf_counter() - start
    print(
        f"snapshot-stats --all: {len(missing)} months in {seconds:.1f} s "
        f"({seconds / len(missing):.2f} s a month)"
    )
    return seconds


def province():
    """The common ancestor of the agencies that receive dossiers (the province)."""
    from motcua.dossiers.models import Dossier
    from motcua.org.models import Agency

    ids = Dossier.objects.values_list("receiving_agency_id", flat=True).distinct()
    paths = [a.path for a in Agency.objects.filter(pk__in=list(ids[:200]))]
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common[: common.rstrip("/").rfind("/") + 1] if "/" in common else ""
    candidates = Agency.objects.filter(path__in=[common, common.rstrip("/")])
    chosen = candidates.order_by("path").first()
    if chosen is None:  # no common ancestor row: the first receiving agency alone
        chosen = Agency.objects.get(pk=ids[0])
    return chosen, len(paths)


def _backend_cpu() -> float:
    """CPU seconds of this process's PostgreSQL backend (Linux /proc; 10 ms resolution)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return _cpu_seconds(cursor.fetchone()[0])


def timed(call, iterations: int) -> dict:
    """Wall-clock percentiles, and the CPU per call (Python + PostgreSQL): what a call costs
    on a quiet machine, whatever else runs beside the benchmark."""
    for _ in range(3):  # warm-up: connection, catalogue, calendars
        call()
    seconds, python_cpu, database_before = [], 0.0, _backend_cpu()
    for _ in range(iterations):
        start, cpu = time.perf_counter(), time.thread_time()
        call()
        python_cpu += time.thread_time() - cpu
        seconds.append(time.perf_counter() - start)
    database_cpu = _backend_cpu() - database_before
    figures = percentiles(seconds)
    figures["cpu_ms"] = (python_cpu + database_cpu) / iterations * 1000
    figures["database_cpu_ms"] = database_cpu / iterations * 1000
    return figures


def fmt(f: dict) -> str:
    return (
        f"p50 {f['p50']:.1f} ms, p95 {f['p95']:.1f} ms, p99 {f['p99']:.1f} ms, "
        f"max {f['max']:.1f} ms; CPU per call {f['cpu_ms']:.1f} ms "
        f"(PostgreSQL {f['database_cpu_ms']:.1f})"
    )


def measure(args) -> dict:
    from django.db import connection
    from django.utils import timezone

    from motcua.dossiers.models import Dossier
    from motcua.supervision import index766, report
    from motcua.supervision.dimensions import Period, local_day
    from motcua.supervision.models import DailyStat
    from motcua.supervision.queries import Selection

    # rebuild-stats adds to each aggregate row once per batch of dossiers (500 versions of a
    # row at 10M), and autovacuum may be off (CI servers): compact the table to the rows it
    # holds, as a live system's autovacuum keeps it, so the figures measure queries, not bloat.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (FULL, ANALYZE) supervision_dailystat")
    size = Dossier.objects.count()
    agency, receiving = province()
    selection = Selection(agency, subordinates=True)
    now = timezone.now()
    today = local_day(now)
    year = Period(today - dt.timedelta(days=364), today)
    rows = DailyStat.objects.filter(selection.stat_q(), day__lte=year.last).count()
    print(
        f"scope: {agency.name} ({agency.identifier}) and the agencies below it "
        f"({receiving} receiving dossiers); period {year.first} – {year.last}; "
        f"{rows:,} daily aggregate rows read up to the period end"
    )
    built = report.build(selection, year, now=now)
    index = index766.compute(selection, year, now=now)
    print(
        f"report: {len(built.sections)} levels, received {built.total.received:,}, resolved "
        f"{built.total.resolved:,}, pending {built.total.pending:,}; index total "
        f"{index.total} of {index.measured_max} measured"
    )
    result = {"dossiers": size, "measured_at": time.strftime("%Y-%m-%d %H:%M")}
    result["load"] = gen.machine_note()
    calls = {
        "report": lambda: report.build(selection, year, now=now),
        "index766": lambda: index766.compute(selection, year, now=now),
    }
    for name, call in calls.items():
        figures = timed(call, args.iterations)
        result[name] = figures
        verdict = "ok" if figures["p95"] <= GOAL_P95_MS else "MISSED"
        goal = f"goal p95 ≤ {GOAL_P95_MS:.0f} ms: {verdict}"
        print(f"{name}, {args.iterations} calls: {fmt(figures)} ({goal})")
    if args.past_year:
        past = Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
        frozen = report.build(selection, past, now=now).frozen_at
        print(
            f"previous year {past.first} – {past.last}: open dossiers at its end "
            + (f"from the snapshot taken {frozen:%Y-%m-%d %H:%M}" if frozen else "counted live")
        )
        for name, call in {
            "report, previous calendar year": lambda: report.build(selection, past, now=now),
            "index766, previous calendar year": lambda: index766.compute(selection, past, now=now),
        }.items():
            figures = timed(call, args.past_iterations)
            result[name] = figures
            print(f"{name} (cutoff in the past), {args.past_iterations} calls: {fmt(figures)}")
    return result


def load_results() -> dict:
    try:
        return json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(result: dict) -> None:
    results = load_results()
    results[str(result["dossiers"])] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True), encoding="utf-8")


def print_ratios(current: dict) -> None:
    for other_size, other in sorted((int(k), v) for k, v in load_results().items()):
        if other_size == current["dossiers"]:
            continue
        small, large = (other, current) if other_size < current["dossiers"] else (current, other)
        factor = large["dossiers"] / small["dossiers"]
        for name in ("report", "index766"):
            ratio = large[name]["p95"] / small[name]["p95"]
            verdict = "ok" if ratio <= GOAL_RATIO else "MISSED"
            cpu = ""
            if "cpu_ms" in large[name] and "cpu_ms" in small[name]:
                cpu = f", CPU per call {large[name]['cpu_ms'] / small[name]['cpu_ms']:.2f}×"
            print(
                f"ratio {large['dossiers']:,} / {small['dossiers']:,} dossiers ({factor:.0f}×), "
                f"{name}: p50 {large[name]['p50'] / small[name]['p50']:.2f}×, p95 {ratio:.2f}× "
                f"(goal ≤ {GOAL_RATIO}×: {verdict}){cpu}; other size measured "
                f"{other.get('measured_at', '?')}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=None, help="data set size (default: reuse)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--past-year", action="store_true", help="also the previous year")
    parser.add_argument("--past-iterations", type=int, default=5)
    parser.add_argument("--batch", type=int, default=20_000, help="rebuild-stats batch")
    parser.add_argument(
        "--no-snapshots", action="store_true", help="do not write missing month-end snapshots"
    )
    parser.add_argument("--db-url", default=gen.PG_URL)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)
    own = args.db_url == gen.PG_URL
    started = time.perf_counter()
    try:
        if own:
            created = gen.ensure_database(args.db_url)
            print(f"database: {gen.database_name(args.db_url)}{' (created)' if created else ''}")
        elif gen.dataset_info(args.db_url) is None:
            print(f"{gen.database_name(args.db_url)} holds no finished data set: not measured")
            return 1
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL is not reachable at {args.db_url}: {exc}")
        return 1
    print(gen.machine_note())
    try:
        if own:
            gen.ensure_dataset(args.db_url, args.count, args.seed)
        else:
            gen.setup_django(args.db_url)
            info = gen.dataset_info(args.db_url)
            print(f"data set: {gen.database_name(args.db_url)} ({info['count']:,} dossiers)")
        ensure_stats(args.batch)
        if not args.no_snapshots:
            ensure_snapshots()
        current = measure(args)
        save(current)
        print_ratios(current)
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if own and not args.keep:
            gen.drop_database(args.db_url)
            print(f"dropped {gen.database_name(args.db_url)} (--keep keeps it)")
        print(f"total bench time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
