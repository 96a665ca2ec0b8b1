"""Seed the national default calendar and the official day swaps of 2024–2026.

What ``holidays`` 0.108 (``country_holidays("VN")`` and its ``weekend_workdays``) already
has for 2024–2026, checked against the government's decisions: New Year's Day, the five
weekdays of Tết (2024: 8–9 and 12–14/2; 2025: 27–31/1; 2026: 16–20/2), Hùng Kings (2026:
Sun 26/4 → Mon 27/4 off, Labour Code Art. 111), 30/4, 1/5, 2/9 with its adjacent day and
24/11 from 2026, and the swaps 29/4 ↔ 4/5/2024, 2/5 ↔ 26/4/2025 and 31/8 ↔ 22/8/2026.
It lacks the 2026 New Year swap (Fri 2/1/2026 off, Sat 10/1/2026 worked).

Rows seeded: that missing swap, and the three swaps the library has, because a swap is a
yearly decision rather than a rule of the Labour Code: recording it with its reference
keeps the calendar right whatever the library version. The Tết and holiday days that follow
from the Labour Code itself are not repeated. Document numbers are given only where known
with confidence; otherwise the decision is described plainly.
"""

import datetime as dt

from django.db import migrations

DEFAULT_NAME = "Lịch làm việc chung (toàn quốc)"

SWAP_2024 = (
    "Công văn số 2450/VPCP-KGVX năm 2024 của Văn phòng Chính phủ: hoán đổi ngày làm việc "
    "dịp 30/4–1/5/2024 (nghỉ thứ Hai 29/4, làm bù thứ Bảy 04/5/2024)"
)
SWAP_2025 = (
    "Phương án nghỉ dịp 30/4–1/5/2025 được Thủ tướng Chính phủ đồng ý (thông báo của Bộ "
    "Nội vụ): nghỉ thứ Sáu 02/5/2025, làm bù thứ Bảy 26/4/2025"
)
SWAP_2026_NEW_YEAR = (
    "Phương án nghỉ Tết Dương lịch 2026 do Bộ Nội vụ đề xuất, được Phó Thủ tướng Chính phủ "
    "đồng ý: nghỉ thứ Sáu 02/01/2026, làm bù thứ Bảy 10/01/2026"
)
SWAP_2026_NEW_YEAR_NOTE = (
    "Thư viện holidays chưa có. Báo chí dẫn Công văn số 12729/VPCP-KGVX ngày 25/12/2025 "
    "của Văn phòng Chính phủ; đối chiếu bản gốc trước khi trích dẫn số văn bản."
)
SWAP_2026_NATIONAL_DAY = (
    "Phương án nghỉ lễ Quốc khánh 2026 được Thủ tướng Chính phủ đồng ý (thông báo của Bộ "
    "Nội vụ): nghỉ thứ Hai 31/8/2026, làm bù thứ Bảy 22/8/2026"
)
IN_LIBRARY = "Thư viện holidays đã có; ghi lại để lưu căn cứ pháp lý."

# (date, kind, legal reference, note)
OVERRIDES = (
    (dt.date(2024, 4, 29), "day_off", SWAP_2024, IN_LIBRARY),
    (dt.date(2024, 5, 4), "working_day", SWAP_2024, IN_LIBRARY),
    (dt.date(2025, 4, 26), "working_day", SWAP_2025, IN_LIBRARY),
    (dt.date(2025, 5, 2), "day_off", SWAP_2025, IN_LIBRARY),
    (dt.date(2026, 1, 2), "day_off", SWAP_2026_NEW_YEAR, SWAP_2026_NEW_YEAR_NOTE),
    (dt.date(2026, 1, 10), "working_day", SWAP_2026_NEW_YEAR, SWAP_2026_NEW_YEAR_NOTE),
    (dt.date(2026, 8, 22), "working_day", SWAP_2026_NATIONAL_DAY, IN_LIBRARY),
    (dt.date(2026, 8, 31), "day_off", SWAP_2026_NATIONAL_DAY, IN_LIBRARY),
)


def seed(apps, schema_editor):
    WorkCalendar = apps.get_model("worktime", "WorkCalendar")
    CalendarOverride = apps.get_model("worktime", "CalendarOverride")
    if not WorkCalendar.objects.filter(agency__isnull=True, country="VN").exists():
        WorkCalendar.objects.create(name=DEFAULT_NAME, country="VN")
    for day, kind, reference, note in OVERRIDES:
        CalendarOverride.objects.get_or_create(
            calendar=None,
            country="VN",
            date=day,
            defaults={"kind": kind, "legal_reference": reference, "note": note},
        )


def unseed(apps, schema_editor):
    WorkCalendar = apps.get_model("worktime", "WorkCalendar")
    CalendarOverride = apps.get_model("worktime", "CalendarOverride")
    for day, kind, reference, _note in OVERRIDES:
        CalendarOverride.objects.filter(
            calendar=None, country="VN", date=day, kind=kind, legal_reference=reference
        ).delete()
    WorkCalendar.objects.filter(agency__isnull=True, country="VN", name=DEFAULT_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
