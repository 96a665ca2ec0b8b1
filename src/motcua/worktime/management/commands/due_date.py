"""``motcua due-date``: the due date (ngày hẹn trả) of a receipt, with the days counted.

Example::

    motcua due-date --agency 000.00.21.H42 --received "2026-02-13 16:20" --limit "3 ngày làm việc"
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.worktime.engine import Calendar, DueDate, Limit
from motcua.worktime.models import WEEKDAY_NAMES
from motcua.worktime.queries import calendar_for, calendar_row_for

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})")
_HAS_TIME = re.compile(r"\d[ T]\d{1,2}:\d{2}")


def local_label(instant: dt.datetime) -> str:
    """``Thứ Sáu 13/02/2026 16:20``: weekday in Vietnamese, local time to the minute."""
    return f"{WEEKDAY_NAMES[instant.weekday()]} {instant:%d/%m/%Y %H:%M}"


def day_label(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {day:%d/%m/%Y}"


def parse_received(text: str, calendar: Calendar) -> dt.datetime:
    """Local ``YYYY-MM-DD HH:MM`` or ``DD/MM/YYYY HH:MM`` (Asia/Ho_Chi_Minh), or ISO 8601
    with an offset; the result is in the calendar's zone."""
    text = text.strip()
    try:
        match = _DMY.fullmatch(text)
        if match:
            day, month, year, hour, minute = map(int, match.groups())
            value = dt.datetime(year, month, day, hour, minute)
        elif _HAS_TIME.search(text):
            value = dt.datetime.fromisoformat(text)
        else:
            raise ValueError
    except ValueError:
        raise CommandError(
            f"Thời điểm tiếp nhận không hợp lệ / invalid --received {text!r}: dùng "
            "“2026-02-13 16:20” (giờ Việt Nam), “13/02/2026 16:20” hoặc ISO 8601 có múi giờ."
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=calendar.tz)
    try:
        return value.astimezone(calendar.tz)
    except (OverflowError, ValueError):
        raise CommandError(
            f"Thời điểm tiếp nhận nằm ngoài phạm vi / --received out of range: {text!r}"
        ) from None


class Command(BaseCommand):
    help = (
        "Tính ngày hẹn trả từ thời điểm tiếp nhận và thời hạn giải quyết / Compute the due "
        "date of a receipt from its processing time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--agency",
            metavar="CODE",
            help="Mã định danh cơ quan (vd. 000.00.21.H42); bỏ trống: lịch chung.",
        )
        parser.add_argument(
            "--received",
            metavar="WHEN",
            help="Thời điểm tiếp nhận, giờ Việt Nam: “2026-02-13 16:20”; mặc định: bây giờ.",
        )
        parser.add_argument(
            "--limit",
            required=True,
            help="Thời hạn: “3 ngày làm việc”, “8 giờ làm việc”, “15 ngày”, “1 tháng”, "
            "“trong ngày” (hoặc tiếng Anh).",
        )

    def handle(self, *args, **options):
        agency = self._agency(options["agency"])
        try:
            limit = Limit.parse(options["limit"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        calendar = calendar_for(agency)
        received = (
            parse_received(options["received"], calendar)
            if options["received"]
            else timezone.now().astimezone(calendar.tz)
        )
        try:
            result = calendar.explain(received, limit)
        except (ValueError, OverflowError) as exc:
            raise CommandError(str(exc)) from None
        row = calendar_row_for(agency)
        self._print(result, row.name if row else "Lịch mặc định (không có dữ liệu lịch)")

    def _agency(self, code: str | None):
        if not code:
            return None
        from motcua.org.models import Agency

        agency = Agency.objects.filter(identifier=code.strip()).first()
        if agency is None:
            raise CommandError(
                f"Không tìm thấy cơ quan có mã định danh {code!r} / unknown agency identifier."
            )
        return agency

    def _print(self, result: DueDate, calendar_name: str) -> None:
        write = self.stdout.write
        write(f"Lịch làm việc:   {calendar_name}")
        write(f"Tiếp nhận:       {local_label(result.received)}")
        if result.clock_start != result.received.replace(second=0, microsecond=0):
            write(f"Bắt đầu tính:    {local_label(result.clock_start)}")
        write(f"Thời hạn:        {result.limit} ({result.limit.english()})")
        write(self.style.SUCCESS(f"Hẹn trả:         {local_label(result.due)}"))
        days = result.counted_days
        write(f"Ngày làm việc được tính ({len(days)}):")
        for number, day in enumerate(days, start=1):
            write(f"  {number:>3}. {day_label(day)}")
