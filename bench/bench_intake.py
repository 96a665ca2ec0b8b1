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
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dossier_world as world  # noqa: E402
import generate_dossiers as gen  # noqa: E402
from http_harness import (  # noqa: E402
    Server,
    describe_statuses,
    issue_tokens,
    percentiles,
    revoke_tokens,
    run_clients,
)
from meters import CpuMeter, LockSampler, describe_cpu, run_pgbench  # noqa: E402
from profiling import profile_requests  # noqa: E402

GOAL_PER_S = 500
OFFICER = "tiepnhan"

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
            (world.PROCEDURE_WEIGHTS.get(code, 5), code, case.pk if case else None, components)
        )
    weights = [w for w, *_ in menu]
    rng = random.Random(seed)
    r = rng.random
    place = agency.division.name if agency.division else agency.short_name
    requests = []
    for i in range(count):
        _w, code, case_id, components = rng.choices(menu, weights)[0]
        name, cccd, birth, phone, email = world.person(r)
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
                "address": world.address(r, place),
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
            profile_requests(requests[-110:])
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
