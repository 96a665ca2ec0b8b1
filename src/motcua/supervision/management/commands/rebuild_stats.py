"""``motcua rebuild-stats``: recompute every supervision aggregate from the dossier events."""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.supervision import services


class Command(BaseCommand):
    help = (
        "Tính lại toàn bộ số liệu tổng hợp từ nhật ký sự kiện hồ sơ. / "
        "Recompute the supervision aggregates from the dossier events."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            type=int,
            default=settings.SUPERVISION_REBUILD_BATCH,
            help="Số hồ sơ mỗi giao dịch (mặc định SUPERVISION_REBUILD_BATCH).",
        )

    def handle(self, *args, batch: int, **options):
        verbose = options["verbosity"] >= 1

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stdout.write(f"  {done}/{total} hồ sơ")

        if verbose:
            self.stdout.write("Xóa số liệu tổng hợp cũ, tính lại từ sự kiện hồ sơ …")
        count = services.rebuild(batch=batch, progress=progress)
        rows = services.DailyStat.objects.count()
        self.stdout.write(f"Xong: {count} hồ sơ, {rows} dòng số liệu theo ngày.")
