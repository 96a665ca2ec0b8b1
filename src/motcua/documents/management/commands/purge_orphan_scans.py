"""``motcua purge-orphan-scans``: delete stored files attached to nothing (for cron).

Scans the desk kept for dossiers never received, and any other file no dossier and no row
refers to, once older than ``--older-than`` hours (default ``ORPHAN_SCAN_HOURS``, as the
purge task and the register print use); a blob shared with another file stays.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.documents import purge


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "Xóa các tệp không gắn với hồ sơ nào và không được bản ghi nào dùng (tệp quét của "
            "hồ sơ không được tiếp nhận) khi đã cũ hơn số giờ cho trước. Nội dung dùng chung "
            "với tệp khác được giữ lại."
        )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="GIỜ",
            help=_(
                "Chỉ xóa tệp lưu trước đây quá số giờ này (mặc định theo ORPHAN_SCAN_HOURS, "
                "hiện là %(hours)s)."
            )
            % {"hours": settings.ORPHAN_SCAN_HOURS},
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Chỉ đếm các tệp sẽ bị xóa, không xóa gì."),
        )

    def handle(self, *args, **options) -> None:
        hours = options["older_than"]
        if hours is None:
            hours = settings.ORPHAN_SCAN_HOURS
        if hours < 0:
            raise CommandError(_("--older-than phải là số giờ không âm."))
        before = timezone.now() - dt.timedelta(hours=hours)

        def progress(done: int, total: int) -> None:
            if done == total or done % 100 == 0:
                line = ngettext("  %(done)s/%(total)s tệp", "  %(done)s/%(total)s tệp", total)
                self.stdout.write(line % {"done": done, "total": total})

        summary = purge.purge_orphan_scans(
            before=before, dry_run=options["dry_run"], progress=progress
        )
        self.stdout.write(self._summary(summary, hours))

    @staticmethod
    def _summary(summary: purge.PurgeSummary, hours: int) -> str:
        values = {
            "rows": summary.rows,
            "hours": hours,
            "blobs": summary.blobs,
            "mb": f"{summary.bytes / 1_000_000:.1f}",
            "shared": summary.shared,
        }
        if summary.dry_run:
            head = ngettext(
                "Chạy thử: sẽ xóa %(rows)s tệp không gắn với hồ sơ nào, lưu cách đây hơn "
                "%(hours)s giờ.",
                "Chạy thử: sẽ xóa %(rows)s tệp không gắn với hồ sơ nào, lưu cách đây hơn "
                "%(hours)s giờ.",
                summary.rows,
            )
        else:
            head = ngettext(
                "Đã xóa %(rows)s tệp không gắn với hồ sơ nào, lưu cách đây hơn %(hours)s giờ.",
                "Đã xóa %(rows)s tệp không gắn với hồ sơ nào, lưu cách đây hơn %(hours)s giờ.",
                summary.rows,
            )
        freed = ngettext(
            "Giải phóng %(blobs)s nội dung lưu trữ (%(mb)s MB).",
            "Giải phóng %(blobs)s nội dung lưu trữ (%(mb)s MB).",
            summary.blobs,
        )
        kept = ngettext(
            "Giữ nội dung của %(shared)s tệp vì tệp khác còn dùng chung.",
            "Giữ nội dung của %(shared)s tệp vì tệp khác còn dùng chung.",
            summary.shared,
        )
        return " ".join((head % values, freed % values, kept % values))
