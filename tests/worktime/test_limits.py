"""Reading processing times (thời hạn) in Vietnamese and English."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.worktime.engine import Limit, LimitUnit

WD, WH, DAYS, MONTHS, WITHIN = (
    LimitUnit.WORKING_DAYS,
    LimitUnit.WORKING_HOURS,
    LimitUnit.DAYS,
    LimitUnit.MONTHS,
    LimitUnit.WITHIN_DAY,
)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("3 working days", 3, WD),
        ("1 working day", 1, WD),
        ("3 ngày làm việc", 3, WD),
        ("05 Ngày làm việc", 5, WD),
        ("1.5 Ngày làm việc", Decimal("1.5"), WD),
        ("0,5 ngày làm việc", Decimal("0.5"), WD),
        ("3 ngay lam viec", 3, WD),
        ("  3\u00a0NGÀY  LÀM VIỆC ", 3, WD),
        ("trong thời hạn 10 ngày làm việc", 10, WD),
        ("trong 3 ngày làm việc", 3, WD),
        ("không quá 15 ngày", 15, DAYS),
        ("within 3 business days", 3, WD),
        ("8 working hours", 8, WH),
        ("8 giờ làm việc", 8, WH),
        ("8 Giờ", 8, WH),
        ("1,5 giờ", Decimal("1.5"), WH),
        ("24h", 24, WH),
        ("15 days", 15, DAYS),
        ("15 Ngày", 15, DAYS),
        ("15 calendar days", 15, DAYS),
        ("1 month", 1, MONTHS),
        ("2 months", 2, MONTHS),
        ("3 Tháng", 3, MONTHS),
        ("trong ngày", 0, WITHIN),
        ("Trong ngày", 0, WITHIN),
        ("within the day", 0, WITHIN),
        ("same day", 0, WITHIN),
        ("0 ngày làm việc", 0, WD),
    ],
)
def test_parse(text, value, unit):
    limit = Limit.parse(text)
    assert (limit.value, limit.unit) == (Decimal(value), unit)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("-3 working days", "không được âm"),
        ("- 3 ngày làm việc", "must not be negative"),
        ("3 fortnights", "unknown unit"),
        ("ba ngày làm việc", "không hiểu"),
        ("", "cannot read"),
        ("3", "cannot read"),
        ("working days", "cannot read"),
        ("1.5 ngày", "phải là số nguyên"),
        ("0.5 months", "must be whole"),
        ("0,01 giờ", "whole minutes"),
    ],
)
def test_parse_rejects_with_a_bilingual_message(text, fragment):
    with pytest.raises(ValueError, match="Thời hạn không hợp lệ / Invalid limit") as info:
        Limit.parse(text)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("bad", [-1, "x", float("nan"), True])
def test_constructor_validates(bad):
    with pytest.raises(ValueError):
        Limit(bad, WD)


def test_constructor_rejects_unknown_unit():
    with pytest.raises(ValueError, match="unsupported unit"):
        Limit(3, "fortnights")


def test_parse_rejects_non_text():
    with pytest.raises(ValueError):
        Limit.parse(3)


@pytest.mark.parametrize(
    ("limit", "vi", "en"),
    [
        (Limit(3, WD), "3 ngày làm việc", "3 working days"),
        (Limit(1, WD), "1 ngày làm việc", "1 working day"),
        (Limit(Decimal("1.5"), WH), "1,5 giờ làm việc", "1.5 working hours"),
        (Limit(1, MONTHS), "1 tháng", "1 month"),
        (Limit(0, WITHIN), "trong ngày", "within the day"),
    ],
)
def test_render(limit, vi, en):
    assert (str(limit), limit.english()) == (vi, en)


def test_equal_limits_are_equal_and_hashable():
    assert Limit.parse("3 working days") == Limit(3, "working_days") == Limit("3", WD)
    assert len({Limit.parse("3 ngày làm việc"), Limit(3, WD)}) == 1


limits = st.one_of(
    st.builds(Limit, st.integers(0, 10_000), st.sampled_from([WD, WH, DAYS, MONTHS])),
    st.builds(Limit, st.integers(0, 999).map(lambda n: Decimal(n) / 4), st.just(WH)),
    st.builds(Limit, st.integers(0, 999).map(lambda n: Decimal(n) / 10), st.just(WD)),
    st.just(Limit(0, WITHIN)),
)


@given(limits)
def test_rendered_limits_parse_back(limit):
    assert Limit.parse(str(limit)) == limit
    assert Limit.parse(limit.english()) == limit
