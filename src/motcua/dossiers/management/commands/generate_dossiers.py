"""``motcua generate-dossiers``: fill the configured database with synthetic dossiers.

A thin wrapper around ``bench/generate_dossiers.py`` of a source checkout (the benchmark data
generator), for development databases: demo organisation and starter catalogue first, then
``--count`` dossiers with their steps and events, bulk-loaded with PostgreSQL ``COPY``. It
replaces every dossier of the database, so it asks for ``--yes`` when there are some, and it
refuses production settings and SQLite.
"""

from __future__ import annotations

import importlib.util
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Sinh hồ sơ giả lập (phát triển, PostgreSQL) / Fill the database with synthetic "
        "dossiers (development, PostgreSQL; replaces existing dossiers)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000, help="Số hồ sơ / dossiers.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=20_000, help="Dossiers per COPY batch.")
        parser.add_argument("--verify", action="store_true", help="Check keys, codes, events.")
        parser.add_argument(
            "--yes", action="store_true", help="Replace the dossiers already in the database."
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Không sinh dữ liệu giả khi MOTCUA_ENV=production.")
        if connection.vendor != "postgresql":
            raise CommandError("Chỉ hỗ trợ PostgreSQL (nạp bằng COPY) / PostgreSQL only.")
        if options["count"] < 1:
            raise CommandError("--count must be positive")
        path = settings.BASE_DIR / "bench" / "generate_dossiers.py"
        if not path.exists():
            raise CommandError(f"{path} not found: this command needs a source checkout.")
        from motcua.dossiers.models import Dossier

        if Dossier.objects.exists() and not options["yes"]:
            raise CommandError(
                "Cơ sở dữ liệu đã có hồ sơ; lệnh này thay thế toàn bộ. Thêm --yes để tiếp tục. / "
                "The database has dossiers; this replaces all of them: add --yes."
            )
        spec = importlib.util.spec_from_file_location("motcua_bench_generate_dossiers", path)
        generator = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = generator
        spec.loader.exec_module(generator)
        generator.prepare(out=self.stdout.write)
        generator.generate(
            generator.connection_url(),
            options["count"],
            options["seed"],
            batch=options["batch"],
            out=self.stdout.write,
            check=options["verify"],
        )
        generator.rebuild_stats(True, out=self.stdout.write)
