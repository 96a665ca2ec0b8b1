"""Realistic dossiers for the benchmarks, bulk-loaded into PostgreSQL with COPY.

Fills a dedicated database (``motcua_bench`` unless ``--db-url`` says otherwise; created when
missing) with ``--count`` dossiers over the demo organisation and the starter catalogue
(``migrate``, ``import-divisions``, ``demo-org`` and ``demo-catalogue`` run first when needed;
extra synthetic officers are added so that every unit of every workflow has staff).

Each dossier lives a simulated life up to now: intake on a working day inside working hours
over the last two years (counter 60 %, online 30 %, postal 10 %); receipt with its code
(``<agency>-<YYMMDD>-<NNNN>``, per agency and receipt day, numbered in receipt order) and due
date from the working-time engine's integer API; transfer, the workflow's steps (step
instances with their own due dates), supplement requests with pauses, apologies, send-backs,
rejections, withdrawals, the result, its return and the archive. The event log holds every
action with the state before and after, the actor, the step and a payload shaped like the
handlers' (so the supervision work can rebuild statistics from it); event ids follow time.
Applicants are synthetic: names drawn from short lists, CCCD numbers of valid form (province,
century/sex digit, year of birth), phone numbers of random digits, e-mail at example.com.

Loading: one transaction that truncates the dossier tables, drops their secondary indexes,
streams rows with ``COPY … FREEZE`` from a second thread while this one simulates, skips the
foreign-key triggers (``session_replication_role = replica``; the generator writes consistent
keys, ``--verify`` checks them), rebuilds the indexes, sets the daily sequences and the id
sequences, and commits; then ``ANALYZE``. A failure rolls everything back.

Reuse: the database comment records what was generated (count, seed); a run asking for the
same count and seed reuses it unless ``--force``. The database is dropped at the end unless
``--keep`` (the benchmarks reuse a kept one). Bulk-loaded events bypass the in-transaction
event subscribers (notification outbox, supervision aggregates): ``--rebuild-stats`` runs
``motcua rebuild-stats`` afterwards.

    python bench/generate_dossiers.py [--count 1000000] [--seed 2026] [--db-url URL]
                                      [--batch 20000] [--force] [--verify] [--rebuild-stats]
                                      [--keep]
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling modules

from bench_db import (  # noqa: E402,F401 — the benchmarks use these through this module
    MARKER,
    PG_URL,
    ROOT,
    admin_connection,
    connection_url,
    database_name,
    dataset_info,
    drop_database,
    ensure_database,
    machine_note,
    prepare,
    record_info,
    setup_django,
)
from bulk_load import TABLES, Loader, begin_load, finish_load  # noqa: E402
from dataset_checks import summary, verify  # noqa: E402
from dossier_sim import Simulator  # noqa: E402
from dossier_world import (  # noqa: E402
    AGENCY_SHARES,
    CHANNEL_SHARES,
    INTAKE,
    _cumulative,
    build_world,
    intake_days,
)

DEFAULT_COUNT = 1_000_000
BUFFER_TABLES = {
    "dossiers": "dossiers_dossier",
    "steps": "dossiers_stepinstance",
    "pauses": "dossiers_pause",
    "components": "dossiers_receivedcomponent",
}


class Draws:
    """The weighted draws of intake: agency, channel, minute of the working day (mornings weigh
    more), offering and outcome; all from one seeded generator, in a fixed order."""

    def __init__(self, world, windows, rng: random.Random) -> None:
        self.world = world
        self.r = rng.random
        weights = [AGENCY_SHARES[i] if i < len(AGENCY_SHARES) else 50 for i in range(len(world))]
        self.agency_cum, self.agency_total = _cumulative(weights)
        self.channel_cum, self.channel_total = _cumulative(w for _c, w in CHANNEL_SHARES)
        self.channels = [c for c, _w in CHANNEL_SHARES]
        self.minutes, minute_weights = [], []
        for n, (s, e) in enumerate(windows):
            for m in range(s, e):
                self.minutes.append(m)
                minute_weights.append(1.3 if n == 0 else 1.0)
        self.minute_cum, self.minute_total = _cumulative(minute_weights)

    def minutes_of_day(self, n: int, limit_minute: int | None) -> list[int]:
        """``n`` intake minutes of one day, sorted; none after ``limit_minute`` (today)."""
        r, minutes = self.r, self.minutes
        picks = []
        for _ in range(n):
            m = minutes[bisect.bisect(self.minute_cum, r() * self.minute_total)]
            if limit_minute is not None and m >= limit_minute:
                m = minutes[int(r() * max(1, bisect.bisect(minutes, limit_minute - 1)))]
            picks.append(m)
        picks.sort()
        return picks

    def intake(self):
        """(agency, offering, channel) of the next dossier."""
        r = self.r
        a = self.world[bisect.bisect(self.agency_cum, r() * self.agency_total)]
        channel = self.channels[bisect.bisect(self.channel_cum, r() * self.channel_total)]
        cum, able = a.by_channel[channel]
        if not able:
            channel = "counter"
            cum, able = a.by_channel[channel]
        o = able[bisect.bisect(cum, r() * cum[-1])]
        return a, o, channel


def _outcome(draws: Draws, sim, channel: str, t0: int) -> str:
    r = draws.r
    p_receive, p_complete = INTAKE[channel]
    y = r()
    if y < p_receive:
        if channel == "online" and sim.now - t0 < 240 and r() < 0.5:
            return "pending"  # not yet looked at by the reception officer
        return "receive"
    return "completion" if y < p_receive + p_complete else "refuse"


def _simulate(sim, draws, days, per_day, local_now, loader, count, batch, started, out) -> int:
    """Every dossier's life, day by day, streamed to the loader in batches."""
    buffers = {k: [] for k in BUFFER_TABLES}
    did = 0
    report_every = max(batch, count // 10)
    next_report = report_every
    pending_events: list[str] = []
    for day, n in zip(days, per_day, strict=True):
        if not n:
            continue
        base = day.toordinal() - dt.date(1970, 1, 1).toordinal()
        limit_minute = None
        if day == local_now.date():
            limit_minute = local_now.hour * 60 + local_now.minute
        for m in draws.minutes_of_day(n, limit_minute):
            did += 1
            a, o, channel = draws.intake()
            t0 = base * 1440 + m - sim.off
            sim.dossier(did, t0, a, o, channel, _outcome(draws, sim, channel, t0), buffers)
            if len(buffers["dossiers"]) >= batch:
                for key, lines in buffers.items():
                    loader.put(BUFFER_TABLES[key], lines)
                    buffers[key] = []
            if did >= next_report:
                next_report += report_every
                elapsed = time.perf_counter() - started
                out(
                    f"  {did:,} / {count:,} dossiers, {sim.counts['events']:,} events, "
                    f"{elapsed:.0f} s, {did / elapsed:,.0f} dossiers/s"
                )
        # Events more than three days old are final: no later intake can precede them.
        pending_events += sim.flush_events(base - 3)
        if len(pending_events) >= batch * 8:
            loader.put("dossiers_dossierevent", pending_events)
            pending_events = []
    for key, lines in buffers.items():
        loader.put(BUFFER_TABLES[key], lines)
    pending_events += sim.flush_events(None)
    loader.put("dossiers_dossierevent", pending_events)
    sequences = [
        f"{i}\t{(dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()}\t{last}\t{agency}\n"
        for i, ((agency, day), last) in enumerate(sorted(sim.sequences.items()), 1)
    ]
    loader.put("dossiers_dailysequence", sequences)
    return did


def _report_copy(loader, seconds: float, out) -> None:
    out(
        f"copied {sum(loader.rows.values()):,} rows in {seconds:.1f} s: "
        + ", ".join(f"{t.removeprefix('dossiers_')} {n:,}" for t, n in loader.rows.items())
    )
    out(
        f"  COPY busy {sum(loader.busy.values()):.1f} s ("
        + ", ".join(f"{t.removeprefix('dossiers_')} {n:.1f}" for t, n in loader.busy.items())
        + f"); the generator waited {loader.blocked:.1f} s for the COPY thread"
    )


def generate(
    url: str, count: int, seed: int, *, batch: int = 20_000, out=print, check: bool = False
) -> dict:
    """Replace the dossiers of the database at ``url`` by ``count`` generated ones."""
    import psycopg
    from django.utils import timezone

    rng = random.Random(seed)
    world = build_world(rng)
    if not world:
        raise RuntimeError("no agency offers a procedure with an internal workflow")
    now = timezone.now()
    sim = Simulator(world, seed, world[0].cal.to_minute(now))
    days, per_day, windows, local_now = intake_days(world, count, rng, now)
    out(
        f"world: {len(world)} agencies ({', '.join(a.identifier for a in world)}), "
        f"{sum(len(a.offerings) for a in world)} offerings; {len(days)} working days from "
        f"{days[0]} to {days[-1]}; now {local_now:%Y-%m-%d %H:%M}"
    )
    draws = Draws(world, windows, rng)
    conn = psycopg.connect(url, autocommit=False)
    timings = {}
    started = time.perf_counter()
    indexes, replica = begin_load(conn, out)
    loader = Loader(conn)
    out(
        f"generating {count:,} dossiers (seed {seed}, batches of {batch:,}); "
        f"{len(indexes)} secondary indexes dropped for the load"
    )
    try:
        _simulate(sim, draws, days, per_day, local_now, loader, count, batch, started, out)
        loader.close()
        timings["generate and copy"] = time.perf_counter() - started
        _report_copy(loader, timings["generate and copy"], out)
        timings["indexes"] = finish_load(conn, indexes, replica, out)
        conn.commit()
    except BaseException:
        loader.queue.put(None)
        with contextlib.suppress(psycopg.Error):  # the connection may be gone (database dropped)
            conn.rollback()
        conn.close()
        raise
    conn.autocommit = True
    start = time.perf_counter()
    with conn.cursor() as cur:
        for table in TABLES:
            cur.execute(f"ANALYZE {table}")
    timings["analyze"] = time.perf_counter() - start
    total = time.perf_counter() - started
    rows = sum(loader.rows.values())
    out(f"analyze: {timings['analyze']:.1f} s")
    out(
        f"generation: {count:,} dossiers, {rows:,} rows in {total:.1f} s: "
        f"{count / total:,.0f} dossiers/s, {rows / total:,.0f} rows/s "
        f"(goal: 1,000,000 dossiers ≤ 300 s)"
    )
    summary(conn, out)
    if check:
        start = time.perf_counter()
        out("verification:")
        failures = verify(conn, out)
        out(f"  {failures} failing checks ({time.perf_counter() - start:.1f} s)")
    info = {
        "count": count,
        "seed": seed,
        "generated_at": now.isoformat(timespec="seconds"),
        "rows": rows,
        "seconds": round(total, 1),
    }
    conn.close()
    with admin_connection(url) as admin:
        record_info(admin, url, info)
    return {**info, "timings": timings, "rows_by_table": loader.rows}


def delete_dossiers(conn, where: str, params=()) -> int:
    """Delete the dossiers matching ``where`` with everything that points at them (rows of
    other apps too, e.g. notification outbox messages); returns how many. One transaction."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            f"CREATE TEMP TABLE bench_gone ON COMMIT DROP AS "
            f"SELECT id FROM dossiers_dossier WHERE {where}",
            params,
        )
        cur.execute("SELECT count(*) FROM bench_gone")
        count = cur.fetchone()[0]
        if not count:
            return 0
        owned = {t: "dossier_id" for t in TABLES if t not in ("dossiers_dossier",)}
        owned["dossiers_dossier"] = "id"
        cur.execute(
            """
            SELECT t.relname, a.attname, rt.relname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_class rt ON rt.oid = c.confrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND rt.relname = ANY(%s) AND NOT t.relname = ANY(%s)
            """,
            [list(owned), list(TABLES)],
        )
        for table, column, target in cur.fetchall():
            cur.execute(
                f'DELETE FROM "{table}" WHERE "{column}" IN (SELECT id FROM "{target}" '
                f'WHERE "{owned[target]}" IN (SELECT id FROM bench_gone))'
            )
        cur.execute(
            "UPDATE dossiers_dossier SET current_step_id = NULL "
            "WHERE id IN (SELECT id FROM bench_gone)"
        )
        for table in (
            "dossiers_dossierevent",
            "dossiers_receivedcomponent",
            "dossiers_pause",
            "dossiers_stepinstance",
        ):
            cur.execute(f"DELETE FROM {table} WHERE dossier_id IN (SELECT id FROM bench_gone)")
        cur.execute("DELETE FROM dossiers_dossier WHERE id IN (SELECT id FROM bench_gone)")
    return count


def rebuild_stats(run: bool, out=print) -> None:
    """The bulk load bypasses the in-transaction event subscribers (notifications, supervision
    aggregates): derived tables must be rebuilt from the event log."""
    from django.core.management import call_command, get_commands

    if "rebuild_stats" not in get_commands():
        return
    if not run:
        out("note: supervision aggregates do not include the generated events; run "
            "`motcua rebuild-stats` (or this script with --rebuild-stats)")  # fmt: skip
        return
    start = time.perf_counter()
    call_command("rebuild_stats", verbosity=0, stdout=sys.stdout)
    out(f"rebuild-stats: {time.perf_counter() - start:.1f} s")


def dossier_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        return cursor.fetchone()[0]


def ensure_dataset(
    url: str = PG_URL,
    count: int | None = None,
    seed: int = 2026,
    *,
    default: int = 100_000,
    force: bool = False,
    batch: int = 20_000,
    check: bool = False,
    out=print,
) -> dict:
    """Make sure ``url`` holds a generated data set and Django points at it.

    ``count`` None: whatever data set is there (``default`` dossiers when there is none);
    otherwise exactly ``count`` (regenerated when different). Returns the recorded info.
    """
    created = ensure_database(url)
    setup_django(url)
    info = None if created else dataset_info(url)
    wanted = count if count is not None else (info or {}).get("count", default)
    if (
        info
        and not force
        and info.get("count") == wanted
        and (count is None or info.get("seed") == seed)
        and dossier_count() >= wanted
    ):
        out(
            f"data set: reusing {database_name(url)} ({info['count']:,} dossiers, seed "
            f"{info['seed']}, generated {info.get('generated_at', '?')})"
        )
        prepare(out)  # migrations that arrived since, demo accounts
        return info
    prepare(out)
    return generate(url, wanted, seed, batch=batch, out=out, check=check)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db-url", default=PG_URL, help=f"PostgreSQL database (default {PG_URL})")
    parser.add_argument("--batch", type=int, default=20_000, help="dossiers per COPY batch")
    parser.add_argument("--force", action="store_true", help="regenerate even if it matches")
    parser.add_argument("--verify", action="store_true", help="check keys, codes and events")
    parser.add_argument(
        "--rebuild-stats",
        action="store_true",
        help="then run `motcua rebuild-stats` (supervision aggregates), if the command exists",
    )
    parser.add_argument(
        "--keep", action="store_true", help="leave the database in place (default: drop it)"
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be positive")
    try:
        created = ensure_database(args.db_url)
    except Exception as exc:  # noqa: BLE001 — report and stop, as a benchmark does
        print(f"PostgreSQL is not reachable at {args.db_url}: {exc}")
        print("start it with scripts/ensure-postgres.sh")
        raise SystemExit(1) from exc
    print(f"database: {database_name(args.db_url)}{' (created)' if created else ''}")
    print(machine_note())
    try:
        info = ensure_dataset(
            args.db_url,
            args.count,
            args.seed,
            force=args.force,
            batch=args.batch,
            check=args.verify,
        )
        rebuild_stats(args.rebuild_stats)
        if args.verify and "timings" not in info:
            import psycopg

            with psycopg.connect(args.db_url, autocommit=True) as conn:
                summary(conn)
                print("verification:")
                print(f"  {verify(conn)} failing checks")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.db_url)
            print(f"dropped {database_name(args.db_url)} (--keep leaves it for the benchmarks)")


if __name__ == "__main__":
    main()
