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
import json
import os
import queue
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # its dossier_world / dossier_sim

PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"
DEFAULT_COUNT = 1_000_000
MARKER = "motcua-bench-dossiers"
TABLES = (
    "dossiers_dossier",
    "dossiers_stepinstance",
    "dossiers_dossierevent",
    "dossiers_pause",
    "dossiers_receivedcomponent",
    "dossiers_dailysequence",
)

# --- Database and Django set-up (shared with the benchmarks) ---------------------------------


def machine_note() -> str:
    """Cores and load: other processes on the machine skew every figure."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"machine: {os.cpu_count()} cores, load average {load} (1, 5, 15 min) at start"


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_connection(url: str):
    """An autocommit connection to the server's ``postgres`` database."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5
    )


def ensure_database(url: str) -> bool:
    """Create the database of ``url`` if it does not exist; True when it was created."""
    from psycopg import sql

    name = database_name(url)
    with admin_connection(url) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def drop_database(url: str) -> None:
    from psycopg import sql

    with admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database_name(url))
            )
        )


def dataset_info(url: str) -> dict | None:
    """What the generator recorded in the database comment, or None."""
    with admin_connection(url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [database_name(url)],
        ).fetchone()
    if not row or not row[0]:
        return None
    try:
        info = json.loads(row[0])
    except ValueError:
        return None
    return info if isinstance(info, dict) and info.get("marker") == MARKER else None


def _record_info(conn, url: str, info: dict | None) -> None:
    from psycopg import sql

    text = json.dumps({"marker": MARKER, **info}) if info else None
    conn.execute(
        sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(database_name(url)), sql.Literal(text)
        )
    )


def setup_django(url: str) -> None:
    """Point Django at ``url`` (development settings, no debug query log) and set it up."""
    done = getattr(setup_django, "url", None)
    if done is not None:
        if done != url:
            raise RuntimeError(f"Django is already set up on {done}, not {url}")
        return
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    os.environ["MOTCUA_ENV"] = "development"  # the demo commands refuse production
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    setup_django.url = url


def connection_url() -> str:
    """The URL of Django's default database (for the psycopg loading connection)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += ":" + db["PASSWORD"]
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth + '@' if auth else ''}{host}:{port}/{db['NAME']}"


def prepare(out=print) -> None:
    """Schema, administrative divisions, demo organisation and starter catalogue."""
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command

    from motcua.catalog.models import Offering
    from motcua.org.models import Division

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    done = ["migrate"]
    if not Division.objects.exists():
        call_command("import_divisions", stdout=StringIO(), stderr=StringIO())
        done.append("import-divisions")
    call_command("demo_org", password=settings.DEMO_PASSWORD, stdout=StringIO())
    done.append("demo-org")
    if not Offering.objects.filter(workflow__isnull=False).exists():
        call_command("demo_catalogue", stdout=StringIO())
        done.append("demo-catalogue")
    out(f"set-up: {', '.join(done)} in {time.perf_counter() - start:.1f} s")


# --- Synthetic people ------------------------------------------------------------------------


from dossier_sim import Simulator  # noqa: E402
from dossier_world import (  # noqa: E402
    AGENCY_SHARES,
    CHANNEL_SHARES,
    INTAKE,
    OPEN,
    _cumulative,
    build_world,
    intake_days,
)

COLUMNS = {
    "dossiers_dossier": (
        "id, code, reference, idempotency_key, version, channel, applicant_kind, applicant_name, "
        "applicant_id_number, applicant_birth_date, applicant_phone, applicant_email, "
        "applicant_address, representative_name, representative_id_number, "
        "representative_phone, result_delivery, sets, fee_status, fee_amount, limit_value, "
        "limit_unit, submitted_at, received_at, due_at, original_due_at, state, apologised, "
        "supplement_requests, late_by_rule, result_count, result_code, decided_at, finished_at, "
        "timeliness, returned_at, returned_to, return_method, updated_at, assignee_id, case_id, "
        "competent_agency_id, counter_id, created_by_id, current_agency_id, current_unit_id, "
        "offering_id, procedure_version_id, receiving_agency_id, receiving_unit_id, signer_id, "
        "current_step_id"
    ),
    "dossiers_stepinstance": (
        'id, "order", name, role, started_at, due_at, finished_at, timeliness, assignee_id, '
        "dossier_id, owner_agency_id, owner_unit_id"
    ),
    "dossiers_dossierevent": (
        "id, seq, at, actor_name, action, from_state, to_state, reason, payload, actor_id, "
        "dossier_id, step_id"
    ),
    "dossiers_pause": "id, kind, started_at, ended_at, reason, dossier_id",
    "dossiers_receivedcomponent": "id, name, originals, copies, dossier_id, spec_id",
    "dossiers_dailysequence": "id, day, last, agency_id",
}


class Loader:
    """Streams COPY data from a queue on its own thread (one connection, one transaction)."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.queue: queue.Queue = queue.Queue(maxsize=6)
        self.error: BaseException | None = None
        self.rows = dict.fromkeys(COLUMNS, 0)
        self.busy = dict.fromkeys(COLUMNS, 0.0)  # seconds inside COPY, per table
        self.blocked = 0.0  # seconds the producer waited for room in the queue
        self.thread = threading.Thread(target=self._run, name="copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            with self.conn.cursor() as cur:
                while True:
                    item = self.queue.get()
                    if item is None:
                        return
                    table, data, count = item
                    start = time.perf_counter()
                    statement = f"COPY {table} ({COLUMNS[table]}) FROM STDIN WITH (FREEZE)"
                    with cur.copy(statement) as copy:
                        copy.write(data)
                    self.busy[table] += time.perf_counter() - start
                    self.rows[table] += count
        except BaseException as exc:  # reported by put()/close() on the main thread
            self.error = exc
            while self.queue.get() is not None:  # keep the producer from blocking
                pass

    def put(self, table: str, lines: list[str]) -> None:
        if self.error:
            raise RuntimeError(f"COPY into {table} failed") from self.error
        if lines:
            data = "".join(lines).encode()
            start = time.perf_counter()
            self.queue.put((table, data, len(lines)))
            self.blocked += time.perf_counter() - start

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error:
            raise RuntimeError("COPY failed") from self.error


def _secondary_indexes(cur, tables) -> list[tuple[str, str, str, str | None]]:
    """(table, index, CREATE statement, constraint name or None) of the non-primary indexes."""
    cur.execute(
        """
        SELECT t.relname, i.relname, pg_get_indexdef(i.oid), c.conname,
               pg_get_constraintdef(c.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
        LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.contype IN ('u', 'x')
        WHERE t.relname = ANY(%s) AND NOT x.indisprimary
        ORDER BY t.relname, i.relname
        """,
        [list(tables)],
    )
    result = []
    for table, index, definition, constraint, constraint_def in cur.fetchall():
        if constraint:
            definition = f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {constraint_def}'
        result.append((table, index, definition, constraint))
    return result


def _superuser(cur) -> bool:
    cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cur.fetchone()
    return bool(row and row[0])


def verify(conn, out=print) -> int:
    """Check every foreign key of the loaded tables with an anti-join; returns the failures."""
    failures = 0
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT c.conname, t.relname, a.attname, rt.relname, ra.attname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_class rt ON rt.oid = c.confrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND t.relname = ANY(%s) AND cardinality(c.conkey) = 1
            """,
            [list(TABLES)],
        )
        for name, table, column, ref_table, ref_column in cur.fetchall():
            cur.execute(
                f'SELECT count(*) FROM "{table}" x WHERE x."{column}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM "{ref_table}" y WHERE y."{ref_column}" = x."{column}")'
            )
            bad = cur.fetchone()[0]
            if bad:
                failures += 1
                out(f"  foreign key {name}: {bad:,} rows of {table} point nowhere")
        checks = {
            "codes unique per agency and day, numbered 1…N": """
                SELECT count(*) FROM (
                  SELECT receiving_agency_id, split_part(code, '-', 2) AS day, count(*) AS n,
                         max(split_part(code, '-', 3)::int) AS top
                  FROM dossiers_dossier WHERE code IS NOT NULL
                  GROUP BY 1, 2) s WHERE n <> top""",
            "daily sequences match the codes": """
                SELECT count(*) FROM dossiers_dailysequence s FULL JOIN (
                  SELECT receiving_agency_id AS agency_id, count(*) AS n,
                         to_date(split_part(code, '-', 2), 'YYMMDD') AS day
                  FROM dossiers_dossier WHERE code IS NOT NULL GROUP BY 1, 3) c
                USING (agency_id, day) WHERE s.last IS DISTINCT FROM c.n""",
            "event states chain (each from_state is the previous to_state)": """
                SELECT count(*) FROM (
                  SELECT from_state, lag(to_state) OVER (PARTITION BY dossier_id ORDER BY seq)
                         AS previous
                  FROM dossiers_dossierevent) e
                WHERE previous IS NOT NULL AND from_state <> previous""",
            "last event state is the dossier state": """
                SELECT count(*) FROM dossiers_dossier d JOIN LATERAL (
                  SELECT to_state FROM dossiers_dossierevent e WHERE e.dossier_id = d.id
                  ORDER BY seq DESC LIMIT 1) e ON true
                WHERE e.to_state <> d.state""",
            "events in time order within a dossier": """
                SELECT count(*) FROM (
                  SELECT at, lag(at) OVER (PARTITION BY dossier_id ORDER BY seq) AS previous
                  FROM dossiers_dossierevent) e WHERE at < previous""",
            "dossier version = number of events = last seq": """
                SELECT count(*) FROM dossiers_dossier d LEFT JOIN (
                  SELECT dossier_id, count(*) AS n, max(seq) AS top
                  FROM dossiers_dossierevent GROUP BY 1) e ON e.dossier_id = d.id
                WHERE e.n IS NULL OR d.version <> e.n OR e.n <> e.top""",
            "current step belongs to the dossier, open dossiers sit in a unit": """
                SELECT (SELECT count(*) FROM dossiers_dossier d
                        JOIN dossiers_stepinstance s ON s.id = d.current_step_id
                        WHERE s.dossier_id <> d.id)
                     + (SELECT count(*) FROM dossiers_dossier
                        WHERE state IN ('received', 'in_process', 'supplement_requested')
                          AND current_unit_id IS NULL)""",
            "event ids follow time": """
                SELECT count(*) FROM (
                  SELECT at, lag(at) OVER (ORDER BY id) AS previous
                  FROM dossiers_dossierevent) e WHERE at < previous""",
        }
        for label, query in checks.items():
            cur.execute(query)
            bad = cur.fetchone()[0]
            failures += bool(bad)
            out(f"  {label}: {'ok' if not bad else f'{bad:,} failures'}")
    return failures


def summary(conn, out=print) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT state, count(*) FROM dossiers_dossier GROUP BY 1 ORDER BY 2 DESC")
        out("  states: " + ", ".join(f"{s} {n:,}" for s, n in cur.fetchall()))
        cur.execute("SELECT channel, count(*) FROM dossiers_dossier GROUP BY 1 ORDER BY 2 DESC")
        out("  channels: " + ", ".join(f"{s} {n:,}" for s, n in cur.fetchall()))
        cur.execute(
            "SELECT count(*) FILTER (WHERE due_at < now()), count(*), "
            "count(*) FILTER (WHERE apologised) FROM dossiers_dossier WHERE state = ANY(%s)",
            [list(OPEN)],
        )
        overdue, open_, apologised = cur.fetchone()
        out(f"  open: {open_:,} ({overdue:,} overdue, {apologised:,} apologised)")
        cur.execute(
            "SELECT timeliness, count(*) FROM dossiers_dossier WHERE timeliness <> '' "
            "GROUP BY 1 ORDER BY 1"
        )
        out(
            "  timeliness at the end of processing: "
            + ", ".join(f"{s} {n:,}" for s, n in cur.fetchall())
        )
        cur.execute("SELECT action, count(*) FROM dossiers_dossierevent GROUP BY 1 ORDER BY 2 DESC")
        out("  events: " + ", ".join(f"{a} {n:,}" for a, n in cur.fetchall()))


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
    cal0 = world[0].cal
    sim = Simulator(world, seed, cal0.to_minute(now))
    days, per_day, windows, local_now = intake_days(world, count, rng, now)
    out(
        f"world: {len(world)} agencies ({', '.join(a.identifier for a in world)}), "
        f"{sum(len(a.offerings) for a in world)} offerings; {len(days)} working days from "
        f"{days[0]} to {days[-1]}; now {local_now:%Y-%m-%d %H:%M}"
    )
    agency_weights = [AGENCY_SHARES[i] if i < len(AGENCY_SHARES) else 50 for i in range(len(world))]
    agency_cum, agency_total = _cumulative(agency_weights)
    channel_cum, channel_total = _cumulative(w for _c, w in CHANNEL_SHARES)
    channels = [c for c, _w in CHANNEL_SHARES]
    # Minutes of the working windows, the morning weighing more.
    minutes, minute_weights = [], []
    for n, (s, e) in enumerate(windows):
        for m in range(s, e):
            minutes.append(m)
            minute_weights.append(1.3 if n == 0 else 1.0)
    minute_cum, minute_total = _cumulative(minute_weights)
    r = rng.random

    conn = psycopg.connect(url, autocommit=False)
    notices = []
    conn.add_notice_handler(lambda d: notices.append(d.message_primary))
    timings = {}
    started = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET work_mem = '256MB'")
        replica = _superuser(cur)
        if replica:
            cur.execute("SET session_replication_role = replica")
        else:
            out("warning: not a superuser; foreign-key triggers stay on (slower)")
        cur.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        for notice in notices:
            out(f"  {notice}")
        indexes = _secondary_indexes(cur, TABLES)
        for table, index, _definition, constraint in indexes:
            if constraint:
                cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
            else:
                cur.execute(f'DROP INDEX "{index}"')
    loader = Loader(conn)
    out(
        f"generating {count:,} dossiers (seed {seed}, batches of {batch:,}); "
        f"{len(indexes)} secondary indexes dropped for the load"
    )
    buffers = {k: [] for k in ("dossiers", "steps", "pauses", "components")}
    tables = {
        "dossiers": "dossiers_dossier",
        "steps": "dossiers_stepinstance",
        "pauses": "dossiers_pause",
        "components": "dossiers_receivedcomponent",
    }
    did = 0
    report_every = max(batch, count // 10)
    next_report = report_every
    pending_events: list[str] = []
    try:
        for day, n in zip(days, per_day, strict=True):
            if not n:
                continue
            base = day.toordinal() - dt.date(1970, 1, 1).toordinal()
            limit_minute = None
            if day == local_now.date():
                limit_minute = local_now.hour * 60 + local_now.minute
            picks = []
            for _ in range(n):
                m = minutes[bisect.bisect(minute_cum, r() * minute_total)]
                if limit_minute is not None and m >= limit_minute:
                    m = minutes[int(r() * max(1, bisect.bisect(minutes, limit_minute - 1)))]
                picks.append(m)
            picks.sort()
            for m in picks:
                did += 1
                a = world[bisect.bisect(agency_cum, r() * agency_total)]
                channel = channels[bisect.bisect(channel_cum, r() * channel_total)]
                cum, able = a.by_channel[channel]
                if not able:
                    channel = "counter"
                    cum, able = a.by_channel[channel]
                o = able[bisect.bisect(cum, r() * cum[-1])]
                t0 = base * 1440 + m - sim.off
                p_receive, p_complete = INTAKE[channel]
                y = r()
                if y < p_receive:
                    outcome = "receive"
                    if channel == "online" and sim.now - t0 < 240 and r() < 0.5:
                        outcome = "pending"  # not yet looked at by the reception officer
                elif y < p_receive + p_complete:
                    outcome = "completion"
                else:
                    outcome = "refuse"
                sim.dossier(did, t0, a, o, channel, outcome, buffers)
                if len(buffers["dossiers"]) >= batch:
                    for key, lines in buffers.items():
                        loader.put(tables[key], lines)
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
            loader.put(tables[key], lines)
        pending_events += sim.flush_events(None)
        loader.put("dossiers_dossierevent", pending_events)
        sequences = [
            f"{i}\t{(dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()}\t{last}\t{agency}\n"
            for i, ((agency, day), last) in enumerate(sorted(sim.sequences.items()), 1)
        ]
        loader.put("dossiers_dailysequence", sequences)
        loader.close()
        timings["generate and copy"] = time.perf_counter() - started
        out(
            f"copied {sum(loader.rows.values()):,} rows in {timings['generate and copy']:.1f} s: "
            + ", ".join(f"{t.removeprefix('dossiers_')} {n:,}" for t, n in loader.rows.items())
        )
        out(
            f"  COPY busy {sum(loader.busy.values()):.1f} s ("
            + ", ".join(f"{t.removeprefix('dossiers_')} {n:.1f}" for t, n in loader.busy.items())
            + f"); the generator waited {loader.blocked:.1f} s for the COPY thread"
        )
        start = time.perf_counter()
        with conn.cursor() as cur:
            spent = []
            for _table, index, definition, _constraint in indexes:
                began = time.perf_counter()
                cur.execute(definition)
                spent.append((time.perf_counter() - began, index))
            timings["indexes"] = time.perf_counter() - start
            slowest = ", ".join(f"{name} {sec:.1f}" for sec, name in sorted(spent)[::-1][:4])
            out(
                f"rebuilt {len(indexes)} indexes in {timings['indexes']:.1f} s "
                f"(slowest: {slowest} s)"
            )
            for table in TABLES:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
            if replica:
                cur.execute("SET session_replication_role = origin")
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
        _record_info(admin, url, info)
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
