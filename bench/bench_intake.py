"""Intake throughput through the HTTP API, next to PostgreSQL's own TPC-B figure.

Runs the production server (gunicorn, 2 workers, gthread) on 127.0.0.1 at a free port with
``MOTCUA_ENV=production`` over plain HTTP, against the bench database (``motcua_bench``: the
data set of ``generate_dossiers.py`` is reused when present, else 100,000 dossiers are
generated). 16 client threads, each with its own keep-alive connection, post counter dossiers
(synthetic applicants, the procedure's components) with ``{"receive": true}`` and a unique
``Idempotency-Key`` as the demo reception officer ``tiepnhan`` (a bearer token issued for the
run) until ``--requests`` are done or ``--seconds`` pass. Prints dossiers created per second,
latency p50/p95/p99 and errors; then ``pgbench`` TPC-B (``-i -s 10`` on a scratch database
``motcua_pgbench``, then ``-c 16 -j 2 -T 30``). Below half the goal, one request is profiled
in-process (Django test client, cProfile) to show where the time goes. The run's dossiers and
token are removed at the end; the databases are dropped unless ``--keep``. Prints figures only.
Goal: ≥ 500 dossiers/s.

    python bench/bench_intake.py [--requests 5000] [--seconds 60] [--clients 16] [--workers 2]
                                 [--worker-class gthread] [--threads 4] [--count N]
                                 [--db-url URL] [--no-pgbench] [--profile] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import http.client
import itertools
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_dossiers as gen  # noqa: E402

GOAL_PER_S = 500
PGBENCH_DB = "motcua_pgbench"
OFFICER = "tiepnhan"

# --- Shared with bench_queue ----------------------------------------------------------------


def percentiles(seconds: list[float]) -> dict:
    """p50/p95/p99/mean/max in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    if len(ms) < 2:
        value = ms[0] if ms else float("nan")
        return dict.fromkeys(("p50", "p95", "p99", "mean", "max"), value)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "mean": statistics.fmean(ms),
        "max": ms[-1],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The production server (gunicorn) on 127.0.0.1, production settings over plain HTTP."""

    def __init__(self, url: str, *, workers: int = 2, worker_class: str = "gthread",
                 threads: int = 4) -> None:  # fmt: skip
        self.url, self.workers = url, workers
        self.worker_class, self.threads = worker_class, threads
        self.port = free_port()
        self.host = "127.0.0.1"
        self.folder = Path(tempfile.mkdtemp(prefix="motcua-bench-server-"))
        self.log = self.folder / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def executable() -> str | None:
        beside = Path(sys.executable).parent / "gunicorn"
        return str(beside) if beside.exists() else shutil.which("gunicorn")

    def describe(self) -> str:
        kind = self.worker_class + (
            f" × {self.threads} threads" if self.worker_class == "gthread" else ""
        )
        return f"gunicorn {self.workers} workers ({kind}) on http://{self.host}:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        exe = self.executable()
        if exe is None:
            raise RuntimeError("gunicorn is not installed: .venv/bin/pip install gunicorn==27.0.1")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "MOTCUA_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": self.host,
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DEBUG": "false",
            "DATABASE_URL": self.url,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(gen.ROOT / "src"),
        }
        command = [exe, "motcua.wsgi:application", "--bind", f"{self.host}:{self.port}"]
        command += ["--workers", str(self.workers), "--worker-class", self.worker_class]
        if self.worker_class == "gthread":
            command += ["--threads", str(self.threads)]
        command += ["--keep-alive", "30", "--timeout", "60", "--graceful-timeout", "5"]
        command += ["--log-level", "warning", "--error-logfile", str(self.log)]
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start-up:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=5)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"the server did not answer /healthz in {timeout:.0f} s\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the master, then anything left in its process group (its workers)."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGTERM)  # the group we started
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Server:
        if self.process is None:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


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


def issue_tokens(usernames: list[str], name: str) -> dict[str, str]:
    """A bearer token per user (``accounts.tokens.issue_token``), named ``name``."""
    from django.contrib.auth import get_user_model

    from motcua.accounts.tokens import issue_token

    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    missing = sorted(set(usernames) - set(users))
    if missing:
        raise RuntimeError(f"no such users: {', '.join(missing)} (run `motcua demo-org`)")
    return {username: issue_token(users[username], name) for username in usernames}


def revoke_tokens(name: str) -> None:
    from motcua.accounts.models import ApiToken

    ApiToken.objects.filter(name=name).delete()


def run_clients(host: str, port: int, requests: list, clients: int, seconds: float,
                think: float = 0.0):  # fmt: skip
    """Send ``requests`` [(method, path, body, headers)] from ``clients`` threads with keep-alive
    connections; each thread takes the next request until none is left or time is up, waiting
    ``think`` seconds after each answer (a person reading the page). Returns [(start, end,
    status)] and the wall time."""
    counter = itertools.count()
    results: list[tuple[float, float, object]] = []
    start_line = threading.Barrier(clients + 1)
    deadline = [0.0]

    def work() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        start_line.wait()
        while True:
            i = next(counter)
            if i >= len(requests) or time.perf_counter() > deadline[0]:
                break
            method, path, body, headers = requests[i]
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status: object = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
            results.append((began, time.perf_counter(), status))
            if think:
                time.sleep(think)
        conn.close()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start_line.wait()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began


def describe_statuses(results) -> str:
    counts: dict[object, int] = {}
    for _s, _e, status in results:
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{k} × {v:,}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


# --- Intake requests ------------------------------------------------------------------------


def intake_requests(token: str, count: int, run: str, seed: int) -> tuple[list, str]:
    """``count`` POST requests for the officer's agency (procedure mix as the generator's)."""
    from django.contrib.auth import get_user_model

    from motcua.catalog.models import Offering, ProcedureVersion
    from motcua.org.models import Role, RoleAssignment

    officer = get_user_model().objects.get(username=OFFICER)
    grant = (
        RoleAssignment.objects.filter(user=officer, role=Role.RECEPTION_OFFICER)
        .select_related("agency__division")
        .first()
    )
    if grant is None:
        raise RuntimeError(f"{OFFICER} has no reception grant (run `motcua demo-org`)")
    agency = grant.agency
    offerings = list(
        Offering.objects.filter(
            agency=agency,
            is_active=True,
            workflow__isnull=False,
            version__status=ProcedureVersion.Status.PUBLISHED,
        ).select_related("version__procedure")
    )
    if not offerings:
        raise RuntimeError(f"{agency} offers no procedure (run `motcua demo-catalogue`)")
    menu = []
    for offering in offerings:
        case = offering.version.cases.order_by("order").first()
        components = []
        if case is not None:
            components = [
                {"spec_id": c.pk, "name": c.name, "originals": c.originals, "copies": c.copies}
                for c in case.components.order_by("order")
                if c.required
            ]
        code = offering.version.procedure.code
        menu.append(
            (gen.PROCEDURE_WEIGHTS.get(code, 5), code, case.pk if case else None, components)
        )
    weights = [w for w, *_ in menu]
    rng = random.Random(seed)
    r = rng.random
    place = agency.division.name if agency.division else agency.short_name
    requests = []
    for i in range(count):
        _w, code, case_id, components = rng.choices(menu, weights)[0]
        name, cccd, birth, phone, email = gen.person(r)
        body = {
            "agency": agency.identifier,
            "procedure": code,
            "channel": "counter",
            "case_id": case_id,
            "applicant": {
                "name": name,
                "id_number": cccd,
                "birth_date": birth,
                "phone": phone,
                "email": email,
                "address": gen.address(r, place),
            },
            "components": components,
            "receive": True,
        }
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"bench-intake-{run}-{i}",
        }
        requests.append(("POST", "/api/v1/dossiers", json.dumps(body).encode(), headers))
    return requests, agency.identifier


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


# --- Profile ----------------------------------------------------------------------------------


def profile_intake(requests: list, top: int = 25) -> None:
    """One request's queries, then cProfile over a few, in-process with the test client."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def post(request) -> int:
        _method, path, body, headers = request
        response = client.post(
            path,
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=headers["Authorization"],
            HTTP_IDEMPOTENCY_KEY=headers["Idempotency-Key"] + "-profile",
        )
        return response.status_code

    post(requests[0])  # warm-up: imports, calendars
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        status = post(requests[1])
        elapsed = time.perf_counter() - start
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(
        f"profile: one intake request in-process: HTTP {status}, {elapsed * 1000:.1f} ms, "
        f"{len(queries.captured_queries)} queries taking {sql_ms:.1f} ms (client-side)"
    )
    for q in queries.captured_queries:
        sql = " ".join(q["sql"].split())
        print(f"  {float(q['time']) * 1000:6.2f} ms  {sql[:150]}")
    sample = requests[2:52]
    profiler = cProfile.Profile()
    profiler.enable()
    for request in sample:
        post(request)
    profiler.disable()
    print(f"profile: cProfile over {len(sample)} requests, top {top} by cumulative time:")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"profile: top {top} by own time:")
    stats.sort_stats("tottime").print_stats(top)


# --- Main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=60.0, help="time bound of the run")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread", choices=("gthread", "sync"))
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--count", type=int, default=None, help="data set size (default: reuse)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db-url", default=gen.PG_URL)
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument("--pgbench-seconds", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="profile even above the goal")
    parser.add_argument("--keep", action="store_true", help="keep the databases and dossiers")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        created = gen.ensure_database(args.db_url)
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL is not reachable at {args.db_url}: {exc}")
        return 1
    print(f"database: {gen.database_name(args.db_url)}{' (created)' if created else ''}")
    print(gen.machine_note())
    run = secrets.token_hex(4)
    token_name = f"bench-intake-{run}"
    try:
        info = gen.ensure_dataset(args.db_url, args.count, args.seed)
        token = issue_tokens([OFFICER], token_name)[OFFICER]
        warm = 4 * args.workers * max(1, args.threads)
        requests, agency = intake_requests(token, args.requests + warm, run, args.seed)
        from django.db import connections

        connections.close_all()
        server = Server(
            args.db_url,
            workers=args.workers,
            worker_class=args.worker_class,
            threads=args.threads,
        )
        try:
            server.start()
        except RuntimeError as exc:
            print(f"server: {exc}")
            return 1
        with server:
            print(f"server: {server.describe()}, MOTCUA_ENV=production over plain HTTP")
            run_clients(server.host, server.port, requests[:warm], args.clients, 60)
            print(
                f"intake: {OFFICER} posting counter dossiers with receive=true to {agency}, "
                f"{args.clients} clients, up to {args.requests:,} requests or "
                f"{args.seconds:.0f} s (after {warm} warm-up requests), on "
                f"{info['count']:,} dossiers"
            )
            with CpuMeter(server, args.db_url) as meter, LockSampler(args.db_url) as sampler:
                results, wall = run_clients(
                    server.host, server.port, requests[warm:], args.clients, args.seconds
                )
            spent = meter.spent()
            log = server.log_tail(10)
        created_ok = sum(1 for _s, _e, status in results if status == 201)
        errors = sum(1 for _s, _e, status in results if status not in (200, 201))
        rate = created_ok / wall if wall else 0.0
        figures = percentiles([e - s for s, e, _status in results])
        print(
            f"intake: {len(results):,} requests in {wall:.1f} s: {rate:,.0f} dossiers/s created "
            f"(goal ≥ {GOAL_PER_S}/s)"
        )
        print(
            f"latency: p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, "
            f"p99 {figures['p99']:.1f} ms, mean {figures['mean']:.1f} ms, "
            f"max {figures['max']:.1f} ms"
        )
        print(f"errors: {errors:,} ({describe_statuses(results)})")
        print(sampler.describe())
        print(describe_cpu(spent, len(results), os.cpu_count() or 1))
        if errors and log.strip():
            print("server log (last lines):\n" + log)
        if not args.no_pgbench:
            bench = run_pgbench(
                args.db_url,
                scale=10,
                clients=16,
                threads=2,
                seconds=args.pgbench_seconds,
                keep=args.keep,
            )
            if bench and bench["tps"] is not None:
                print(
                    f"pgbench TPC-B (scale 10, 16 clients, 2 threads, {args.pgbench_seconds} s; "
                    f"init {bench['init_s']:.1f} s): {bench['tps']:,.0f} tps, latency average "
                    f"{bench['latency_ms']:.1f} ms; intake/TPC-B = {rate / bench['tps']:.2f}"
                )
        if args.profile or rate < GOAL_PER_S / 2:
            profile_intake(requests[-60:])
        return 0
    finally:
        from django.db import connections

        revoke_tokens(token_name)
        if args.keep:
            import psycopg

            with psycopg.connect(args.db_url, autocommit=True) as conn:
                gone = gen.delete_dossiers(
                    conn, "idempotency_key LIKE %s", [f"bench-intake-{run}-%"]
                )
            print(
                f"removed the {gone:,} dossiers of this run; kept {gen.database_name(args.db_url)}"
            )
        connections.close_all()
        if not args.keep:
            gen.drop_database(args.db_url)
            print(f"dropped {gen.database_name(args.db_url)} (--keep keeps it)")
        print(f"total bench time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
