"""Properties of the engine, checked by hypothesis and against a plain day-by-day reference."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime.engine import Limit, LimitUnit

from .conftest import VN, official_calendar

CAL = official_calendar()  # built once: hypothesis does not mix with function fixtures
FIRST = dt.datetime(2021, 1, 1, tzinfo=VN)
SPAN_MINUTES = 12 * 365 * 1440  # receipts in 2021–2032, due dates well inside 2020–2035

instants = st.integers(0, SPAN_MINUTES).map(lambda m: FIRST + dt.timedelta(minutes=m))
seconds = st.integers(0, 59)
units = st.sampled_from(list(LimitUnit))
limits = st.builds(
    lambda unit, n: Limit(n if unit is not LimitUnit.WORKING_HOURS else n * 2, unit),
    units,
    st.integers(0, 36),
)

checked = settings(max_examples=150, deadline=None)


def reference_due_working_days(received: dt.datetime, n: int) -> dt.datetime:
    """DOMAIN.md's rule written the slow, obvious way: walk the days one by one."""
    local = received.astimezone(VN)
    day = local.date()
    after_cutoff = (local.hour, local.minute) > (15, 0)
    if not CAL.is_working_day(day) or after_cutoff:
        day += dt.timedelta(days=1)
        while not CAL.is_working_day(day):
            day += dt.timedelta(days=1)
    for _ in range(n):
        day += dt.timedelta(days=1)
        while not CAL.is_working_day(day):
            day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(17, 0), tzinfo=VN)


@checked
@given(instants, st.integers(0, 60))
def test_working_days_match_the_day_by_day_reference(received, n):
    assert CAL.due(received, Limit(n, LimitUnit.WORKING_DAYS)) == reference_due_working_days(
        received, n
    )


@checked
@given(instants, st.integers(1, 60))
def test_adding_n_working_days_then_counting_gives_n(received, n):
    due = CAL.due(received, Limit(n, LimitUnit.WORKING_DAYS))
    start = CAL.receipt_day(received)
    counted = CAL.working_days_in(start + dt.timedelta(days=1), due.date())
    assert len(counted) == n
    assert counted[-1] == due.date()
    assert CAL.is_working_day(due) and due.time() == dt.time(17, 0)
    assert CAL.explain(received, Limit(n, LimitUnit.WORKING_DAYS)).counted_days == tuple(counted)


@checked
@given(instants, st.integers(-40, 40))
def test_add_working_days_then_measure_gives_n(start, n):
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@checked
@given(instants, seconds, st.integers(0, 200 * 60))
def test_add_working_minutes_then_measure_gives_them(start, second, minutes):
    start = start.replace(second=second)
    end = CAL.add_working_minutes(start, minutes)
    assert CAL.working_minutes_between(start, end) == minutes
    assert end >= start.replace(second=0)


@checked
@given(instants, st.integers(0, 80))
def test_working_hours_consume_only_window_time(received, hours):
    due = CAL.due(received, Limit(hours, LimitUnit.WORKING_HOURS))
    assert CAL.working_minutes_between(received, due) == hours * 60
    if hours:
        local = due.astimezone(VN)
        assert CAL.is_working_day(local)
        assert dt.time(7, 31) <= local.time() <= dt.time(11, 30) or (
            dt.time(13, 1) <= local.time() <= dt.time(17, 0)
        )


@checked
@given(instants, instants, limits)
def test_a_later_receipt_never_gets_an_earlier_due_date(a, b, limit):
    first, second = sorted((a, b))
    assert CAL.due(first, limit) <= CAL.due(second, limit)


@checked
@given(instants, units, st.integers(0, 36), st.integers(0, 36))
def test_a_longer_limit_never_gets_an_earlier_due_date(received, unit, m, n):
    small, large = sorted((m, n))
    if unit is LimitUnit.WITHIN_DAY:
        return
    assert CAL.due(received, Limit(small, unit)) <= CAL.due(received, Limit(large, unit))


@checked
@given(instants, limits)
def test_the_due_date_is_never_before_the_receipt_and_is_in_working_time(received, limit):
    due = CAL.due(received, limit)
    assert due >= received.replace(second=0) or limit.value == 0
    if limit.unit is not LimitUnit.WORKING_HOURS:
        assert CAL.is_working_day(due) and due.astimezone(VN).time() == dt.time(17, 0)


@checked
@given(instants, st.lists(st.tuples(instants, st.integers(0, 720)), max_size=3))
def test_pauses_add_back_exactly_their_working_time(due, spans):
    pauses = [(start, start + dt.timedelta(minutes=length)) for start, length in spans]
    extended = CAL.extend(due, pauses)
    covered = _union_minutes(pauses)
    assert CAL.working_minutes_between(due, extended) == covered


def _union_minutes(pauses):
    """Working minutes inside the union of the pauses, minute by minute (slow and obvious)."""
    minutes = set()
    for start, end in pauses:
        minutes.update(range(CAL.to_minute(start), CAL.to_minute(end)))
    return sum(_is_working_minute(CAL.from_minute(m)) for m in minutes)


def _is_working_minute(moment: dt.datetime) -> bool:
    t = moment.astimezone(VN).time()
    in_window = dt.time(7, 30) <= t < dt.time(11, 30) or dt.time(13, 0) <= t < dt.time(17, 0)
    return in_window and CAL.is_working_day(moment)


@checked
@given(instants, st.integers(0, 36))
def test_integer_and_datetime_paths_agree(received, n):
    for unit in LimitUnit:
        limit = Limit(n, unit)
        assert CAL.from_minute(CAL.due_minute(CAL.to_minute(received), limit)) == CAL.due(
            received, limit
        )
