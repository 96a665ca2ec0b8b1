"""The benchmarks' PostgreSQL database and Django set-up, shared by the dossier generator and
every benchmark that measures on its data set (``motcua_bench`` unless ``--db-url``)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"
MARKER = "motcua-bench-dossiers"


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


def record_info(conn, url: str, info: dict | None) -> None:
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


if __name__ == "__main__":  # `python bench/bench_db.py --drop [URL]`: what `make bench` ends with
    import argparse

    parser = argparse.ArgumentParser(description="Drop the benchmarks' dossier database.")
    parser.add_argument("--drop", action="store_true", required=True)
    parser.add_argument("url", nargs="?", default=PG_URL)
    args = parser.parse_args()
    try:
        drop_database(args.url)
    except Exception as exc:  # noqa: BLE001 — PostgreSQL down: nothing to drop
        print(f"could not drop {database_name(args.url)}: {exc}")
    else:
        print(f"dropped {database_name(args.url)}")
