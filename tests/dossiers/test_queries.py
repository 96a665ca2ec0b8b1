"""Work queues, urgency, control sheet and register."""

import datetime as dt

import pytest

from motcua.dossiers.queries import Queue, Urgency, control_sheet, queue, register, urgency
from motcua.dossiers.services import perform

from .conftest import at

pytestmark = pytest.mark.django_db


def _moved(world, intake, when="2026-03-02 09:00"):
    d = intake(when)
    d, _ = perform(d, "transfer", world["officer"], now=at(when))
    return d


def test_unit_queue_is_scoped_and_sorted_by_urgency(world, intake):
    late = _moved(world, intake, "2026-03-02 09:00")
    later = _moved(world, intake, "2026-03-03 09:00")
    now = at("2026-03-03 10:00")
    rows = list(queue(world["specialist"], Queue.UNIT, now=now))
    assert rows == [late, later]
    assert list(queue(world["other_specialist"], Queue.UNIT, now=now)) == []
    assert list(queue(world["supervisor"], Queue.UNIT, now=now)) == [late, later]


def test_mine_approval_overdue_and_return_queues(world, intake):
    d = _moved(world, intake)
    s, leader = world["specialist"], world["leader"]
    d, _ = perform(d, "assign", s, now=at("2026-03-02 10:00"), assignee_id=s.pk)
    assert list(queue(s, Queue.MINE)) == [d]
    d, _ = perform(d, "complete_step", s, now=at("2026-03-02 11:00"))
    assert list(queue(leader, Queue.APPROVAL)) == [d]
    assert list(queue(s, Queue.APPROVAL)) == []
    assert list(queue(leader, Queue.OVERDUE, now=at("2026-03-06 08:00"))) == [d]
    assert list(queue(leader, Queue.OVERDUE, now=at("2026-03-05 16:00"))) == []
    d, _ = perform(d, "approve", leader, now=at("2026-03-02 14:00"))
    d, _ = perform(d, "complete_step", world["officer"], now=at("2026-03-02 15:00"))
    assert list(queue(world["officer"], Queue.RETURN)) == [d]


def test_must_apologise_today_lists_dossiers_at_their_last_moment(world, intake):
    d = _moved(world, intake)  # due Thu 5/3 17:00 → apologise by Wed 4/3 17:00
    assert list(queue(world["specialist"], Queue.APOLOGISE, now=at("2026-03-04 08:00"))) == [d]
    assert list(queue(world["specialist"], Queue.APOLOGISE, now=at("2026-03-02 10:00"))) == []


def test_urgency_colours(world, intake):
    d = _moved(world, intake)
    assert urgency(d, at("2026-03-02 10:00"))[0] is Urgency.ON_TRACK
    assert urgency(d, at("2026-03-04 10:00"))[0] is Urgency.WARN
    assert urgency(d, at("2026-03-05 10:00"))[0] is Urgency.DUE_SOON
    level, minutes = urgency(d, at("2026-03-06 08:30"))
    assert level is Urgency.OVERDUE and minutes == -60


def test_control_sheet_and_register_come_from_the_events(world, intake):
    d = _moved(world, intake)
    d, _ = perform(d, "complete_step", world["specialist"], now=at("2026-03-02 11:00"))
    rows = control_sheet(d)
    assert [r.step for r in rows] == ["Thẩm định", "Phê duyệt, ký"]
    assert rows[0].giver == "tiepnhan" and rows[0].receiver == "Văn hóa – Xã hội"
    assert rows[0].timeliness == "early"
    assert list(
        register(world["officer"], day_from=dt.date(2026, 3, 1), day_to=dt.date(2026, 3, 31))
    ) == [d]
    assert (
        list(
            register(world["specialist"], day_from=dt.date(2026, 3, 1), day_to=dt.date(2026, 3, 31))
        )
        == []
    )


def test_queue_costs_a_fixed_number_of_queries(world, intake, django_assert_num_queries):
    for hour in range(9, 14):
        _moved(world, intake, f"2026-03-02 {hour:02d}:00")
    user = world["specialist"]
    with django_assert_num_queries(2):  # grants + the page
        rows = list(queue(user, Queue.UNIT)[:100])
    assert len(rows) == 5
