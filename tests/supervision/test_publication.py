"""Decision 766 indicators 1.1 and 1.2 (publication of procedures), worked out by hand for
March 2026 (no public holiday in February after Tết nor in March 2026)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from motcua.catalog.models import Offering, ProcedureVersion
from motcua.supervision import index766
from motcua.supervision.dimensions import Period
from motcua.supervision.queries import Selection
from tests.catalog.factories import make_version

from .conftest import at

pytestmark = pytest.mark.django_db

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
NOW = at("2026-04-15 10:00")
d = dt.date.fromisoformat


def _version(code, *, decided=None, valid=None, published=None, status="published"):
    version = make_version(code, f"Thủ tục {code}", status=status)
    ProcedureVersion.objects.filter(pk=version.pk).update(
        decision_number=f"{code[-2:]}/QĐ-UBND" if decided else "",
        decision_date=d(decided) if decided else None,
        valid_from=d(valid) if valid else None,
        published_at=at(published) if published else None,
    )
    return version


@pytest.fixture
def published(world):
    """The ward offers six procedures. The fifth working day after a decision of
    Mon 2/3 is Mon 9/3; of Tue 3/3, Tue 10/3; of Wed 25/2, Wed 4/3; of Fri 20/3, Fri 27/3;
    of Fri 27/3, Fri 3/4."""
    ward = world["agency"]
    # P1: decided Mon 2/3, in force Mon 9/3 → 1.1 on time (exactly 5 working days);
    #     made public Tue 10/3, due Mon 9/3 → 1.2 late
    p1 = _version(
        "3.000001", decided="2026-03-02", valid="2026-03-09", published="2026-03-10 10:00"
    )
    # P2: decided Tue 3/3, in force Mon 9/3 → 1.1 late (4 working days);
    #     made public Thu 5/3, due Tue 10/3 → 1.2 on time
    p2 = _version(
        "3.000002", decided="2026-03-03", valid="2026-03-09", published="2026-03-05 09:00"
    )
    # P3: published Fri 20/3 with no decision date → 1.1 cannot be on time; not due for 1.2
    p3 = _version("3.000003", valid="2026-04-01", published="2026-03-20 09:00")
    # P4: an old version offered (published 2025), and a draft decided Fri 20/3, due Fri
    #     27/3, not made public → 1.2 late; the old version counts nowhere
    p4 = _version("3.000004", published="2025-06-02 09:00")
    _version("3.000004", decided="2026-03-20", status="draft")
    # P5: decided Fri 27/3, due Fri 3/4 (April), made public Thu 2/4 → not in March at all
    p5 = _version(
        "3.000005", decided="2026-03-27", valid="2026-05-01", published="2026-04-02 08:00"
    )
    # P6: decided Wed 25/2, in force Mon 2/3 → 1.1 late; due Wed 4/3, public Wed 4/3 16:00 →
    #     1.2 on time
    p6 = _version(
        "3.000006", decided="2026-02-25", valid="2026-03-02", published="2026-03-04 16:00"
    )
    for version in (p1, p2, p3, p4, p5, p6):
        Offering.objects.create(agency=ward, version=version)
    # published in March but offered only by the other ward: not the ward's
    other = _version(
        "3.000007", decided="2026-03-02", valid="2026-03-20", published="2026-03-05 09:00"
    )
    Offering.objects.create(agency=world["org"]["b"]["agency"], version=other)


def test_publication_indicators_by_hand(world, published):
    result = index766.compute(Selection(world["agency"]), MARCH, now=NOW)
    s = result.by_code()
    # 1.1: published in March P1, P2, P3, P6; decided in time P1 → 1 of 4 = 25%, 4 × 25 ÷ 100
    assert (s["1.1"].numerator, s["1.1"].denominator, s["1.1"].rate, s["1.1"].score) == (
        1,
        4,
        D("25.00"),
        D("1.00"),
    )
    # 1.2: due in March P1 (9/3), P2 (10/3), P4 (27/3), P6 (4/3); in time P2, P6 → 50%, 4 × 50%
    assert (s["1.2"].numerator, s["1.2"].denominator, s["1.2"].rate, s["1.2"].score) == (
        2,
        4,
        D("50.00"),
        D("2.00"),
    )
    assert s["1.1"].status == s["1.2"].status == "measured" and s["1.1"].formula
    inputs = result.inputs
    assert [(v.code, v.decision_reason) for v in inputs.late_decisions] == [
        (
            "3.000002",
            "quyết định ban hành ngày 03/03/2026, văn bản có hiệu lực ngày 09/03/2026: chưa đủ "
            "5 ngày làm việc",
        ),
        ("3.000003", "chưa ghi ngày ban hành quyết định công bố"),
        (
            "3.000006",
            "quyết định ban hành ngày 25/02/2026, văn bản có hiệu lực ngày 02/03/2026: chưa đủ "
            "5 ngày làm việc",
        ),
    ]
    assert [(v.code, v.number, v.publish_reason) for v in inputs.late_publications] == [
        ("3.000001", 1, "công khai ngày 10/03/2026, quá hạn 09/03/2026"),
        ("3.000004", 2, "chưa công khai (hạn 27/03/2026)"),
    ]


def test_april_sees_the_decision_due_in_april(world, published):
    april = Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    s = index766.compute(Selection(world["agency"]), april, now=at("2026-05-04 10:00")).by_code()
    # P5 is the only one published in April (no 1.1 point: decided 27/3, in force 1/5 →
    # in time) and due in April (3/4, public 2/4 → in time)
    assert (s["1.1"].numerator, s["1.1"].denominator) == (1, 1)
    assert (s["1.2"].numerator, s["1.2"].denominator, s["1.2"].score) == (1, 1, D("4"))


def test_nothing_published_or_due_scores_zero(world):
    s = index766.compute(Selection(world["agency"]), MARCH, now=NOW).by_code()
    for code in ("1.1", "1.2"):
        assert (s[code].numerator, s[code].denominator, s[code].rate) == (0, 0, D(0))
        assert s[code].status == "measured" and s[code].score == 0


def test_a_province_counts_each_version_once(world, published):
    """Both wards offering P1 (and the second ward its own P7): the city counts 5 versions
    published in March, each once."""
    Offering.objects.create(
        agency=world["org"]["b"]["agency"],
        version=ProcedureVersion.objects.get(procedure__code="3.000001"),
    )
    city = Selection(world["org"]["city"], subordinates=True)
    s = index766.compute(city, MARCH, now=NOW).by_code()
    assert (s["1.1"].numerator, s["1.1"].denominator) == (2, 5)  # P1 and P7 in time


def test_the_index_page_lists_the_versions_that_cost_points(world, published, client):
    client.force_login(world["supervisor"])
    params = {"agency": world["agency"].pk, "day_from": "2026-03-01", "day_to": "2026-03-31"}
    from unittest import mock

    instant = NOW
    with mock.patch("motcua.supervision.views.now", lambda: instant):
        html = client.get("/giam-sat/chi-so-766/", params).content.decode()
    assert "Phiên bản TTHC có quyết định công bố chưa đúng hạn (3)" in html
    assert "3.000003 — Thủ tục 3.000003 (phiên bản 1): chưa ghi ngày ban hành" in html
    assert "chưa công khai (hạn 27/03/2026)" in html
