"""Import time of the national catalogue and catalogue search latency, on SQLite and PostgreSQL.

For each database, a child process of this script (Django reads its settings once per process)
creates a fresh database, runs ``migrate``, times ``import-procedures`` on the national data
folder (``settings.PROCEDURE_DATA_DIR``, i.e. ``../shared/data/procedures``; the starter
catalogue of ``demo-catalogue`` when it is missing), then times the public catalogue's read
path: ``Paginator(find_procedures(filters), 20)``, first page materialised, for realistic
queries (a fixed list of common ones plus fragments of real names, folded, upper-cased,
with ``i``/``y`` variants, dropped words and typos; fixed seed), without and with a field and
level filter. Everything lives in a temporary folder and a ``motcua_bench_catalogue``
PostgreSQL database, both removed at the end. Prints figures only. Goals: import ≤ 60 s, search
p95 ≤ 20 ms.

    python bench/bench_catalogue.py [--queries 1000] [--seed 2026] [--databases sqlite,postgresql]
                                    [--data DIR] [--pg-url URL] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

IMPORT_GOAL_S = 60.0
SEARCH_P95_GOAL_MS = 20.0
# Not ``motcua_bench``: bench/generate_dossiers.py keeps its (costly) dossier data set there.
PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_catalogue"
DATABASES = ("sqlite", "postgresql")
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

#: What people type most often (kept as typed: with and without marks, upper case, typos).
COMMON_QUERIES = [
    "dang ky khai sinh",
    "khai sinh",
    "ket hon",
    "DANG KY KET HON",
    "đăng kí kết hôn",
    "Đăng ký kết hôn",
    "thuong tru",
    "cap giay phep xay dung",
    "giay phep xay dung",
    "giay phep lai xe",
    "cấp đổi giấy phép lái xe",
    "ho kinh doanh",
    "dang ky ho kinh doanh",
    "chung thuc",
    "chứng thực bản sao",
    "dang ky tam tru",
    "khai tu",
    "trich luc ho tich",
    "nhan con nuoi",
    "ho chieu",
    "can cuoc",
    "dat dai",
    "ma so thue",
    "hoan thue",
    "thanh lap doanh nghiep",
    "xuat khau",
    "giam ho",
    "khai sihn",
    "xay dugn",
    "ket hom",
]

# --- Orchestrator (no Django here) ----------------------------------------------------------


def pg_admin(url: str):
    """A connection to the server's ``postgres`` database, or the reason there is none."""
    try:
        import psycopg
    except ImportError as exc:
        return None, f"psycopg is not installed ({exc})"
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        return psycopg.connect(admin, autocommit=True, connect_timeout=3), ""
    except psycopg.Error as exc:
        return None, str(exc).strip().splitlines()[0]


def pg_recreate(conn, name: str, *, create: bool) -> None:
    """Drop the bench database (``WITH (FORCE)``: a dead child may hold it) and maybe recreate."""
    from psycopg import sql

    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    if create:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run_child(database: str, url: str, folder: Path, args) -> dict | None:
    """Run this script in a child process on ``url``; its figures, or ``None`` if it failed."""
    folder.mkdir(parents=True, exist_ok=True)
    result = folder / "result.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DATABASE_URL": url,
        "DATA_DIR": str(folder),  # the problems CSV of the import lands here
        "DEBUG": "false",  # as in production: no query log kept in memory
        "LOG_LEVEL": "WARNING",
    }
    if args.data:
        env["PROCEDURE_DATA_DIR"] = str(Path(args.data).resolve())
    command = [sys.executable, str(Path(__file__).resolve()), "--database", database]
    command += ["--result", str(result), "--queries", str(args.queries), "--seed", str(args.seed)]
    command += ["--profile"] if args.profile else []
    sys.stdout.flush()
    code = subprocess.run(command, env=env, check=False).returncode
    if code != 0 or not result.exists():
        print(f"{LABELS[database]}: the child process failed (exit {code}); no figures")
        return None
    return json.loads(result.read_text(encoding="utf-8"))


#: What :func:`run_postgresql` returns when there is no server to measure (not a failure).
SKIPPED: dict = {}


def run_postgresql(folder: Path, args) -> dict | None:
    """The child on a fresh bench database, dropped afterwards; :data:`SKIPPED` if no server."""
    name = urlsplit(args.pg_url).path.lstrip("/")
    if "bench" not in name:  # it is dropped at the end: never touch a real database
        print(f"refusing to use {name!r}: the PostgreSQL bench database name must contain 'bench'")
        return SKIPPED
    conn, reason = pg_admin(args.pg_url)
    if conn is None:
        print(f"PostgreSQL is not reachable at {args.pg_url}: {reason}")
        print("continuing with SQLite only (start PostgreSQL with scripts/ensure-postgres.sh)")
        return SKIPPED
    import psycopg

    try:
        pg_recreate(conn, name, create=True)
    except psycopg.Error as exc:
        print(f"cannot create the PostgreSQL database {name!r}: {exc}; continuing without it")
        conn.close()
        return SKIPPED
    try:
        return run_child("postgresql", args.pg_url, folder, args)
    finally:
        pg_recreate(conn, name, create=False)
        conn.close()


def fmt(value, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def print_table(rows: list[dict]) -> None:
    header = ["database", "import s", "records", "search p50 ms", "p95 ms", "filtered p95 ms"]
    lines = [
        [
            row["database"],
            fmt(row["import_s"], ".1f"),
            fmt(row["records"], ","),
            fmt(row["search"]["p50"], ".1f"),
            fmt(row["search"]["p95"], ".1f"),
            fmt(row["filtered"]["p95"], ".1f"),
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    print()
    print(
        " | ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        cells = zip(line, widths, strict=True)
        print(" | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells)))
    missed = []
    for row in rows:
        if row["import_s"] is not None and row["import_s"] > IMPORT_GOAL_S:
            missed.append(f"{row['database']} import {row['import_s']:.1f} s")
        for key, what in (("search", "search"), ("filtered", "filtered search")):
            if row[key]["p95"] > SEARCH_P95_GOAL_MS:
                missed.append(f"{row['database']} {what} p95 {row[key]['p95']:.1f} ms")
    print(f"goals: import ≤ {IMPORT_GOAL_S:.0f} s, search p95 ≤ {SEARCH_P95_GOAL_MS:.0f} ms")
    print("missed: " + ("; ".join(missed) if missed else "none"))
    if any(row["catalogue"] != "national" for row in rows):
        print("note: measured on the starter catalogue, not the national one (data folder missing)")


def orchestrate(args) -> int:
    started = time.perf_counter()
    wanted = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = sorted(set(wanted) - set(DATABASES))
    if unknown:
        print(f"unknown database(s): {', '.join(unknown)} (choose from {', '.join(DATABASES)})")
        return 2
    load_before = machine_load()
    folder = Path(tempfile.mkdtemp(prefix="motcua-bench-catalogue-"))
    rows, failed = [], False
    try:
        for database in wanted:
            print(f"== {LABELS[database]} ==")
            if database == "sqlite":
                url = f"sqlite:///{folder / 'sqlite' / 'bench.sqlite3'}"
                row = run_child(database, url, folder / "sqlite", args)
            else:
                row = run_postgresql(folder / "postgresql", args)
                if row is SKIPPED:
                    continue
            failed |= row is None
            if row:
                rows.append(row)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if rows:
        print_table(rows)
    print(f"total bench time: {time.perf_counter() - started:.0f} s")
    cpus, load_after = os.cpu_count() or 1, machine_load()
    print(f"machine: {cpus} CPUs, load average {load_before:.1f} before, {load_after:.1f} after")
    if max(load_before, load_after) > cpus - 0.5:
        print("warning: the machine was busy with other work; these figures are pessimistic")
    return 1 if failed else 0


def machine_load() -> float:
    """The one-minute load average (0 where the system does not say)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


# --- Child: one database, Django set up from the environment ---------------------------------

_Y_TO_I = str.maketrans("yýỳỷỹỵYÝỲỶỸỴ", "iíìỉĩịIÍÌỈĨỊ")
_SHORT_Y = re.compile(r"^(?:[bcdđghklmnpqrstvx]{0,2})[yýỳỷỹỵ]$", re.IGNORECASE)  # ký, lý, quy
_PUNCTUATION = ",.;:()[]\"'“”‘’/-–"


def i_for_y(words: list[str]) -> list[str]:
    """The other accepted spelling of syllables like ``ký``/``kí``, ``lý``/``lí``, ``quy``."""
    return [w.translate(_Y_TO_I) if _SHORT_Y.match(w) else w for w in words]


def typo(rng: random.Random, word: str) -> str:
    """One slip of the finger: two letters swapped, one dropped or one doubled."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def query_from_name(rng: random.Random, name: str, fold) -> str:
    """What someone looking for ``name`` might type."""
    words = [w.strip(_PUNCTUATION) for w in name.split()]
    words = [w for w in words if w]
    if len(words) > 2 and [w.casefold() for w in words[:2]] == ["thủ", "tục"]:
        words = words[2:]
    if rng.random() > 0.15:  # most people type a fragment, often the head of the name
        size = min(len(words), rng.choice((2, 2, 3, 3, 3, 4, 4, 5)))
        start = 0 if rng.random() < 0.5 else rng.randrange(len(words) - size + 1)
        words = words[start : start + size]
    if len(words) >= 3 and rng.random() < 0.2:
        del words[rng.randrange(1, len(words) - 1)]
    if rng.random() < 0.15:
        words = i_for_y(words)
    if rng.random() < 0.55:
        words = fold(" ".join(words)).split()
    if rng.random() < 0.2:
        long = [i for i, w in enumerate(words) if len(w) >= 4]
        if long:
            i = rng.choice(long)
            words[i] = typo(rng, words[i])
    text = " ".join(words)
    if rng.random() < 0.1:
        text = text.upper()
    elif rng.random() < 0.2:
        text = text.lower()
    return text


def shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def percentiles(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "mean": statistics.fmean(ms),
        "max": max(ms),
    }


def child(args) -> None:
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection

    from motcua.catalog.importer import jsonl_files
    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.queries import CatalogueFilters, find_procedures, published_versions
    from motcua.core.text import fold
    from motcua.portal.views import PAGE_SIZE

    sql = "select sqlite_version()" if connection.vendor == "sqlite" else "show server_version"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        version = cursor.fetchone()[0]
    print(f"{LABELS[args.database]} {version}, {settings.DATABASES['default']['NAME']}")

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrate: {time.perf_counter() - start:.1f} s")

    data = Path(settings.PROCEDURE_DATA_DIR)
    files = jsonl_files([data]) if data.is_dir() else []
    import_s = None
    if files:
        out = StringIO()
        problems = Path(settings.DATA_DIR) / "import-problems.csv"
        start = time.perf_counter()
        call_command("import_procedures", str(data), verbosity=0, problems=problems, stdout=out)
        import_s = time.perf_counter() - start
        records = ProcedureVersion.objects.count()
        print(
            f"import-procedures {data} ({len(files)} files): {import_s:.1f} s, "
            f"{records:,} records, {records / import_s:,.0f} records/s "
            f"(goal ≤ {IMPORT_GOAL_S:.0f} s)"
        )
        print("  " + out.getvalue().strip().split(" Vấn đề:")[0])
    else:
        print(f"no national data in {data}: import not timed; measuring the starter catalogue")
        call_command("demo_catalogue", stdout=StringIO())
        records = ProcedureVersion.objects.count()

    if connection.vendor == "postgresql":
        # Autovacuum analyses new tables within a minute or so in production; CI servers
        # often run with it off. Collect statistics now so plans do not change mid-run.
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            autovacuum = cursor.fetchone()[0]
            start = time.perf_counter()
            cursor.execute("ANALYZE")
        print(
            f"ANALYZE after loading: {time.perf_counter() - start:.1f} s "
            f"(not counted; autovacuum is {autovacuum} on this server)"
        )

    rows = list(published_versions().order_by("pk").values_list("name", "field__code", "levels"))
    print(f"catalogue: {records:,} versions, {len(rows):,} published and unflagged")

    def page_of(q: str, field: str = "", level: str = ""):
        """The catalogue page's work: filters from the request, the paginator, page 1."""
        filters = CatalogueFilters.from_params({"q": q, "field": field, "level": level})
        page = Paginator(find_procedures(filters), PAGE_SIZE).get_page(1)
        return list(page.object_list), page.paginator.count

    def where(field: str | None, levels: str) -> tuple[str, str]:
        codes = [code for code in levels.split(",") if code]
        return field or "", codes[0] if codes else ""

    # Queries: the common ones, then fragments of real names (fixed seed), shuffled.
    rng = random.Random(args.seed)
    common = COMMON_QUERIES[: args.queries]
    made = [rng.choice(rows) for _ in range(args.queries - len(common))]
    queries = [(q, None) for q in common]
    queries += [(query_from_name(rng, name, fold), where(f, lv)) for name, f, lv in made]
    # Warm-up (connection, vocabulary of known words, caches) with the common queries; it also
    # gives them the field and level of their best hit for the filtered run.
    top = {}
    for q in common:
        hits, _ = page_of(q)
        best = next((h for h in hits if h.field and h.levels), None)
        top[q] = (best.field.code, best.levels[0].code) if best else where(*rng.choice(rows)[1:])
    queries = [(q, top[q] if place is None else place) for q, place in queries]
    rng.shuffle(queries)
    print(
        f"queries: {len(queries):,} ({len(common)} common, {len(queries) - len(common):,} from "
        f"real names; seed {args.seed}), e.g. "
        + ", ".join(repr(shorten(q)) for q, _ in queries[:6])
    )

    def measure(label: str, with_filters: bool) -> dict:
        for q, place in queries[:20]:  # warm-up
            page_of(q, *(place if with_filters else ()))
        seconds, empty, slowest = [], 0, []
        for q, place in queries:
            start = time.perf_counter()
            _page, count = page_of(q, *(place if with_filters else ()))
            elapsed = time.perf_counter() - start
            seconds.append(elapsed)
            empty += not count
            slowest.append((elapsed, q))
        figures = {**percentiles(seconds), "empty": empty}
        print(
            f"{label}: p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, "
            f"p99 {figures['p99']:.1f} ms, mean {figures['mean']:.1f} ms, "
            f"max {figures['max']:.1f} ms; {empty} of {len(queries)} with no result"
        )
        worst = sorted(slowest, reverse=True)[:3]
        print("  slowest: " + ", ".join(f"{shorten(q)!r} {s * 1000:.0f} ms" for s, q in worst))
        return figures

    search = measure("search, first page of 20", with_filters=False)
    filtered = measure("search + field + level, first page", with_filters=True)

    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        for q, _place in queries:
            page_of(q)
        profile.disable()
        print("profile of the unfiltered run (cumulative time, top 25):")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(25)

    result = {
        "database": LABELS[args.database],
        "version": version,
        "catalogue": "national" if files else "starter",
        "import_s": import_s,
        "records": records,
        "published": len(rows),
        "search": search,
        "filtered": filtered,
    }
    Path(args.result).write_text(json.dumps(result), encoding="utf-8")
    connection.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000, help="timed queries per run")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--databases", default=",".join(DATABASES), help="comma-separated")
    parser.add_argument("--data", help="national data folder (default: PROCEDURE_DATA_DIR)")
    parser.add_argument("--pg-url", default=PG_URL, help="PostgreSQL bench database (dropped)")
    parser.add_argument("--profile", action="store_true", help="cProfile the search run")
    parser.add_argument("--database", choices=DATABASES, help=argparse.SUPPRESS)  # child
    parser.add_argument("--result", help=argparse.SUPPRESS)  # child: where to write figures
    args = parser.parse_args(argv)
    if args.database:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
        child(args)
    else:
        sys.exit(orchestrate(args))


if __name__ == "__main__":
    main()
