"""Public tracking (tra cứu hồ sơ): a lookup by dossier code + last 4 digits of the ID number.

On the bench database (``motcua_bench``; the data set of ``generate_dossiers.py`` is reused when
present, else 100,000 dossiers are generated; ``--count 1000000`` asks for a million), with
random received dossiers drawn from the data set, and the Redis cache of ``--cache-url`` (the
rate limit and the cached dossier part of the page, as in production; its tracking keys are
cleared first):

* in-process: ``POST /tra-cuu/`` through Django's WSGI handler, no server and no client: the
  SQL queries of one lookup (first lookup of a dossier: the summary row, then its events; a
  repeat: the summary row only; pinned by ``tests/portal/test_tracking.py``) and the CPU time
  per request of the application alone, for first and repeat lookups;
* the page: ``POST /tra-cuu/`` (the form, with its CSRF cookie and token) from ``--clients``
  clients against the production server (gunicorn, ``--workers`` workers of
  ``--worker-class``, ``MOTCUA_ENV=production``, plain HTTP), twice: first lookups (every
  request a dossier not looked up before, so its part of the page is rendered and cached) and
  repeat lookups (citizens checking again; the part comes from the cache): throughput,
  p50/p95/p99, CPU per request of the server's workers and of PostgreSQL; then, for scale,
  the floor of this server on this machine: ``GET /healthz`` (same middleware, no page).

Every lookup is a correct one (wrong ones are rate-limited per address by design, which a
benchmark from one address would only measure as 429s). Prints figures only. Goal from the
portal issue: ≥ 2,000 lookups/s and p99 ≤ 25 ms with 2 workers.

    python bench/bench_tracking.py [--count N] [--sample 20000] [--requests 8000]
        [--clients 16] [--seconds 20] [--workers 2] [--worker-class gthread] [--threads 4]
        [--cache-url redis://127.0.0.1:6379/9] [--db-url URL] [--keep]
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_dossiers as gen  # noqa: E402
from http_harness import (  # noqa: E402
    Server,
    describe_statuses,
    percentiles,
    run_clients,
)
from meters import CpuMeter, describe_cpu  # noqa: E402

GOAL_RATE = 2000
GOAL_P99_MS = 25.0
CACHE_URL = "redis://127.0.0.1:6379/9"
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def sample(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` received dossiers as (code, last 4 digits of the applicant's ID number)."""
    import random

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, applicant_id_number FROM dossiers_dossier TABLESAMPLE SYSTEM (3) "
            "REPEATABLE (%s) WHERE code IS NOT NULL LIMIT %s",
            [seed, n],
        )
        rows = [(code, number[-4:]) for code, number in cursor.fetchall()]
    random.Random(seed).shuffle(rows)
    return rows


def clear_cache(url: str) -> int:
    """Forget the tracking parts and limits of earlier runs: the first lookups start cold."""
    import redis

    client = redis.Redis.from_url(url)
    keys = [k for pattern in ("*track-page:*", "*ratelimit:track:*")
            for k in client.scan_iter(match=pattern, count=1000)]  # fmt: skip
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    return len(keys)


def fmt(figures: dict) -> str:
    return (
        f"p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, p99 {figures['p99']:.1f} ms, "
        f"max {figures['max']:.1f} ms"
    )


class InProcess:
    """Django's WSGI handler called directly: what one request costs the application."""

    def __init__(self) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.app = WSGIHandler()
        status, headers, body = self.call("GET", "/tra-cuu/")
        cookies = [v.strip().split(";", 1)[0] for h, v in headers if h.lower() == "set-cookie"]
        self.cookie = next(c for c in cookies if c.startswith("csrftoken="))
        self.token = _TOKEN.search(body).group(1).decode()

    def call(self, method: str, path: str, body: bytes = b"", cookie: str = ""):
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_ACCEPT": "text/html",
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        }  # fmt: skip
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        answer: dict = {}

        def start_response(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)

        body = b"".join(self.app(environ, start_response))
        return answer["status"], answer["headers"], body

    def lookup(self, code: str, last4: str) -> str:
        body = urlencode({"csrfmiddlewaretoken": self.token, "code": code, "last4": last4})
        status, _headers, _body = self.call("POST", "/tra-cuu/", body.encode(), self.cookie)
        return status


def measure_in_process(rows) -> dict:
    """Queries and CPU per lookup, first and repeat, in-process (best of 3 rounds)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = InProcess()
    first, again = rows[:1500], rows[:300]
    for code, last4 in rows[1500:1550]:  # warm-up: imports, compiled statement, templates
        app.lookup(code, last4)
    queries = []
    for _ in ("first", "repeat"):
        with CaptureQueriesContext(connection) as captured:
            status = app.lookup(*first[0])
        assert status.startswith("200"), status
        queries.append(len(captured.captured_queries))  # now: later requests reset the log

    def best(batches) -> float:
        times = []
        for batch in batches:
            cpu = time.process_time()
            for code, last4 in batch:
                app.lookup(code, last4)
            times.append((time.process_time() - cpu) * 1000 / len(batch))
        return min(times)

    first_ms = best([first[1:500], first[500:1000], first[1000:1500]])
    repeat_ms = best([again, again, again])
    return {"miss_queries": queries[0], "hit_queries": queries[1],
            "first_ms": first_ms, "repeat_ms": repeat_ms}  # fmt: skip


def csrf_pair(host: str, port: int) -> tuple[str, str]:
    """The CSRF cookie and form token of the tracking form (one pair serves every post)."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/tra-cuu/")
    response = conn.getresponse()
    body = response.read()
    cookie = ""
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            cookie = value.split(";", 1)[0]
    conn.close()
    match = _TOKEN.search(body)
    if not cookie or match is None:
        raise RuntimeError("the tracking form gave no CSRF cookie or token")
    return cookie, match.group(1).decode()


def run_phase(server, url, requests, clients, seconds) -> dict:
    with CpuMeter(server, url) as meter:
        results, wall = run_clients(server.host, server.port, requests, clients, seconds)
    spent = meter.spent()
    ok = [e - s for s, e, status in results if status == 200]
    return {
        "requests": len(results),
        "rate": len(ok) / wall if wall else 0.0,
        "figures": percentiles(ok or [0.0]),
        "errors": len(results) - len(ok),
        "statuses": describe_statuses(results),
        "cpu": describe_cpu(spent, len(results), os.cpu_count() or 1),
    }


def measure_http(url: str, rows, args) -> dict:
    from django.db import connections

    connections.close_all()
    server = Server(url, workers=args.workers, worker_class=args.worker_class,
                    threads=args.threads)  # fmt: skip
    with server:
        cookie, token = csrf_pair(server.host, server.port)
        headers = {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "text/html",
        }

        def post(row):
            body = urlencode({"csrfmiddlewaretoken": token, "code": row[0], "last4": row[1]})
            return ("POST", "/tra-cuu/", body, headers)

        warm = rows[-args.clients * 8 :]  # warm-up on dossiers the phases do not use
        run_clients(server.host, server.port, [post(r) for r in warm], args.clients, 60)
        fresh = rows[: min(args.requests, len(rows) - len(warm))]
        first = run_phase(server, url, [post(r) for r in fresh], args.clients, args.seconds)
        seen = fresh[: max(first["requests"], 1)]  # dossiers now in the cache
        repeat = [post(seen[i % len(seen)]) for i in range(args.requests)]
        again = run_phase(server, url, repeat, args.clients, args.seconds)
        probe = [("GET", "/healthz", None, {})] * args.requests
        floor = run_phase(server, url, probe, args.clients, args.seconds / 2)
        return {"server": server.describe(), "first": first, "repeat": again, "floor": floor}


def report_http(page: dict, clients: int) -> None:
    for label, phase in (("first lookups", page["first"]), ("repeat lookups", page["repeat"])):
        print(
            f"page POST /tra-cuu/, {label}, {clients} clients without pause: "
            f"{phase['requests']:,} requests, {phase['rate']:,.0f} lookups/s (goal ≥ "
            f"{GOAL_RATE:,}): {fmt(phase['figures'])} (goal p99 ≤ {GOAL_P99_MS:.0f} ms); "
            f"errors {phase['errors']} ({phase['statuses']})"
        )
        print(f"  {phase['cpu']}")
    floor = page["floor"]
    print(
        f"floor: GET /healthz (the same server and middleware, one SELECT 1, no page), "
        f"{clients} clients: {floor['rate']:,.0f} requests/s, {fmt(floor['figures'])}"
    )
    print(f"  {floor['cpu']}")


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=None, help="data set size (default: reuse)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sample", type=int, default=20000, help="dossiers drawn")
    parser.add_argument("--requests", type=int, default=8000, help="page lookups per phase")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="time bound of a phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--cache-url", default=CACHE_URL, help="Redis for the cache and limits")
    parser.add_argument("--db-url", default=gen.PG_URL)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    started = time.perf_counter()
    try:
        created = gen.ensure_database(args.db_url)
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL is not reachable at {args.db_url}: {exc}")
        return 1
    print(f"database: {gen.database_name(args.db_url)}{' (created)' if created else ''}")
    try:
        cleared = clear_cache(args.cache_url)
    except Exception as exc:  # noqa: BLE001
        args.cache_url = None
        print(f"cache: Redis not reachable ({exc}); each worker's own memory cache instead")
    else:
        os.environ["CACHE_URL"] = args.cache_url  # this process and the server it starts
        print(f"cache: {args.cache_url} ({cleared} tracking keys of earlier runs cleared)")
    print(gen.machine_note())
    try:
        info = gen.ensure_dataset(args.db_url, args.count, args.seed)
        rows = sample(args.sample, args.seed)
        print(f"tracking: {info['count']:,} dossiers; {len(rows):,} received ones drawn")
        inproc = measure_in_process(rows[-3000:])
        print(
            f"in-process POST /tra-cuu/ (application only): first lookup "
            f"{inproc['miss_queries']} SQL queries, CPU {inproc['first_ms']:.2f} ms; repeat "
            f"lookup {inproc['hit_queries']} SQL query, CPU {inproc['repeat_ms']:.2f} ms"
        )
        page = measure_http(args.db_url, rows[:-3000], args)
        print(f"server: {page['server']}")
        report_http(page, args.clients)
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
