"""The Decision 766 index: the seeded points, the threshold rule, hand-computed scores."""

import datetime as dt
from decimal import Decimal as D

import pytest

from motcua.supervision import index766, queries
from motcua.supervision.dimensions import Period
from motcua.supervision.models import IndexGroup, IndexIndicator
from motcua.supervision.queries import Cell, Selection

from . import fixed

pytestmark = pytest.mark.django_db

PERIOD = Period(dt.date(2026, 3, 9), dt.date(2026, 3, 13))


def test_the_seeded_table_has_the_confirmed_points_and_group_maxima():
    maxima = dict(IndexGroup.objects.values_list("number", "max_points"))
    assert maxima == {1: 18, 2: 20, 3: 22, 4: 22, 5: 18}
    confirmed = dict(IndexIndicator.objects.filter(confirmed=True).values_list("code", "points"))
    assert confirmed == {"1.2": 4, "2.1": 20, "5.4": 6}
    assert IndexIndicator.objects.get(code="5.4").threshold == 90
    assert IndexIndicator.objects.get(code="3.3").threshold == 50
    for group in IndexGroup.objects.all():
        assert sum(i.points for i in group.indicators.all()) == group.max_points


@pytest.mark.parametrize(
    ("rate", "points", "threshold", "expected"),
    [
        (D("95"), D("6"), D("90"), D("6")),  # above the threshold: full points
        (D("90"), D("6"), D("90"), D("6")),  # at it: full points
        (D("45"), D("6"), D("90"), D("3.00")),  # below: points × rate ÷ threshold
        (D("66.67"), D("20"), None, D("13.33")),  # no threshold: 100%
        (D("0"), D("20"), None, D("0.00")),
    ],
)
def test_threshold_rule(rate, points, threshold, expected):
    assert index766.points_for(rate, points, threshold) == expected


def test_a_rate_is_zero_when_its_denominator_is_zero():
    assert index766.rate(0, 0) == 0 and index766.rate(2, 3) == D("66.67")
    result = index766.score(index766.Inputs(), index766.Table.load(), PERIOD)
    assert result.total == 0 and {s.rate for s in result.measured} == {0}


@pytest.fixture
def march(driver):
    return fixed.build(driver)


def _by_code(result):
    return {s.code: s for g in result.groups for s in g.indicators}


def test_fixed_set_scores_by_hand(world, march):
    result = index766.compute(Selection(world["agency"]), PERIOD, now=fixed.NOW)
    s = _by_code(result)
    # 2.1: ended in the period A, C, H, I (+) open at the end D, E, F, G, L, M = 10;
    #      late: C (ended late), D and G (overdue), M (second supplement) → 6/10 = 60%
    assert (s["2.1"].numerator, s["2.1"].denominator, s["2.1"].rate) == (6, 10, D("60.00"))
    assert s["2.1"].score == D("12.00") and s["2.1"].status == "measured"
    # 3.3: received online C, H of 8 received in the period = 25% < 50% → 6 × 25 ÷ 50
    assert (s["3.3"].numerator, s["3.3"].denominator, s["3.3"].rate) == (2, 8, D("25.00"))
    assert s["3.3"].score == D("3.00")
    # 5.4: 100% − 40% overdue = 60% < 90% → 6 × 60 ÷ 90; complaints not yet available
    assert (s["5.4"].rate, s["5.4"].score, s["5.4"].status) == (D("60.00"), D("4.00"), "partial")
    assert "khiếu nại" in s["5.4"].note
    assert result.total == D("19.00") and result.measured_max == D("32")
    assert result.max_points == D("100") and not result.warnings


def test_the_rest_is_marked_not_yet_measured_with_a_reason(world, march):
    result = index766.compute(Selection(world["agency"]), PERIOD, now=fixed.NOW)
    others = [s for s in _by_code(result).values() if s.code not in ("2.1", "3.3", "5.4")]
    assert len(others) == 14
    for s in others:
        assert s.status == "not_measured" and s.rate is None and s.score is None
        assert s.note and not s.counted
    assert result.groups[0].score == 0 and result.groups[0].measured_max == 0


def test_the_dossiers_that_cost_points_are_listed(world, march):
    cell = Cell("late_766")
    rows = queries.dossiers_behind(
        world["supervisor"], Selection(world["agency"]), PERIOD, cell, fixed.NOW
    )
    letters = {d.code: k for k, d in march.items()}
    assert sorted(letters[d.code] for d in rows) == list("CDGM")
    result = index766.compute(Selection(world["agency"]), PERIOD, now=fixed.NOW)
    assert result.inputs.costing == 4


def test_edited_points_change_the_score_and_warn_when_a_group_no_longer_adds_up(world, march):
    IndexIndicator.objects.filter(code="3.3").update(points=8, threshold=None)
    result = index766.compute(Selection(world["agency"]), PERIOD, now=fixed.NOW)
    assert _by_code(result)["3.3"].score == D("2.00")  # 8 × 25 ÷ 100
    assert result.warnings == [
        "Nhóm 3: tổng điểm các chỉ số (24.00) khác điểm tối đa của nhóm (22.00)."
    ]
