"""Where a request's time goes, in-process (Django test client, same database): its SQL
statements with the module of ours that issued each, its CPU time, and a cProfile of a
few requests by CPU time (not wall time: waiting for the database is left out), summed
by package — Django's ORM, the rest of Django, psycopg, django-ninja and pydantic, each
app of ours, the standard library."""

from __future__ import annotations

import cProfile
import pstats
import re
import sys
import time
import traceback
from collections import Counter

#: Package groups of the CPU summary, first match wins.
GROUPS = (
    ("django ORM (compiling, instances)", r"site-packages/django/db/models/"),
    ("django database layer", r"site-packages/django/db/"),
    ("psycopg", r"site-packages/psycopg"),
    ("django-ninja + pydantic", r"site-packages/(ninja|pydantic)"),
    ("django request, middleware, rest", r"site-packages/django/"),
    ("other libraries", r"site-packages/"),
)


#: Functions of ours that issue statements for their callers (the caller is named instead).
SHARED_HELPERS = {("dossiers.intake", "insert")}


def _group(filename: str) -> str:
    match = re.search(r"/src/motcua/(\w+)", filename)
    if match:
        return f"motcua.{match.group(1)}"
    for label, pattern in GROUPS:
        if re.search(pattern, filename):
            return label
    return "Python built-ins and standard library"


def _origin() -> str:
    """The first frame of ours (outside the API views) below a query: who issued it."""
    frames = traceback.extract_stack()
    ours = [f for f in frames if "/src/motcua/" in f.filename]
    for frame in reversed(ours):
        module = frame.filename.split("/src/motcua/")[1].removesuffix(".py").replace("/", ".")
        if (module, frame.name) in SHARED_HELPERS:
            continue  # a helper other apps call: the statement is its caller's
        if not module.startswith("api."):
            return module
    return ours[-1].filename.split("/src/motcua/")[1] if ours else "django/other"


def _print_locked_span(captured: list, commits: list) -> None:
    """How long the daily number's row stays locked: from taking it to the end of the
    commit, the statements in between and how much of the span they waited for."""
    taken = [c for c in captured if "dailysequence" in c[3].lower()]
    if not taken or not commits:
        return
    start = taken[0][1]
    ends = [end for begun, end in commits if begun >= start]
    if not ends:
        return
    inside = [c for c in captured if start <= c[1] < ends[0]]
    waited = sum(c[2] for c in inside)
    commit = next(end - begun for begun, end in commits if begun >= start)
    span = ends[0] - start
    print(
        f"profile: daily number locked for {span * 1000:.1f} ms: {len(inside)} statements "
        f"({waited * 1000:.1f} ms), commit {commit * 1000:.1f} ms, Python "
        f"{(span - waited - commit) * 1000:.1f} ms"
    )


def profile_requests(requests: list, *, top: int = 25, runs: int = 50) -> None:
    """Profile ``requests`` [(method, path, body, headers)] in-process."""
    from django.db import connection
    from django.test import Client

    client = Client()

    def send(request, suffix: str) -> int:
        method, path, body, headers = request
        extra = {"HTTP_AUTHORIZATION": headers["Authorization"]}
        if "Idempotency-Key" in headers:
            extra["HTTP_IDEMPOTENCY_KEY"] = headers["Idempotency-Key"] + suffix
        call = getattr(client, method.lower())
        if body is None:
            return call(path, **extra).status_code
        return call(path, data=body, content_type="application/json", **extra).status_code

    send(requests[0], "-profile")  # warm-up: imports, calendars, kept look-ups
    captured: list[tuple[str, float, float, str]] = []  # origin, start, seconds, SQL

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((_origin(), start, time.perf_counter() - start, sql))

    commits: list[tuple[float, float]] = []
    real_commit = connection.commit

    def timed_commit():
        begun = time.perf_counter()
        try:
            return real_commit()
        finally:
            commits.append((begun, time.perf_counter()))

    connection.commit = timed_commit
    try:
        with connection.execute_wrapper(wrapper):
            start = time.perf_counter()
            status = send(requests[1], "-profile")
            elapsed = time.perf_counter() - start
    finally:
        del connection.commit
    by_origin = Counter(origin for origin, *_rest in captured)
    print(
        f"profile: one request in-process: HTTP {status}, {elapsed * 1000:.1f} ms, "
        f"{len(captured)} statements ({sum(c[2] for c in captured) * 1000:.1f} ms "
        "waiting for them): " + ", ".join(f"{origin} {n}" for origin, n in by_origin.most_common())
    )
    for origin, _started, seconds, sql in captured:
        print(f"  {seconds * 1000:6.2f} ms  {origin:<28} {' '.join(sql.split())[:110]}")
    _print_locked_span(captured, commits)
    sample = requests[2 : 2 + runs]
    cpu = time.process_time()
    for request in sample:
        send(request, "-profile")
    per_request = (time.process_time() - cpu) / max(len(sample), 1) * 1000
    print(
        f"profile: CPU per request in-process, test client included: {per_request:.1f} ms "
        f"over {len(sample)} requests"
    )
    sample = requests[2 + runs : 2 + 2 * runs] or sample
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for request in sample:
        send(request, "-profile-2")
    profiler.disable()
    stats = pstats.Stats(profiler)
    groups: Counter = Counter()
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        groups[_group(filename)] += own
    total = sum(groups.values()) or 1.0
    print(f"profile: own CPU time by package over {len(sample)} requests (cProfile shares):")
    for label, own in groups.most_common():
        print(f"  {own / total * 100:5.1f} %  {label}")
    print(f"profile: top {top} by cumulative CPU time:")
    stats.stream = sys.stdout
    stats.sort_stats("cumulative").print_stats(top)
