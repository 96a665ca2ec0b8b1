"""Latency of the "my unit" work queue: the service call and the HTTP API.

On the bench database (``motcua_bench``; the data set of ``generate_dossiers.py`` is reused when
present, else 100,000 dossiers are generated; ``--sizes 100000,1000000`` generates and measures
each size in turn), for the officers of the ward units (the demo ``tiepnhan``, ``chuyenvien``,
``lanhdao`` and the generator's synthetic colleagues):

* the service: ``queries.queue(user, "unit")[:100]`` materialised plus ``urgency`` per row,
  with the user's grants loaded inside the call as in a request, ``--iterations`` times;
* the API: ``GET /api/v1/dossiers?queue=unit&limit=100`` (rows and total count) from 16
  clients with keep-alive connections, each as one officer (bearer tokens issued for the run),
  against the production server (gunicorn, 2 workers, ``MOTCUA_ENV=production``, plain HTTP).

The API is measured twice: users firing pages back to back (saturation: latency is mostly
queueing, about clients / throughput) and users pausing ``--think`` seconds between pages.
Prints p50/p95/p99, the EXPLAIN ANALYZE of the queue query once (which index serves it), and
the ratio to the figures of another size measured before (kept in ``var/bench/queue.json``).
The databases are dropped at the end unless ``--keep``. Prints figures only.
Goal: p95 ≤ 30 ms.

    python bench/bench_queue.py [--count N | --sizes 100000,1000000] [--iterations 300]
                                [--requests 3200] [--clients 16] [--db-url URL] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_dossiers as gen  # noqa: E402
from http_harness import (  # noqa: E402
    Server,
    describe_statuses,
    issue_tokens,
    percentiles,
    revoke_tokens,
    run_clients,
)
from meters import CpuMeter, _cpu_seconds, describe_cpu  # noqa: E402

GOAL_P95_MS = 30.0
RESULTS = gen.ROOT / "var" / "bench" / "queue.json"


def unit_officers() -> list:
    """Active users with a unit-scoped grant in an agency that receives dossiers."""
    from django.contrib.auth import get_user_model

    from motcua.dossiers.models import Dossier
    from motcua.org.models import RoleAssignment

    agencies = set(Dossier.objects.values_list("receiving_agency_id", flat=True).distinct()[:50])
    rows = (
        RoleAssignment.objects.filter(agency_id__in=agencies, unit__isnull=False)
        .select_related("unit")
        .order_by("user_id")
    )
    roles = {}
    for row in rows:
        roles.setdefault(row.user_id, (row.role, row.unit.name))
    users = get_user_model().objects.filter(pk__in=roles, is_active=True).order_by("pk")
    demo = ["tiepnhan", "chuyenvien", "lanhdao"]

    def order(user) -> tuple:
        return (demo.index(user.username) if user.username in demo else len(demo), user.pk)

    return [(u, *roles[u.pk]) for u in sorted(users, key=order)]


def service_call(user_id: int):
    """What a queue page does: the user (grants loaded inside), 100 rows, urgency per row."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from motcua.dossiers import queries

    user = get_user_model().objects.get(pk=user_id)  # outside the timing: the request's user

    def call():
        rows = list(queries.queue(user, "unit")[:100])
        now = timezone.now()
        return [queries.urgency(d, now) for d in rows]

    return user, call


def _backend_cpu() -> float:
    """CPU seconds of this process's PostgreSQL backend (Linux /proc; 10 ms resolution)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return _cpu_seconds(cursor.fetchone()[0])


def measure_service(officers, iterations: int) -> dict:
    from motcua.org import permissions

    timings: dict[str, list[float]] = {}
    every: list[float] = []
    for _user, role, _unit in officers:
        timings.setdefault(role, [])
    calls = [(user, role, *service_call(user.pk)) for user, role, _unit in officers]
    for _user, _role, fresh, call in calls:  # warm-up: calendars, connection
        call()
        permissions.forget(fresh)
    python_cpu, database_before = 0.0, _backend_cpu()
    for i in range(iterations):
        _user, role, fresh, call = calls[i % len(calls)]
        permissions.forget(fresh)  # the grants are read inside the call, as in a request
        start, cpu = time.perf_counter(), time.thread_time()
        call()
        python_cpu += time.thread_time() - cpu
        elapsed = time.perf_counter() - start
        timings[role].append(elapsed)
        every.append(elapsed)
    database_cpu = _backend_cpu() - database_before
    return {
        "all": percentiles(every),
        "roles": {r: percentiles(t) for r, t in timings.items()},
        "cpu_ms": (python_cpu / iterations * 1000, database_cpu / iterations * 1000),
    }


def open_counts(officers) -> dict[int, int]:
    from motcua.dossiers import queries

    return {user.pk: queries.queue(user, "unit").count() for user, _role, _unit in officers}


def explain(user) -> str:
    from motcua.dossiers import queries

    return queries.queue(user, "unit")[:100].explain(analyze=True, buffers=True)


def index_summary(plan: str) -> str:
    scans = r"(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)"
    used = re.findall(scans, plan)
    seq = re.findall(r"Seq Scan on (\S+)", plan)
    parts = []
    if used:
        parts.append("indexes: " + ", ".join(dict.fromkeys(used)))
    if seq:
        parts.append("sequential scans: " + ", ".join(dict.fromkeys(seq)))
    total = re.search(r"Execution Time: ([\d.]+) ms", plan)
    planning = re.search(r"Planning Time: ([\d.]+) ms", plan)
    if planning and total:
        parts.append(f"planning {planning.group(1)} ms, execution {total.group(1)} ms")
    return "; ".join(parts)


def measure_http(url: str, officers, requests_total: int, clients: int, seconds: float,
                 paced_seconds: float, think: float) -> dict:  # fmt: skip
    from django.db import connections

    name = f"bench-queue-{int(time.time())}"
    chosen = [officers[i % len(officers)][0] for i in range(clients)]
    tokens = issue_tokens(sorted({u.username for u in chosen}), name)
    connections.close_all()
    try:
        path = "/api/v1/dossiers?queue=unit&limit=100"
        per_client = [
            {"Authorization": f"Bearer {tokens[u.username]}", "Accept": "application/json"}
            for u in chosen
        ]
        requests = [("GET", path, None, per_client[i % clients]) for i in range(requests_total)]
        warm = [("GET", path, None, per_client[i % clients]) for i in range(clients * 2)]
        with Server(url) as server:
            run_clients(server.host, server.port, warm, clients, 60)
            with CpuMeter(server, url) as meter:
                results, wall = run_clients(server.host, server.port, requests, clients, seconds)
            spent = meter.spent()
            paced, paced_wall = [], 0.0
            if paced_seconds > 0:
                paced, paced_wall = run_clients(
                    server.host, server.port, requests, clients, paced_seconds, think
                )
            describe = server.describe()
        ok = [e - s for s, e, status in results if status == 200]
        errors = len(results) - len(ok)
        paced_ok = [e - s for s, e, status in paced if status == 200]
        return {
            "paced": percentiles(paced_ok or [0.0]),
            "paced_requests": len(paced),
            "paced_rate": len(paced) / paced_wall if paced_wall else 0.0,
            "paced_errors": len(paced) - len(paced_ok),
            "server": describe,
            "figures": percentiles(ok or [0.0]),
            "requests": len(results),
            "rate": len(results) / wall if wall else 0.0,
            "errors": errors,
            "statuses": describe_statuses(results),
            "cpu": describe_cpu(spent, len(results), os.cpu_count() or 1),
        }
    finally:
        revoke_tokens(name)


def load_results() -> dict:
    try:
        return json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_result(size: int, result: dict) -> None:
    results = load_results()
    results[str(size)] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True), encoding="utf-8")


def fmt(figures: dict) -> str:
    return (
        f"p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, p99 {figures['p99']:.1f} ms, "
        f"max {figures['max']:.1f} ms"
    )


def measure_size(args, count: int | None) -> dict:
    info = gen.ensure_dataset(args.db_url, count, args.seed)
    size = info["count"]
    officers = unit_officers()
    if not officers:
        raise RuntimeError("no officer with a unit-scoped grant (run `motcua demo-org`)")
    counts = open_counts(officers)
    print(
        f"queue: {len(officers)} unit officers; open dossiers in their unit queue: "
        + ", ".join(f"{u.username} {counts[u.pk]:,}" for u, _r, _n in officers[:6])
        + (" …" if len(officers) > 6 else "")
    )
    main_user = officers[0][0]
    for user, _role, _unit in officers:
        if user.username == "chuyenvien":
            main_user = user
    plan = explain(main_user)
    print(f"EXPLAIN ANALYZE of the unit queue of {main_user.username} (first 100 rows):")
    for line in plan.splitlines():
        print(f"  {line}")
    print(f"  → {index_summary(plan)}")
    service = measure_service(officers, args.iterations)
    print(
        f"service queue(user, 'unit')[:100] + urgency, {args.iterations} calls: "
        f"{fmt(service['all'])} (goal p95 ≤ {GOAL_P95_MS:.0f} ms)"
    )
    for role, figures in service["roles"].items():
        print(f"  {role}: {fmt(figures)}")
    python_ms, database_ms = service["cpu_ms"]
    print(
        f"  CPU per call: Python {python_ms:.1f} ms + PostgreSQL {database_ms:.1f} ms = "
        f"{python_ms + database_ms:.1f} ms (what a call costs on a quiet machine)"
    )
    http = measure_http(
        args.db_url,
        officers,
        args.requests,
        args.clients,
        args.seconds,
        args.paced_seconds,
        args.think,
    )
    print(
        f"API GET /api/v1/dossiers?queue=unit&limit=100 on {http['server']}, "
        f"{args.clients} users without pause (saturation): {http['requests']:,} requests, "
        f"{http['rate']:,.0f}/s: {fmt(http['figures'])} (goal p95 ≤ {GOAL_P95_MS:.0f} ms); "
        f"errors {http['errors']} ({http['statuses']})"
    )
    print(f"  {http['cpu']}")
    if http["paced_requests"]:
        print(
            f"  {args.clients} users each pausing {args.think:g} s between pages: "
            f"{http['paced_requests']:,} requests, {http['paced_rate']:,.0f}/s: "
            f"{fmt(http['paced'])}; errors {http['paced_errors']}"
        )
    result = {
        "dossiers": size,
        "open_max": max(counts.values()),
        "service": service["all"],
        "service_cpu_ms": sum(service["cpu_ms"]),
        "http": http["figures"],
        "http_paced": http["paced"],
        "plan": index_summary(plan),
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    save_result(size, result)
    return result


def print_ratios(current: dict) -> None:
    results = load_results()
    size = current["dossiers"]
    others = sorted((int(k), v) for k, v in results.items() if int(k) != size)
    for other, figures in others:
        small, large = (figures, current) if other < size else (current, figures)
        factor = large["dossiers"] / small["dossiers"]
        print(
            f"ratio {large['dossiers']:,} / {small['dossiers']:,} dossiers ({factor:.0f}×; open "
            f"rows {large['open_max']:,} / {small['open_max']:,}): service p50 "
            f"{large['service']['p50'] / small['service']['p50']:.2f}×, p95 "
            f"{large['service']['p95'] / small['service']['p95']:.2f}×; API p50 "
            f"{large['http']['p50'] / small['http']['p50']:.2f}×, p95 "
            f"{large['http']['p95'] / small['http']['p95']:.2f}×; CPU per service call "
            f"{large.get('service_cpu_ms', 0):.1f} / {small.get('service_cpu_ms', 0):.1f} ms"
            f" (paced p95 "
            f"{large.get('http_paced', large['http'])['p95']:.1f} / "
            f"{small.get('http_paced', small['http'])['p95']:.1f} ms) "
            f"(other size measured {figures.get('measured_at', '?')})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=None, help="data set size (default: reuse)")
    parser.add_argument("--sizes", default="", help="e.g. 100000,1000000: measure each in turn")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--iterations", type=int, default=300, help="service calls")
    parser.add_argument("--requests", type=int, default=3200, help="API requests")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0, help="time bound of the API run")
    parser.add_argument("--paced-seconds", type=float, default=20.0, help="paced run (0: none)")
    parser.add_argument("--think", type=float, default=0.5, help="pause between a user's pages")
    parser.add_argument("--db-url", default=gen.PG_URL)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] or [args.count]
    started = time.perf_counter()
    try:
        created = gen.ensure_database(args.db_url)
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL is not reachable at {args.db_url}: {exc}")
        return 1
    print(f"database: {gen.database_name(args.db_url)}{' (created)' if created else ''}")
    print(gen.machine_note())
    try:
        for size in sizes:
            print(f"== {'present data set' if size is None else f'{size:,} dossiers'} ==")
            try:
                current = measure_size(args, size)
            except RuntimeError as exc:
                print(f"queue: {exc}")
                return 1
            print_ratios(current)
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            gen.drop_database(args.db_url)
            print(f"dropped {gen.database_name(args.db_url)} (--keep keeps it)")
        print(f"total bench time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
