"""Due dates and working time on the official 2024–2026 calendar (pure engine, no DB)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.worktime.engine import (
    Calendar,
    CalendarSpec,
    Limit,
    Timeliness,
    calendar_from_spec,
    classify_finish,
)

from .conftest import at, official_calendar

DUE_CASES = [
    # Tết 2026 (16–20/2 off): received Friday 13/2 after the 15:00 cut-off.
    ("tet-after-cutoff", at(2026, 2, 13, 16, 20), "3 working days", at(2026, 2, 26, 17)),
    ("tet-before-cutoff", at(2026, 2, 13, 14, 0), "3 working days", at(2026, 2, 25, 17)),
    ("tet-received-during", at(2026, 2, 18, 10, 0), "1 ngày làm việc", at(2026, 2, 24, 17)),
    # The cut-off: 14:59 and 15:00 count the same day, 15:01 the next working day.
    ("cutoff-14:59", at(2026, 3, 10, 14, 59), "3 working days", at(2026, 3, 13, 17)),
    ("cutoff-15:00", at(2026, 3, 10, 15, 0), "3 working days", at(2026, 3, 13, 17)),
    ("cutoff-15:00:40", at(2026, 3, 10, 15, 0, 40), "3 working days", at(2026, 3, 13, 17)),
    ("cutoff-15:01", at(2026, 3, 10, 15, 1), "3 working days", at(2026, 3, 16, 17)),
    ("before-opening", at(2026, 3, 10, 6, 0), "1 working day", at(2026, 3, 11, 17)),
    ("after-closing", at(2026, 3, 10, 18, 0), "1 working day", at(2026, 3, 12, 17)),
    # Year end: 1/1 and Fri 2/1/2026 off (2/1 is the override the library lacks).
    ("year-end", at(2025, 12, 31, 10, 0), "1 working day", at(2026, 1, 5, 17)),
    ("year-end-late", at(2025, 12, 31, 16, 0), "1 working day", at(2026, 1, 6, 17)),
    ("year-end-3", at(2025, 12, 31, 10, 0), "3 ngày làm việc", at(2026, 1, 7, 17)),
    # Make-up Saturdays are working days: 10/1/2026 and 22/8/2026.
    ("makeup-10/1", at(2026, 1, 9, 10, 0), "1 working day", at(2026, 1, 10, 17)),
    ("makeup-10/1-within", at(2026, 1, 10, 9, 0), "trong ngày", at(2026, 1, 10, 17)),
    ("makeup-22/8", at(2026, 8, 21, 10, 0), "1 working day", at(2026, 8, 22, 17)),
    ("national-day-2026", at(2026, 8, 28, 10, 0), "1 working day", at(2026, 9, 3, 17)),
    # Substituted days: Hùng Kings 2026 (Sun 26/4 → Mon 27/4), 30/4–1/5 of 2024 and 2025.
    ("hung-kings-2026", at(2026, 4, 24, 10, 0), "1 working day", at(2026, 4, 28, 17)),
    ("swap-2025", at(2025, 4, 29, 10, 0), "1 working day", at(2025, 5, 5, 17)),
    ("makeup-26/4/2025", at(2025, 4, 25, 10, 0), "1 working day", at(2025, 4, 26, 17)),
    ("swap-2024", at(2024, 4, 26, 10, 0), "1 working day", at(2024, 5, 2, 17)),
    ("makeup-4/5/2024", at(2024, 5, 3, 10, 0), "1 working day", at(2024, 5, 4, 17)),
    ("culture-day-2026", at(2026, 11, 23, 10, 0), "1 working day", at(2026, 11, 25, 17)),
    # Working hours: lunch skipped, windows end at 11:30 / 17:00.
    ("hours-over-lunch", at(2026, 3, 9, 10, 30), "2 working hours", at(2026, 3, 9, 14, 0)),
    ("hours-to-11:30", at(2026, 3, 9, 11, 0), "0,5 giờ làm việc", at(2026, 3, 9, 11, 30)),
    ("hours-from-lunch", at(2026, 3, 9, 12, 0), "1 working hour", at(2026, 3, 9, 14, 0)),
    ("hours-overnight", at(2026, 3, 9, 16, 30), "1 working hour", at(2026, 3, 10, 8, 0)),
    ("hours-to-17:00", at(2026, 3, 9, 16, 0), "1 working hour", at(2026, 3, 9, 17, 0)),
    ("hours-over-tet", at(2026, 2, 13, 16, 0), "8 giờ làm việc", at(2026, 2, 23, 16, 0)),
    ("hours-saturday", at(2026, 3, 14, 9, 0), "4 working hours", at(2026, 3, 16, 11, 30)),
    ("hours-after-cutoff", at(2026, 3, 9, 15, 30), "1 working hour", at(2026, 3, 9, 16, 30)),
    # Within the day: end of the receipt day; after 15:00 or on a day off, the next one.
    ("within", at(2026, 3, 10, 14, 0), "trong ngày", at(2026, 3, 10, 17)),
    ("within-after-cutoff", at(2026, 3, 10, 15, 30), "within the day", at(2026, 3, 11, 17)),
    ("within-saturday", at(2026, 3, 14, 9, 0), "trong ngày", at(2026, 3, 16, 17)),
    ("within-before-tet", at(2026, 2, 13, 16, 0), "trong ngày", at(2026, 2, 23, 17)),
    # Calendar days (Civil Code Art. 147–148): an end on a day off moves to the next working day.
    ("days", at(2026, 3, 10, 10, 0), "15 days", at(2026, 3, 25, 17)),
    ("days-end-saturday", at(2026, 3, 9, 10, 0), "5 ngày", at(2026, 3, 16, 17)),
    ("days-end-in-tet", at(2026, 2, 6, 10, 0), "10 days", at(2026, 2, 23, 17)),
    ("days-after-cutoff", at(2026, 3, 10, 16, 0), "15 days", at(2026, 3, 26, 17)),
    # Months: the corresponding day, or the last day of a shorter month.
    ("month-30/1", at(2026, 1, 30, 10, 0), "1 month", at(2026, 3, 2, 17)),
    ("month-31/1-leap", at(2024, 1, 31, 10, 0), "1 tháng", at(2024, 2, 29, 17)),
    ("month-31/3", at(2026, 3, 31, 10, 0), "1 month", at(2026, 5, 4, 17)),
    ("month-31/10", at(2025, 10, 31, 10, 0), "1 month", at(2025, 12, 1, 17)),
    ("month-in-tet", at(2025, 1, 31, 10, 0), "1 month", at(2025, 3, 3, 17)),
    ("months-12", at(2025, 12, 15, 10, 0), "12 months", at(2026, 12, 15, 17)),
    # Fractional working days: whole days, then the fraction of the next day's hours.
    ("half-day", at(2026, 3, 9, 10, 0), "0,5 ngày làm việc", at(2026, 3, 10, 11, 30)),
    ("one-and-a-half", at(2026, 3, 9, 10, 0), "1.5 ngày làm việc", at(2026, 3, 11, 11, 30)),
]


@pytest.mark.parametrize(
    ("received", "limit", "due"), [c[1:] for c in DUE_CASES], ids=[c[0] for c in DUE_CASES]
)
def test_due(cal, received, limit, due):
    result = cal.due(received, Limit.parse(limit))
    assert result == due
    assert result.tzinfo == cal.tz  # local zone out
    assert cal.due_minute(cal.to_minute(received), Limit.parse(limit)) == cal.to_minute(due)


def test_due_is_the_same_for_the_same_instant_in_utc(cal):
    local = at(2026, 2, 13, 16, 20)
    utc = local.astimezone(dt.UTC)
    limit = Limit.parse("3 working days")
    assert cal.due(utc, limit) == cal.due(local, limit) == at(2026, 2, 26, 17)


def test_explain_lists_the_counted_days_and_the_clock_start(cal):
    result = cal.explain(at(2026, 2, 13, 16, 20), Limit.parse("3 working days"))
    assert result.clock_start == at(2026, 2, 23, 7, 30)
    assert result.counted_days == (dt.date(2026, 2, 24), dt.date(2026, 2, 25), dt.date(2026, 2, 26))
    hours = cal.explain(at(2026, 2, 13, 16, 0), Limit.parse("8 working hours"))
    assert hours.clock_start == at(2026, 2, 13, 16, 0)
    assert hours.counted_days == (dt.date(2026, 2, 13), dt.date(2026, 2, 23))
    within = cal.explain(at(2026, 3, 14, 9, 0), Limit.parse("trong ngày"))
    assert (within.clock_start, within.counted_days) == (
        at(2026, 3, 16, 7, 30),
        (within.due.date(),),
    )


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 1, 1), False),
        (dt.date(2026, 1, 2), False),
        (dt.date(2026, 1, 10), True),
        (dt.date(2026, 2, 16), False),
        (dt.date(2026, 2, 20), False),
        (dt.date(2026, 2, 23), True),
        (dt.date(2026, 4, 27), False),
        (dt.date(2026, 8, 22), True),
        (dt.date(2026, 8, 31), False),
        (dt.date(2026, 11, 24), False),
        (dt.date(2026, 3, 14), False),
        (dt.date(2026, 3, 16), True),
    ],
)
def test_is_working_day(cal, day, working):
    assert cal.is_working_day(day) is working


def test_is_working_day_of_a_datetime_uses_the_local_date(cal):
    # 17:30 UTC on 9/1 is 00:30 on Saturday 10/1 (a make-up day) in Vietnam.
    assert cal.is_working_day(dt.datetime(2026, 1, 9, 17, 30, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (at(2026, 3, 9, 10, 0), at(2026, 3, 9, 10, 0)),
        (at(2026, 3, 9, 6, 0), at(2026, 3, 9, 7, 30)),
        (at(2026, 3, 9, 11, 30), at(2026, 3, 9, 13, 0)),
        (at(2026, 3, 9, 12, 15), at(2026, 3, 9, 13, 0)),
        (at(2026, 3, 9, 17, 0), at(2026, 3, 10, 7, 30)),
        (at(2026, 2, 13, 17, 0), at(2026, 2, 23, 7, 30)),
    ],
)
def test_next_working_instant(cal, instant, expected):
    assert cal.next_working_instant(instant) == expected


def test_working_minutes_between_skips_lunch_nights_and_days_off(cal):
    assert cal.working_minutes_between(at(2026, 3, 9, 11, 0), at(2026, 3, 9, 13, 30)) == 60
    assert cal.working_minutes_between(at(2026, 3, 9, 16, 0), at(2026, 3, 10, 8, 0)) == 90
    assert cal.working_minutes_between(at(2026, 2, 13, 7, 30), at(2026, 2, 23, 17)) == 2 * 480
    assert cal.working_minutes_between(at(2026, 3, 10, 8, 0), at(2026, 3, 9, 16, 0)) == -90
    assert cal.working_days_between(at(2026, 2, 12, 10, 0), at(2026, 2, 24, 9, 0)) == 2
    assert cal.working_days_between(at(2026, 2, 24, 9, 0), at(2026, 2, 12, 10, 0)) == -2


def test_add_working_days_keeps_the_time_of_day(cal):
    assert cal.add_working_days(at(2026, 3, 10, 10, 0), 2) == at(2026, 3, 12, 10, 0)
    assert cal.add_working_days(at(2026, 2, 12, 10, 0), 2) == at(2026, 2, 23, 10, 0)
    assert cal.add_working_days(at(2026, 3, 14, 9, 0), 1) == at(2026, 3, 16, 17, 0)
    # The apology letter is due 1 working day before the due date.
    assert cal.add_working_days(at(2026, 2, 23, 17, 0), -1) == at(2026, 2, 13, 17, 0)
    assert cal.add_working_hours(at(2026, 3, 9, 10, 30), 1.5) == at(2026, 3, 9, 13, 30)


def test_working_days_in(cal):
    days = cal.working_days_in(dt.date(2026, 2, 12), dt.date(2026, 2, 24))
    assert days == [
        dt.date(2026, 2, 12),
        dt.date(2026, 2, 13),
        dt.date(2026, 2, 23),
        dt.date(2026, 2, 24),
    ]
    assert cal.working_days_in(dt.date(2026, 2, 24), dt.date(2026, 2, 12)) == []


def test_receipt_day(cal):
    assert cal.receipt_day(at(2026, 2, 13, 15, 0)) == dt.date(2026, 2, 13)
    assert cal.receipt_day(at(2026, 2, 13, 15, 1)) == dt.date(2026, 2, 23)


PAUSE_CASES = [
    ("none", [], at(2026, 2, 26, 17, 0)),
    ("5h30", [(at(2026, 2, 23, 14, 0), at(2026, 2, 24, 10, 0))], at(2026, 2, 27, 14, 30)),
    ("weekend-only", [(at(2026, 2, 28, 8, 0), at(2026, 3, 1, 18, 0))], at(2026, 2, 26, 17, 0)),
    ("lunch-only", [(at(2026, 2, 24, 11, 30), at(2026, 2, 24, 13, 0))], at(2026, 2, 26, 17, 0)),
    (
        "overlap-counts-once",
        [
            (at(2026, 2, 24, 8, 0), at(2026, 2, 24, 10, 0)),
            (at(2026, 2, 24, 9, 0), at(2026, 2, 24, 11, 0)),
        ],
        at(2026, 2, 27, 10, 30),
    ),
    ("whole-day", [(at(2026, 2, 24, 7, 30), at(2026, 2, 24, 17, 0))], at(2026, 2, 27, 17, 0)),
    # 1 h on Friday 27/2 and 1 h on Monday 2/3: 2 h after Thursday 26/2 17:00.
    ("over-a-weekend", [(at(2026, 2, 27, 16, 0), at(2026, 3, 2, 8, 30))], at(2026, 2, 27, 9, 30)),
]


@pytest.mark.parametrize(
    ("pauses", "expected"), [c[1:] for c in PAUSE_CASES], ids=[c[0] for c in PAUSE_CASES]
)
def test_pauses_extend_the_due_date(cal, pauses, expected):
    assert cal.extend(at(2026, 2, 26, 17, 0), pauses) == expected


def test_a_pause_ending_before_it_starts_is_refused(cal):
    with pytest.raises(ValueError, match="pause ends before it starts"):
        cal.extend(at(2026, 2, 26, 17), [(at(2026, 2, 24, 10), at(2026, 2, 24, 9))])


@pytest.mark.parametrize(
    ("finished", "expected", "expected_date_only"),
    [
        (at(2026, 2, 26, 16, 59), Timeliness.EARLY, Timeliness.ON_TIME),
        (at(2026, 2, 26, 17, 0), Timeliness.ON_TIME, Timeliness.ON_TIME),
        (at(2026, 2, 26, 17, 0, 59), Timeliness.ON_TIME, Timeliness.ON_TIME),
        (at(2026, 2, 26, 17, 1), Timeliness.LATE, Timeliness.ON_TIME),
        (at(2026, 2, 25, 17, 1), Timeliness.EARLY, Timeliness.EARLY),
        (at(2026, 2, 27, 7, 0), Timeliness.LATE, Timeliness.LATE),
    ],
)
def test_classify_finish(finished, expected, expected_date_only):
    due = at(2026, 2, 26, 17, 0)
    assert classify_finish(finished, due) is expected
    assert classify_finish(finished, due, date_only=True) is expected_date_only
    assert classify_finish(finished.astimezone(dt.UTC), due) is expected


def test_date_only_uses_the_local_date():
    # 23:30 UTC on 25/2 is 06:30 on 26/2 in Vietnam: the due day, so on time by date.
    finished = dt.datetime(2026, 2, 25, 23, 30, tzinfo=dt.UTC)
    assert classify_finish(finished, at(2026, 2, 26, 17), date_only=True) is Timeliness.ON_TIME
    assert Timeliness.LATE.label_vi == "quá hạn"


def test_saturday_reception_does_not_make_saturday_a_working_day():
    cal = official_calendar(reception_windows=((5, dt.time(7, 30), dt.time(11, 30)),))
    saturday = at(2026, 3, 14, 9, 0)
    assert cal.is_reception_open(saturday)
    assert not cal.is_reception_open(at(2026, 3, 14, 12, 0))
    assert not cal.is_working_day(saturday)
    assert cal.is_reception_open(at(2026, 3, 13, 9, 0))
    assert not cal.is_reception_open(at(2026, 3, 13, 12, 0))
    assert cal.due(saturday, Limit.parse("3 working days")) == at(2026, 3, 19, 17)
    assert cal.clock_start(saturday, Limit.parse("3 working days")) == at(2026, 3, 16, 7, 30)


def test_saturday_reception_is_closed_on_a_holiday_saturday():
    spec = CalendarSpec(
        holidays=frozenset({dt.date(2026, 3, 14)}),
        reception_windows=((5, dt.time(7, 30), dt.time(11, 30)),),
        first_day=dt.date(2026, 1, 1),
        last_day=dt.date(2026, 12, 31),
    )
    assert not Calendar(spec).is_reception_open(at(2026, 3, 14, 9, 0))


def test_custom_hours_and_cutoff():
    cal = official_calendar(
        windows=((dt.time(8, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30))),
        cutoff=dt.time(16, 0),
    )
    assert cal.due(at(2026, 3, 10, 15, 30), Limit.parse("1 working day")) == at(2026, 3, 11, 17, 30)
    assert cal.due(at(2026, 3, 10, 16, 1), Limit.parse("1 working day")) == at(2026, 3, 12, 17, 30)
    assert cal.due(at(2026, 3, 10, 11, 0), Limit.parse("2 working hours")) == at(
        2026, 3, 10, 14, 30
    )


def test_a_six_day_week():
    cal = official_calendar(working_weekdays=frozenset(range(6)))
    assert cal.due(at(2026, 3, 13, 10, 0), Limit.parse("1 working day")) == at(2026, 3, 14, 17)


def test_naive_datetimes_are_refused(cal):
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.due(dt.datetime(2026, 3, 10, 10, 0), Limit.parse("1 working day"))
    with pytest.raises(ValueError, match="timezone-aware"):
        classify_finish(dt.datetime(2026, 3, 10), at(2026, 3, 10))


def test_out_of_range_is_a_clear_error(cal):
    with pytest.raises(ValueError, match="outside the working calendar"):
        cal.due(at(2019, 12, 31, 10), Limit.parse("1 working day"))
    with pytest.raises(ValueError, match="outside the working calendar"):
        cal.due(at(2035, 12, 20, 10), Limit.parse("100 working days"))
    with pytest.raises(ValueError, match="outside the working calendar"):
        cal.due(at(2035, 12, 20, 10), Limit.parse("2 months"))
    with pytest.raises(ValueError, match="outside the working calendar"):
        cal.add_working_days(at(2020, 1, 3, 10), -10)
    for huge in ("1000000000 days", "1000000000 working days", "100000000 giờ"):
        with pytest.raises(ValueError, match="outside the working calendar"):
            cal.due(at(2026, 3, 10, 10), Limit.parse(huge))
    with pytest.raises(ValueError, match="outside the calendar"):
        cal.due(at(2026, 3, 10, 10), Limit.parse("1000000 months"))


@pytest.mark.parametrize(
    "options",
    [
        {"windows": ()},
        {"windows": ((dt.time(8), dt.time(12)), (dt.time(11), dt.time(17)))},
        {"windows": ((dt.time(12), dt.time(8)),)},
        {"working_weekdays": frozenset({7})},
        {
            "holidays": frozenset({dt.date(2026, 1, 10)}),
            "extra_working_days": frozenset({dt.date(2026, 1, 10)}),
        },
        {"first_day": dt.date(2026, 1, 2), "last_day": dt.date(2026, 1, 1)},
        {"reception_windows": ((5, dt.time(11), dt.time(8)),)},
    ],
)
def test_bad_specs_are_refused(options):
    with pytest.raises(ValueError):
        CalendarSpec(**options)


def test_a_zone_with_daylight_saving_is_refused():
    with pytest.raises(ValueError, match="changes its UTC offset"):
        Calendar(CalendarSpec(tz_name="Europe/Paris", first_day=dt.date(2026, 1, 1)))


def test_calendars_are_immutable_and_cached(cal):
    with pytest.raises(AttributeError):
        cal.spec = None
    assert calendar_from_spec(cal.spec) is cal
    assert "working days" in repr(cal)
    assert cal.tz == ZoneInfo("Asia/Ho_Chi_Minh")
    assert cal.minutes_per_day == 480
