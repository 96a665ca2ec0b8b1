"""``motcua import-divisions``: load the national list of provinces and communes."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from motcua.org.services import import_divisions, national_divisions


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính (34 tỉnh, 3.321 xã) / Load administrative divisions."

    def handle(self, *args, **options):
        rows = national_divisions()
        show = options["verbosity"] > 0
        with tqdm(total=len(rows), unit="đơn vị", disable=not show, file=sys.stderr) as bar:
            summary = import_divisions(rows, progress=bar.update)
        self.stdout.write(
            f"Đơn vị hành chính: {summary.created} thêm mới, {summary.updated} cập nhật, "
            f"{summary.unchanged} không đổi (tổng {summary.total})."
        )
