"""``motcua import-procedures PATH [PATH…]``: import the national procedure catalogue."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from motcua.catalog.importer import import_procedures, jsonl_files, read_records, write_problems


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp JSONL / Import procedures from JSONL "
        "(mặc định: PROCEDURE_DATA_DIR)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Tệp .jsonl hoặc thư mục chứa chúng.")
        parser.add_argument("--problems", help="Đường dẫn tệp CSV ghi các vấn đề.")

    def handle(self, *args, **options):
        paths = options["paths"] or [settings.PROCEDURE_DATA_DIR]
        try:
            files = jsonl_files(paths)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        if not files:
            raise CommandError(f"Không có tệp .jsonl nào trong: {', '.join(map(str, paths))}")
        total = sum(1 for _ in read_records(files))
        started = time.monotonic()
        with tqdm(
            total=total, unit="thủ tục", disable=options["verbosity"] == 0, file=sys.stderr
        ) as bar:
            report = import_procedures(files, progress=bar.update)
        elapsed = time.monotonic() - started
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        problems = Path(options["problems"] or Path(settings.DATA_DIR) / f"import-{stamp}.csv")
        write_problems(report, problems)
        self.stdout.write(
            f"Thủ tục: {report.created} thêm mới, {report.updated} cập nhật, "
            f"{report.unchanged} không đổi, {report.flagged} gắn cờ, {report.failed} lỗi "
            f"({report.warnings} cảnh báo) trong {elapsed:.1f} giây. Vấn đề: {problems}"
        )
