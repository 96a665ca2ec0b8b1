"""What the server benchmarks measure besides latency: CPU time per request of the server's
workers and of the database backends (from /proc), the sessions waiting on row locks, and
PostgreSQL's own TPC-B figure (``pgbench``) for scale."""

from __future__ import annotations

import glob
import os
import re
import shutil
import statistics
import subprocess
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import generate_dossiers as gen

if TYPE_CHECKING:
    from http_harness import Server

PGBENCH_DB = "motcua_pgbench"


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for t in tasks for c in (t / "children").read_text().split()]
    except OSError:
        return []


class CpuMeter:
    """CPU seconds used by the server's workers and by this database's backends while it runs,
    read from /proc every 100 ms (Linux): what requests cost, whatever else runs on the machine.
    Sampling keeps the CPU of backends that end during the run (the server closes connections
    older than ``DATABASE_CONN_MAX_AGE``)."""

    def __init__(self, server: Server, url: str) -> None:
        self.server, self.url = server, url
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, conn, initial: bool) -> None:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchall()
        workers = _children(self.server.process.pid) if self.server.process else []
        pids = [("server", p) for p in workers] + [("database", r[0]) for r in rows]
        for key in pids:
            cpu = _cpu_seconds(key[1])
            if cpu:
                self.first.setdefault(key, cpu if initial else 0.0)
                self.last[key] = cpu

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            self._sample(conn, initial=True)
            self.ready.set()
            while not self.stop_flag.wait(0.1):
                self._sample(conn, initial=False)
            self._sample(conn, initial=False)

    def __enter__(self) -> CpuMeter:
        self.ready = threading.Event()
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self.stop_flag.set()
        self.thread.join()

    def spent(self) -> dict[str, float]:
        totals = {"server": 0.0, "database": 0.0}
        for key, cpu in self.last.items():
            totals[key[0]] += cpu - self.first.get(key, 0.0)
        return totals


def describe_cpu(spent: dict[str, float], requests: int, cores: int) -> str:
    if not requests:
        return "CPU: no requests"
    server = spent["server"] / requests * 1000
    database = spent["database"] / requests * 1000
    total = server + database
    ceiling = cores * 1000 / total if total else float("inf")
    return (
        f"CPU per request: server {server:.1f} ms + PostgreSQL {database:.1f} ms = "
        f"{total:.1f} ms → at most ~{ceiling:,.0f} requests/s on {cores} cores (clients excluded)"
    )


class LockSampler:
    """Samples the bench database's sessions every 50 ms: active, and waiting on a lock."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.samples: list[tuple[int, int]] = []
        self.waits: dict[str, int] = {}
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop_flag.wait(0.05):
                rows = conn.execute(
                    "SELECT state, wait_event_type, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend'"
                ).fetchall()
                active = [r for r in rows if r[0] == "active"]
                locked = [r for r in active if r[1] == "Lock"]
                for _state, _kind, query in locked:
                    statement = self.statement(query)
                    self.waits[statement] = self.waits.get(statement, 0) + 1
                self.samples.append((len(active), len(locked)))

    @staticmethod
    def statement(query: str) -> str:
        """``INSERT INTO table`` / ``UPDATE table`` / ``SELECT … FROM table`` of a query."""
        words = query.replace('"', "").split()
        head = " ".join(words[:3]) if words[:1] != ["SELECT"] else "SELECT"
        if words[:1] == ["SELECT"] and "FROM" in words:
            head += " … FROM " + words[words.index("FROM") + 1]
        return head[:60]

    def __enter__(self) -> LockSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop_flag.set()
        self.thread.join()

    def describe(self) -> str:
        if not self.samples:
            return "no samples"
        active = statistics.fmean(a for a, _l in self.samples)
        locked = statistics.fmean(b for _a, b in self.samples)
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.waits.items(), key=lambda kv: -kv[1]))
        return (
            f"database sessions during the run: {active:.1f} active on average, {locked:.1f} of "
            f"them waiting on a row lock; waiting statements (samples): {kinds or 'none'}"
        )


# --- pgbench ----------------------------------------------------------------------------------


def pgbench_executable() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    return candidates[-1] if candidates else None


def run_pgbench(url: str, *, scale: int, clients: int, threads: int, seconds: int,
                keep: bool) -> dict | None:  # fmt: skip
    exe = pgbench_executable()
    if exe is None:
        print("pgbench: not found (Debian: apt-get install postgresql-client); skipped")
        return None
    parts = urlsplit(url)
    scratch = urlunsplit(parts._replace(path=f"/{PGBENCH_DB}"))
    gen.drop_database(scratch)
    gen.ensure_database(scratch)
    base = [exe, "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    base += ["-U", parts.username or "postgres"]
    env = {**os.environ}
    if parts.password:
        env["PGPASSWORD"] = parts.password
    try:
        start = time.perf_counter()
        init = subprocess.run(
            [*base, "-i", "-q", "-s", str(scale), PGBENCH_DB],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if init.returncode:
            print(f"pgbench -i failed: {init.stderr.strip()[-500:]}")
            return None
        init_s = time.perf_counter() - start
        run = subprocess.run(
            [*base, "-c", str(clients), "-j", str(threads), "-T", str(seconds), PGBENCH_DB],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode:
            print(f"pgbench failed: {run.stderr.strip()[-500:]}")
            return None
        tps = re.search(r"tps = ([\d.]+)", run.stdout)
        latency = re.search(r"latency average = ([\d.]+) ms", run.stdout)
        return {
            "init_s": init_s,
            "tps": float(tps.group(1)) if tps else None,
            "latency_ms": float(latency.group(1)) if latency else None,
        }
    finally:
        if not keep:
            gen.drop_database(scratch)
