"""Weekday names are shown in the page's language (Vietnamese is the source text)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from motcua.worktime.models import WEEKDAY_NAMES, WorkCalendar
from motcua.worktime.queries import DayDifference
from tests.dossiers.test_translated_texts import english  # noqa: F401  (fixture)


def test_weekday_names_follow_the_language(english):  # noqa: F811
    english({"Thứ Hai": "Monday", "Thứ Sáu": "Friday", "Chủ nhật": "Sunday"})
    calendar = WorkCalendar(name="x", working_weekdays="1000101")
    friday = DayDifference(dt.date(2026, 1, 2), True, "", False, None)
    with translation.override("en"):
        assert calendar.weekday_names() == "Monday, Friday, Sunday"
        assert friday.weekday_name == "Friday"
        assert f"{WEEKDAY_NAMES[6]} 04/01/2026" == "Sunday 04/01/2026"
    with translation.override("vi"):
        assert calendar.weekday_names() == "Thứ Hai, Thứ Sáu, Chủ nhật"
        assert friday.weekday_name == "Thứ Sáu"
