"""Month-end snapshots: the same numbers as the live count, frozen once the month is closed,
and the live count when a month has none."""

import datetime as dt
import types

import pytest
from django.core.management import CommandError, call_command

from motcua.supervision import index766, queries, report, snapshots
from motcua.supervision.dimensions import Period
from motcua.supervision.management.commands import rebuild_stats, snapshot_stats
from motcua.supervision.models import MonthOpenStat, MonthSnapshot
from motcua.supervision.queries import Selection

from .conftest import add_offering, at
from .data import populate

pytestmark = pytest.mark.django_db

MARCH_END = dt.date(2026, 3, 31)
MARCH = Period(dt.date(2026, 3, 1), MARCH_END)
QUARTER = Period(dt.date(2026, 1, 1), MARCH_END)
CLOSED = at("2026-04-01 00:15")  # when the monthly job runs
NOW = at("2026-04-15 10:00")


@pytest.fixture
def population(world, driver):
    offerings = [
        world["offering"],
        add_offering(
            world, "2.000001", "Chứng thực bản sao", "Chứng thực", ("province", "commune")
        ),
        add_offering(world, "2.000002", "Cấp phép", "Xây dựng", ("province",)),
    ]
    return populate(driver, offerings)


def _figures(world, period, now=NOW):
    """Everything the report and the index say about ``period``, comparable as a whole."""
    selection = Selection(world["agency"])
    built = {
        g: report.build(selection, period, group_by=g, now=now) for g in ("field", "procedure")
    }
    index = index766.compute(selection, period, now=now)
    scores = {s.code: (s.numerator, s.denominator, s.rate, s.score) for s in index.measured}
    inputs = (index.inputs.pending, index.inputs.pending_late)
    return {g: r.sections for g, r in built.items()}, inputs, scores, built["field"].frozen_at


def test_the_snapshot_gives_the_numbers_of_the_live_count(world, population):
    live = {p: _figures(world, p) for p in (MARCH, QUARTER)}
    assert live[MARCH][3] is None  # no snapshot yet: counted live
    snapshot, written = snapshots.take(MARCH_END, now=CLOSED)
    assert written and snapshot.taken_at == CLOSED
    # open at the end of March: the in-process ones (overdue), the paused ones, and the
    # approved ones waiting at the last step — as many as the report's pending total
    rows = MonthOpenStat.objects.filter(snapshot=snapshot)
    assert snapshot.dossiers == sum(r.pending for r in rows) > 0
    assert sum(r.paused for r in rows) == 3  # the three awaiting a supplement
    assert {r.level for r in rows} == {"commune", "province"}
    for period in (MARCH, QUARTER):
        sections, inputs, scores, frozen_at = _figures(world, period)
        assert frozen_at == CLOSED
        assert (sections, inputs, scores) == live[period][:3]
    total = report.build(Selection(world["agency"]), MARCH, now=NOW).total
    assert total.pending == snapshot.dossiers and total.balanced


def _live(world, now):
    """The live count at the end of March (no snapshot involved), summed over levels."""
    cutoff = MARCH.end
    found = queries.open_at(Selection(world["agency"]).dossier_q(), cutoff, now, None)
    return {k: sum(row[k] for row in found.values()) for k in ("pending", "overdue", "late")}


def test_a_closed_month_keeps_its_numbers_when_dossiers_change_later(world, driver, population):
    snapshots.take(MARCH_END, now=CLOSED)
    frozen = _figures(world, MARCH)
    before = _live(world, NOW)
    # In April an overdue dossier waits 13 working days for a supplement, which moves its
    # due date past the end of March: the live count no longer sees it overdue then.
    overdue = next(d for d in population if d.state == "in_process" and d.current_step.order == 1)
    overdue = driver.act(overdue, "request_supplement", at("2026-04-02 09:00"))
    overdue = driver.act(overdue, "receive_supplement", at("2026-04-21 09:00"))
    assert overdue.due_at > MARCH.end
    now = at("2026-04-22 10:00")
    moved = _live(world, now)
    assert (moved["overdue"], moved["late"]) == (before["overdue"] - 1, before["late"] - 1)
    assert _figures(world, MARCH, now) == frozen  # the closed month did not move
    # A dossier awaiting a supplement since March is asked a second time in April: the live
    # count marks it late for indicator 2.1 at the end of March too.
    paused = next(d for d in population if d.state == "supplement_requested")
    paused = driver.act(paused, "receive_supplement", at("2026-04-02 09:00"))
    paused = driver.act(paused, "request_supplement", at("2026-04-03 09:00"), override=True)
    assert paused.late_by_rule
    assert _live(world, now)["late"] == moved["late"] + 1
    assert _figures(world, MARCH, now) == frozen
    # without the snapshot the same report follows today's data
    MonthSnapshot.objects.all().delete()
    sections, inputs, *_ = _figures(world, MARCH, now)
    total = sum((s.total for s in sections["field"]), report.Cells())
    frozen_total = sum((s.total for s in frozen[0]["field"]), report.Cells())
    assert (total.overdue, total.within) == (frozen_total.overdue - 1, frozen_total.within + 1)
    assert inputs == (frozen[1][0], frozen[1][1])  # 2.1: one late fewer, one more by rule


def test_without_a_snapshot_or_off_a_month_end_the_count_is_live(world, population):
    live_march = _figures(world, MARCH)
    snapshots.take(dt.date(2026, 2, 28), now=CLOSED)  # another month's snapshot
    assert _figures(world, MARCH) == live_march
    snapshots.take(MARCH_END, now=CLOSED)
    part = Period(dt.date(2026, 3, 9), dt.date(2026, 3, 13))  # ends on a Friday
    assert report.build(Selection(world["agency"]), part, now=NOW).frozen_at is None
    april = Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30))  # not over on 15/4
    assert report.build(Selection(world["agency"]), april, now=NOW).frozen_at is None


def test_an_agency_with_nothing_open_reads_an_empty_snapshot(world, population):
    snapshots.take(MARCH_END, now=CLOSED)
    other = Selection(world["org"]["b"]["agency"])
    built = report.build(other, MARCH, now=NOW)
    assert built.frozen_at == CLOSED and built.total.pending == 0


def test_the_snapshot_path_costs_one_query_where_the_live_one_did(
    world, population, django_assert_num_queries
):
    snapshots.take(MARCH_END, now=CLOSED)
    selection = Selection(world["agency"])
    report.build(selection, MARCH, now=NOW)  # labels cached by nothing: same count each time
    with django_assert_num_queries(3):  # sums, snapshot rows, labels
        report.build(selection, MARCH, now=NOW)


def test_a_month_not_over_or_a_day_not_a_month_end_is_refused(world):
    with pytest.raises(ValueError, match="not over"):
        snapshots.take(dt.date(2026, 4, 30), now=NOW)
    with pytest.raises(ValueError, match="last day"):
        snapshots.take(dt.date(2026, 3, 30), now=NOW)


@pytest.fixture
def pinned(monkeypatch):
    clock = types.SimpleNamespace(now=lambda: NOW)
    monkeypatch.setattr(snapshot_stats, "timezone", clock)
    monkeypatch.setattr(rebuild_stats, "timezone", clock)


def test_the_command_is_idempotent_and_reports_progress(world, population, pinned, capsys):
    call_command("snapshot_stats")  # the month just ended: March
    out = capsys.readouterr().out
    assert (
        "03/2026:" in out and "(đã ghi)" in out and "Xong: 1 tháng ghi mới, 0 tháng đã có." in out
    )
    first = MonthSnapshot.objects.get()
    call_command("snapshot_stats", "--all")  # since the first receipt (March): nothing new
    out = capsys.readouterr().out
    assert "(đã có, giữ nguyên)" in out and "Xong: 0 tháng ghi mới, 1 tháng đã có." in out
    assert MonthSnapshot.objects.get() == first and first.taken_at == NOW
    call_command("snapshot_stats", "--month", "2026-03", "--replace")
    assert "Xong: 1 tháng ghi mới" in capsys.readouterr().out


def test_the_command_refuses_a_month_not_over_and_a_bad_month(world, pinned):
    with pytest.raises(CommandError, match="chưa kết thúc"):
        call_command("snapshot_stats", "--month", "2026-04")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("snapshot_stats", "--month", "03/2026")
    assert not MonthSnapshot.objects.exists()


def test_rebuild_stats_writes_the_missing_months_and_keeps_the_others(
    world, population, pinned, capsys
):
    snapshots.take(MARCH_END, now=CLOSED)
    kept = MonthSnapshot.objects.get()
    call_command("rebuild_stats", verbosity=0)
    assert "Số liệu cuối tháng: 0 tháng ghi mới" in capsys.readouterr().out
    assert MonthSnapshot.objects.get() == kept and kept.taken_at == CLOSED
    MonthSnapshot.objects.all().delete()
    call_command("rebuild_stats", verbosity=0)
    assert "Số liệu cuối tháng: 1 tháng ghi mới" in capsys.readouterr().out
    assert _figures(world, MARCH)[3] == NOW


def test_the_report_page_says_the_month_was_closed(world, population, client, monkeypatch):
    snapshots.take(MARCH_END, now=CLOSED)
    monkeypatch.setattr("motcua.supervision.views.now", lambda: NOW)
    client.force_login(world["supervisor"])
    params = {"agency": world["agency"].pk, "day_from": "2026-03-01", "day_to": "2026-03-31"}
    params["group_by"] = "field"
    html = client.get("/giam-sat/bao-cao/", params).content.decode()
    assert "theo số liệu chốt cuối tháng lúc 00:15 01/04/2026" in html
