"""The period report (Biểu 06/VPCP/KSTT): hand-computed numbers, identities, drill-down."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from motcua.supervision import export, index766, queries, report
from motcua.supervision.dimensions import Period
from motcua.supervision.queries import Cell, Selection

from . import fixed
from .conftest import add_offering, at
from .data import populate

pytestmark = pytest.mark.django_db

PERIOD = Period(dt.date(2026, 3, 9), dt.date(2026, 3, 13))


@pytest.fixture
def march(driver):
    return fixed.build(driver)


def _report(world, **kw):
    return report.build(Selection(world["agency"]), kw.pop("period", PERIOD), now=fixed.NOW, **kw)


def test_the_fixed_set_has_the_due_dates_the_comments_say(march):
    due = {k: march[k].due_at for k in "ACEFGL"}
    assert due == {
        "A": at("2026-03-10 17:00"),
        "C": at("2026-03-12 17:00"),
        "E": at("2026-03-16 17:00"),
        "F": at("2026-03-13 17:00"),
        "G": at("2026-03-06 17:00"),
        "L": at("2026-03-17 17:00"),
    }
    assert [march[k].timeliness for k in "ACHI"] == ["early", "late", "early", "on_time"]
    assert march["M"].late_by_rule and march["F"].state == "supplement_requested"


def test_report_numbers_match_the_hand_count(world, march):
    built = _report(world)
    [section] = built.sections
    [row] = section.rows
    assert (section.level, section.number, row.label) == ("commune", "I", "Hộ tịch")
    for cells in (row.cells, section.total, built.total):
        assert {m: cells.column(m) for m in fixed.EXPECTED} == fixed.EXPECTED
        assert cells.balanced
    assert built.cutoff == at("2026-03-14 00:00") and not built.unbalanced


def test_drill_down_lists_exactly_the_dossiers_behind_each_number(world, march):
    codes = {d.code: letter for letter, d in march.items()}
    field_id = world["version"].field_id
    for metric, letters in fixed.BEHIND.items():
        for cell in (Cell(metric), Cell(metric, "field", field_id, "commune")):
            rows = queries.dossiers_behind(
                world["supervisor"], Selection(world["agency"]), PERIOD, cell, fixed.NOW
            )
            assert "".join(sorted(codes[d.code] for d in rows)) == letters, metric
        empty = Cell(metric, "field", field_id, "province")
        assert not queries.dossiers_behind(
            world["supervisor"], Selection(world["agency"]), PERIOD, empty, fixed.NOW
        ).exists()


def test_drill_down_is_limited_to_the_users_scope(world, march, make_user, roles):
    stranger = make_user("gs-b", roles.SUPERVISOR, world["org"]["b"]["agency"])
    rows = queries.dossiers_behind(
        stranger, Selection(world["agency"]), PERIOD, Cell("received"), fixed.NOW
    )
    assert not rows.exists()


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


PERIODS = [
    ("2026-03-02", "2026-03-06"),
    ("2026-03-09", "2026-03-13"),
    ("2026-03-16", "2026-03-31"),
    ("2026-03-01", "2026-03-31"),
    ("2026-04-01", "2026-04-30"),  # the current month: open dossiers are looked at now
]


def test_identities_hold_on_every_row_of_every_period(world, population):
    now = at("2026-04-15 10:00")  # after every event of the population
    for first, last in PERIODS:
        period = Period(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
        for group_by in ("field", "procedure"):
            built = report.build(Selection(world["agency"]), period, group_by=group_by, now=now)
            assert built.sections and not built.unbalanced
            for section in built.sections:
                for cells in [r.cells for r in section.rows] + [section.total]:
                    _check_identities(cells)
        total = built.total
        for metric, _ in report.COLUMNS:  # each total is the count of the dossiers behind it
            rows = queries.dossiers_behind(
                world["supervisor"], Selection(world["agency"]), period, Cell(metric), now
            )
            assert rows.count() == total.column(metric), (first, metric)


def _check_identities(cells):
    assert cells.received == cells.online + cells.direct + cells.carried
    assert cells.resolved == cells.early + cells.on_time + cells.late
    assert cells.pending == cells.within + cells.overdue
    assert cells.received == cells.resolved + cells.pending


def test_grouping_by_procedure_and_by_level(world, driver, march):
    other = add_offering(world, "2.000002", "Cấp phép xây dựng", "Xây dựng", ("province",))
    driver.resolve(
        driver.receive("2026-03-10 09:00", offering=other), "2026-03-10 09:00", "2026-03-11 09:00"
    )
    built = _report(world, group_by="procedure")
    assert [s.level for s in built.sections] == ["province", "commune"]
    assert [s.number for s in built.sections] == ["I", "II"]
    [province] = built.sections[0].rows
    assert province.label == "2.000002 — Cấp phép xây dựng"
    assert (province.cells.direct, province.cells.early) == (1, 1)
    assert built.sections[1].rows[0].label == "1.004222 — Đăng ký thường trú"


def test_excel_export_has_the_official_merged_header_and_the_numbers(world, march):
    built = _report(world)
    book = load_workbook(io.BytesIO(export.workbook_bytes(built)))
    ws = book.active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A6:A8", "B6:B8", "C6:F6", "G6:M6", "C7:C8", "D7:F7", "G7:J7", "K7:M7"} <= merged
    assert (
        ws["C6"].value == "Số hồ sơ nhận giải quyết"
        and ws["K7"].value == "Số hồ sơ đang giải quyết"
    )
    assert ws["C9"].value == "(3)=(4)+(5)+(6)"
    assert "từ ngày 09/03/2026 đến ngày 13/03/2026" in ws["A3"].value
    assert ws["B10"].value == "Cấp: Cấp xã"
    assert [ws.cell(row=11, column=c).value for c in range(2, 14)] == [
        "Hộ tịch",
        10,
        2,
        6,
        2,
        4,
        2,
        1,
        1,
        6,
        4,
        2,
    ]
    assert ws["B12"].value == "Tổng cộng" and ws["C12"].value == 10


def test_a_period_not_over_reads_pending_from_the_aggregates(world, march):
    """Looked at on Fri 20/3 10:00 for 16–20/3: open D, E, F, G, K, M; overdue all but F
    (awaiting a supplement); K received 16/3; L resolved early 17/3; carried D E F G L M."""
    now = at("2026-03-20 10:00")
    period = Period(dt.date(2026, 3, 16), dt.date(2026, 3, 20))
    built = report.build(Selection(world["agency"]), period, now=now)
    total = built.total
    expected = {"received": 7, "carried": 6, "direct": 1, "resolved": 1, "early": 1}
    expected |= {"pending": 6, "within": 1, "overdue": 5}
    assert {m: total.column(m) for m in expected} == expected and total.balanced
    letters = {d.code: k for k, d in march.items()}
    for metric in ("pending", "within", "overdue", "late_766"):
        rows = queries.dossiers_behind(
            world["supervisor"], Selection(world["agency"]), period, Cell(metric), now
        )
        found = "".join(sorted(letters[d.code] for d in rows))
        assert found == {"pending": "DEFGKM", "within": "F"}.get(metric, "DEGKM"), metric
    index = index766.compute(Selection(world["agency"]), period, now=now)
    assert (index.inputs.pending, index.inputs.pending_late) == (6, 5)
