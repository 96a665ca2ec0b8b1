"""Bulk loading of the dossier tables with COPY: the columns written, the COPY thread, and the
set-up and tear-down around a load (secondary indexes dropped then rebuilt, foreign-key
triggers skipped, id sequences reset)."""

from __future__ import annotations

import queue
import threading
import time

TABLES = (
    "dossiers_dossier",
    "dossiers_stepinstance",
    "dossiers_dossierevent",
    "dossiers_pause",
    "dossiers_receivedcomponent",
    "dossiers_dailysequence",
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


def secondary_indexes(cur, tables) -> list[tuple[str, str, str, str | None]]:
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


def superuser(cur) -> bool:
    cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cur.fetchone()
    return bool(row and row[0])


def begin_load(conn, out=print) -> tuple[list, bool]:
    """Empty the dossier tables and drop their secondary indexes, in the load's transaction.

    Returns the dropped indexes (to rebuild) and whether foreign-key triggers are skipped
    (``session_replication_role = replica`` needs a superuser; the generator writes
    consistent keys and ``--verify`` checks them)."""
    notices = []
    conn.add_notice_handler(lambda d: notices.append(d.message_primary))
    with conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET work_mem = '256MB'")
        replica = superuser(cur)
        if replica:
            cur.execute("SET session_replication_role = replica")
        else:
            out("warning: not a superuser; foreign-key triggers stay on (slower)")
        cur.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        for notice in notices:
            out(f"  {notice}")
        indexes = secondary_indexes(cur, TABLES)
        for table, index, _definition, constraint in indexes:
            if constraint:
                cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
            else:
                cur.execute(f'DROP INDEX "{index}"')
    return indexes, replica


def finish_load(conn, indexes: list, replica: bool, out=print) -> float:
    """Rebuild the dropped indexes and reset the id sequences; returns the rebuild seconds."""
    start = time.perf_counter()
    with conn.cursor() as cur:
        spent = []
        for _table, index, definition, _constraint in indexes:
            began = time.perf_counter()
            cur.execute(definition)
            spent.append((time.perf_counter() - began, index))
        seconds = time.perf_counter() - start
        slowest = ", ".join(f"{name} {sec:.1f}" for sec, name in sorted(spent)[::-1][:4])
        out(f"rebuilt {len(indexes)} indexes in {seconds:.1f} s (slowest: {slowest} s)")
        for table in TABLES:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        if replica:
            cur.execute("SET session_replication_role = origin")
    return seconds
