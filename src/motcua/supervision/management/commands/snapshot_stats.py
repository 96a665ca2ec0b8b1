"""``motcua snapshot-stats``: write the month-end snapshots of the dossiers open at the end
of each closed month (``motcua.supervision.snapshots``). Idempotent: a month that has its
snapshot is left as it is unless ``--replace``. Meant for cron, daily shortly after
midnight (docs/supervision.md): on the first day of a month it writes the month just ended,
on the other days it finds it there and does nothing."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.supervision import snapshots


def _month(text: str) -> dt.date:
    try:
        first = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(f"Tháng không hợp lệ: {text!r} (dạng YYYY-MM, ví dụ 2026-03).") from exc
    return snapshots.month_end(first)


class Command(BaseCommand):
    help = (
        "Ghi số liệu hồ sơ đang giải quyết cuối tháng (mặc định: tháng vừa kết thúc). / "
        "Write the month-end snapshots of open dossiers (default: the month just ended)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--month", type=_month, help="Tháng cần ghi, dạng YYYY-MM.")
        which.add_argument(
            "--all",
            action="store_true",
            help="Mọi tháng đã kết thúc, từ tháng có hồ sơ tiếp nhận đầu tiên.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Tính lại cả tháng đã có số liệu (theo hồ sơ hiện nay: mất tính cố định).",
        )

    def handle(self, *args, month=None, all=False, replace=False, **options):
        now = timezone.now()
        if month is not None:
            if month > snapshots.last_closed(now):
                raise CommandError(
                    f"Tháng {month:%m/%Y} chưa kết thúc: chỉ ghi số liệu của tháng đã qua."
                )
            days = [month]
        else:
            days = snapshots.months_to_take(now, every=all)
        verbose = options["verbosity"] >= 1

        def progress(snapshot, written: bool) -> None:
            if verbose:
                what = "đã ghi" if written else "đã có, giữ nguyên"
                self.stdout.write(
                    f"  {snapshot.month_end:%m/%Y}: {snapshot.dossiers} hồ sơ đang giải quyết "
                    f"({what})"
                )

        written, kept = snapshots.take_many(days, now=now, replace=replace, progress=progress)
        self.stdout.write(f"Xong: {written} tháng ghi mới, {kept} tháng đã có.")
