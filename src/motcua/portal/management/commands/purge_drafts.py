"""``motcua purge-drafts``: delete citizens' drafts nobody touched for a while, with their
files. Run it daily from cron (docs/configuration.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.portal import drafts


class Command(BaseCommand):
    help = (
        "Xóa các bản nháp hồ sơ trực tuyến không được sửa trong N ngày (mặc định "
        "PORTAL_DRAFT_RETENTION_DAYS) cùng các tệp đính kèm; tệp còn được dùng ở nơi khác "
        "được giữ lại."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=settings.PORTAL_DRAFT_RETENTION_DAYS,
            help="Số ngày kể từ lần lưu gần nhất (mặc định: PORTAL_DRAFT_RETENTION_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không xóa gì.")

    def handle(self, *args, older_than_days: int, dry_run: bool, **options) -> None:
        if older_than_days < 1:
            raise CommandError("--older-than-days phải từ 1 trở lên.")
        summary = drafts.purge(older_than_days, dry_run=dry_run)
        cutoff = timezone.localtime(summary.cutoff).strftime("%H:%M %d/%m/%Y")
        if dry_run:
            self.stdout.write(
                f"Sẽ xóa {summary.drafts} bản nháp không sửa từ {cutoff} "
                f"({summary.files} tệp đính kèm). Chưa xóa gì (--dry-run)."
            )
            return
        self.stdout.write(
            f"Đã xóa {summary.drafts} bản nháp không sửa từ {cutoff} và {summary.files} tệp; "
            f"giữ lại {summary.kept} tệp còn được dùng ở nơi khác."
        )
