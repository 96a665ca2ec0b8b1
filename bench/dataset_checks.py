"""Checks and a summary of a generated dossier data set (``generate_dossiers.py --verify``)."""

from __future__ import annotations

from bulk_load import TABLES
from dossier_world import OPEN


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
