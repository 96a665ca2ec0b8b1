"""Aggregates per unit, officer and month, hand-computed on four ratings; the running totals
equal a rebuild from the ratings; the staff of a dossier are read from its events."""

import datetime as dt

import pytest

from motcua.ratings import queries, services, tallying
from motcua.ratings.models import AnswerTally, OfficerTally, Rating, RatingStaff, UnitTally
from motcua.ratings.tokens import rating_token

from .conftest import at

pytestmark = pytest.mark.django_db

#: (day, overall, staff attitude, one-stop yes/no, contacts, comment)
RATINGS = [
    ("2026-03-10 10:00", 5, 4, 1, 1, "Cán bộ nhiệt tình"),
    ("2026-03-20 10:00", 4, 5, 1, 2, ""),
    ("2026-04-02 10:00", 2, 2, 0, 3, "Phải đi lại nhiều lần"),
    ("2026-04-15 10:00", 3, None, None, None, ""),
]
SPRING = queries.Period(dt.date(2026, 3, 1), dt.date(2026, 4, 30))


@pytest.fixture
def four(returned, settings):
    settings.RATING_TOKEN_DAYS = 365
    dossiers = []
    for i, (when, overall, attitude, one_stop, contacts, comment) in enumerate(RATINGS):
        d = returned(f"2026-03-02 09:{i:02d}")
        answers = {
            "overall": overall,
            "staff_attitude": attitude,
            "one_stop": one_stop,
            "contacts": contacts,
        }
        answers = {k: v for k, v in answers.items() if v is not None}
        via = services.ByLink(d.code, rating_token(d))
        services.submit_rating(via, answers, comment, now=at(when))
        dossiers.append(d)
    return dossiers


def _stat(report, key):
    return next(s for s in report.criteria if s.key == key)


def test_a_units_report_by_hand(world, four):
    report = queries.unit_report(world["one_stop"], SPRING)
    assert (report.totals.ratings, report.totals.satisfied) == (4, 2)
    assert report.totals.rate == 50.0 and report.totals.dissatisfied == 2
    overall = _stat(report, "overall")
    assert overall.answers == 4 and overall.average == pytest.approx(3.5)  # (5+4+2+3)/4
    assert [n for _label, n, _pct in overall.distribution] == [0, 1, 1, 1, 1]
    attitude = _stat(report, "staff_attitude")
    assert attitude.answers == 3 and attitude.average == pytest.approx(11 / 3)  # (4+5+2)/3
    one_stop = _stat(report, "one_stop")
    assert one_stop.yes_rate == pytest.approx(200 / 3)  # 2 "có" of 3
    contacts = _stat(report, "contacts")
    assert [(label, n) for label, n, _pct in contacts.distribution] == [
        ("1 lần", 1),
        ("2 lần", 1),
        ("3 lần trở lên", 1),
    ]
    assert _stat(report, "online_quality").answers == 0
    assert [c.text for c in report.comments] == ["Phải đi lại nhiều lần", "Cán bộ nhiệt tình"]
    assert [(c.satisfied, c.score) for c in report.comments] == [(False, 2), (True, 5)]
    officers = {
        (r.label, r.detail): (r.totals.ratings, r.totals.satisfied) for r in report.officers
    }
    assert officers == {("tiepnhan", "Một cửa"): (4, 2)}


def test_a_processing_units_report_counts_the_dossiers_it_handled(world, four):
    report = queries.unit_report(world["processing"], SPRING)
    assert (report.totals.ratings, report.totals.satisfied) == (4, 2)
    assert [r.label for r in report.officers] == ["chuyenvien"]
    assert len(report.comments) == 2


def test_the_period_filters_by_local_day(world, four):
    march = queries.unit_report(
        world["one_stop"], queries.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    )
    assert (march.totals.ratings, march.totals.satisfied) == (2, 2)
    assert march.totals.rate == 100.0
    assert [c.text for c in march.comments] == ["Cán bộ nhiệt tình"]
    empty = queries.unit_report(
        world["one_stop"], queries.Period(dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    )
    assert empty.totals.ratings == 0 and empty.totals.rate is None


def test_the_supervisors_report_by_hand(world, four):
    report = queries.scope_report(world["supervisor"], SPRING)
    assert (report.totals.ratings, report.totals.satisfied) == (4, 2)  # each rating once
    months = [(r.key, r.totals.ratings, r.totals.satisfied) for r in report.months]
    assert months == [(dt.date(2026, 3, 1), 2, 2), (dt.date(2026, 4, 1), 2, 0)]
    units = {r.label: (r.totals.ratings, r.totals.satisfied) for r in report.units}
    assert units == {"Lãnh đạo": (4, 2), "Một cửa": (4, 2), "Văn hóa – Xã hội": (4, 2)}
    officers = {r.label: r.totals.ratings for r in report.officers}
    assert officers == {"tiepnhan": 4, "chuyenvien": 4, "lanhdao": 4}


def test_the_index_inputs(world, four):
    path = world["org"]["city"].path
    totals = queries.agency_totals(path, SPRING)
    assert (totals.ratings, totals.dissatisfied) == (4, 2)
    codes = list(queries.dissatisfied_dossiers(path, SPRING).values_list("code", flat=True))
    assert codes == [four[3].code, four[2].code]
    assert queries.agency_totals(world["org"]["b"]["agency"].path, SPRING).ratings == 0


def test_the_staff_are_read_from_the_events(world, four):
    rating = Rating.objects.get(dossier=four[0])
    rows = set(
        RatingStaff.objects.filter(rating=rating).values_list("user__username", "unit__code")
    )
    assert rows == {("tiepnhan", "mot-cua"), ("chuyenvien", "vhxh"), ("lanhdao", "lanh-dao")}
    assert {u.code for u in rating.units.all()} == {"mot-cua", "vhxh", "lanh-dao"}


def test_running_totals_equal_a_rebuild(world, four):
    def snapshot():
        return (
            sorted(UnitTally.objects.values_list("unit_id", "day", "kind", "ratings", "satisfied")),
            sorted(
                AnswerTally.objects.values_list(
                    "unit_id", "day", "criterion_id", "value", "answers"
                )
            ),
            sorted(
                OfficerTally.objects.values_list(
                    "unit_id", "user_id", "day", "ratings", "satisfied"
                )
            ),
        )

    before = snapshot()
    assert tallying.rebuild() == 4
    assert snapshot() == before
    assert UnitTally.objects.filter(kind="receiving").count() == 4  # four different days


def test_two_ratings_on_one_day_add_up(world, returned, settings):
    first, second = returned("2026-03-02 09:00"), returned("2026-03-02 09:30")
    for d, overall in ((first, 5), (second, 1)):
        services.submit_rating(
            services.ByLink(d.code, rating_token(d)),
            {"overall": overall},
            now=at("2026-03-06 23:30"),
        )
    row = UnitTally.objects.get(unit=world["one_stop"], kind="receiving")
    assert (row.day, row.ratings, row.satisfied) == (dt.date(2026, 3, 6), 2, 1)  # local day
