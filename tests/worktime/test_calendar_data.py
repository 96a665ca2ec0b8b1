"""Calendar rows, the seeded official decisions, ``calendar_for`` and its cache."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.org.models import Agency
from motcua.worktime import queries
from motcua.worktime.engine import Limit
from motcua.worktime.models import CalendarOverride, WorkCalendar
from motcua.worktime.queries import calendar_for, library_differences

from .conftest import at

pytestmark = pytest.mark.django_db

# The government's decisions: weekdays off and Saturdays worked.
OFFICIAL = {
    2024: (
        ["1/1", "8/2", "9/2", "12/2", "13/2", "14/2", "18/4", "29/4", "30/4", "1/5", "2/9",
         "3/9"],
        ["4/5"],
    ),
    2025: (
        ["1/1", "27/1", "28/1", "29/1", "30/1", "31/1", "7/4", "30/4", "1/5", "2/5", "1/9",
         "2/9"],
        ["26/4"],
    ),
    2026: (
        ["1/1", "2/1", "16/2", "17/2", "18/2", "19/2", "20/2", "27/4", "30/4", "1/5", "31/8",
         "1/9", "2/9", "24/11"],
        ["10/1", "22/8"],
    ),
}  # fmt: skip


def _dates(year, texts):
    return {dt.date(year, int(m), int(d)) for d, m in (t.split("/") for t in texts)}


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_the_default_calendar_matches_the_official_decisions(year):
    cal = calendar_for()
    days = [dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    days = [d for d in days if d.year == year]
    weekdays_off = {d for d in days if d.weekday() < 5 and not cal.is_working_day(d)}
    weekends_worked = {d for d in days if d.weekday() >= 5 and cal.is_working_day(d)}
    off, worked = OFFICIAL[year]
    assert weekdays_off == _dates(year, off)
    assert weekends_worked == _dates(year, worked)


def test_seeded_rows_carry_their_legal_reference():
    rows = CalendarOverride.objects.filter(calendar__isnull=True)
    assert rows.count() == 8
    assert all(row.legal_reference for row in rows)
    assert "2450/VPCP-KGVX" in rows.get(date=dt.date(2024, 4, 29)).legal_reference
    assert WorkCalendar.objects.get(agency__isnull=True).name.startswith("Lịch làm việc chung")


def test_library_differences_2026():
    rows = {r.date: r for r in library_differences(WorkCalendar.objects.get(agency=None), 2026)}
    assert rows[dt.date(2026, 1, 2)].differs and not rows[dt.date(2026, 1, 2)].working
    assert rows[dt.date(2026, 1, 10)].differs and rows[dt.date(2026, 1, 10)].working
    assert not rows[dt.date(2026, 8, 22)].differs  # the library has this swap already
    assert not rows[dt.date(2026, 8, 31)].differs
    assert rows[dt.date(2026, 8, 31)].library_name
    assert rows[dt.date(2026, 1, 2)].weekday_name == "Thứ Sáu"
    assert library_differences(None, 2023) == []


@pytest.fixture
def agency():
    return Agency.objects.create(identifier="000.00.21.H42", name="TTPVHCC phường Ba Đình")


@pytest.fixture
def own_calendar(agency):
    row = WorkCalendar.objects.create(
        name="Lịch phường Ba Đình",
        agency=agency,
        cutoff=dt.time(16, 0),
        saturday_reception=True,
    )
    CalendarOverride.objects.create(
        calendar=row, date=dt.date(2026, 1, 2), kind="working_day", legal_reference="QĐ địa phương"
    )
    CalendarOverride.objects.create(
        calendar=row, date=dt.date(2026, 3, 13), kind="day_off", legal_reference="Lễ hội"
    )
    return row


def test_an_agency_calendar_wins_over_the_national_one(agency, own_calendar):
    national, own = calendar_for(), calendar_for(agency)
    assert not national.is_working_day(dt.date(2026, 1, 2))
    assert own.is_working_day(dt.date(2026, 1, 2))  # its own row wins over the national one
    assert not own.is_working_day(dt.date(2026, 3, 13))
    assert national.is_working_day(dt.date(2026, 3, 13))
    assert own.is_working_day(dt.date(2026, 1, 10))  # national rows still apply
    assert own.is_reception_open(at(2026, 3, 14, 9, 0))
    assert not own.is_working_day(dt.date(2026, 3, 14))
    # The agency's cut-off is 16:00.
    limit = Limit.parse("1 working day")
    assert own.due(at(2026, 3, 10, 15, 30), limit) == at(2026, 3, 11, 17)
    assert national.due(at(2026, 3, 10, 15, 30), limit) == at(2026, 3, 12, 17)
    assert calendar_for(agency.pk) is own


def test_an_agency_without_a_calendar_shares_the_national_one(agency):
    assert calendar_for(agency) is calendar_for()


def test_calendar_for_without_any_row_uses_the_built_in_defaults():
    WorkCalendar.objects.all().delete()
    cal = calendar_for()
    assert cal.spec.cutoff == dt.time(15, 0)
    assert not cal.is_working_day(dt.date(2026, 1, 2))  # national overrides still apply


def test_calendar_for_is_cached(django_assert_num_queries):
    calendar_for()
    with django_assert_num_queries(0):
        calendar_for()


def test_saving_or_deleting_an_override_invalidates_the_cache():
    day = dt.date(2026, 3, 9)
    assert calendar_for().is_working_day(day)
    row = CalendarOverride.objects.create(date=day, kind="day_off", legal_reference="Thử")
    assert not calendar_for().is_working_day(day)
    row.delete()
    assert calendar_for().is_working_day(day)


def test_changes_made_by_another_process_are_seen_through_the_fingerprint(monkeypatch):
    day = dt.date(2026, 3, 9)
    assert calendar_for().is_working_day(day)
    # bulk_create sends no signal, like a write from another process.
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=day, kind="day_off", legal_reference="Thử")]
    )
    assert calendar_for().is_working_day(day)  # still cached within CHECK_SECONDS
    monkeypatch.setattr(queries, "CHECK_SECONDS", 0.0)
    assert not calendar_for().is_working_day(day)


def test_only_one_national_calendar_per_country():
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkCalendar.objects.create(name="Lịch chung thứ hai")


def test_only_one_national_override_per_day():
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(
            date=dt.date(2026, 1, 2), kind="working_day", legal_reference="Trùng"
        )


def test_windows_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkCalendar.objects.create(
            name="Sai", country="LA", morning_start=dt.time(12), morning_end=dt.time(8)
        )


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"working_weekdays": "0000000"}, "working_weekdays"),
        ({"working_weekdays": "11111"}, "working_weekdays"),
        ({"working_weekdays": "1111110", "saturday_reception": True}, "saturday_reception"),
        ({"country": "vn"}, "country"),
    ],
)
def test_calendar_validation(fields, error_field):
    row = WorkCalendar(name="Lịch thử", **{"country": "LA", **fields})
    with pytest.raises(ValidationError) as info:
        row.full_clean()
    assert error_field in info.value.message_dict


def test_override_country_must_match_its_calendar(own_calendar):
    row = CalendarOverride(
        calendar=own_calendar,
        country="LA",
        date=dt.date(2026, 5, 5),
        kind="day_off",
        legal_reference="x",
    )
    with pytest.raises(ValidationError, match="quốc gia"):
        row.full_clean()


def test_string_forms():
    row = CalendarOverride.objects.get(date=dt.date(2026, 1, 2), calendar=None)
    assert str(row) == "02/01/2026 — Ngày nghỉ thêm"
    default = WorkCalendar.objects.get(agency=None)
    assert default.weekday_names() == "Thứ Hai, Thứ Ba, Thứ Tư, Thứ Năm, Thứ Sáu"
    assert str(default) == default.name
