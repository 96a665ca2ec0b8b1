"""The leaders' dashboard (/giam-sat/dieu-hanh/) and the surprise inspection list
(/giam-sat/kiem-tra/)."""

import pytest

from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

#: session, user, grants, navigation counts, today's receipts, open dossiers
DASHBOARD_QUERIES = 6
NOW = "2026-03-10 09:00"  # a Tuesday


@pytest.fixture
def staff(client, world):
    def as_(name):
        client.force_login(world[name])
        return client

    return as_


@pytest.fixture
def desk(driver):
    """One dossier overdue, one due today (within a working day), one due tomorrow (the
    apology is due today), two received today; due dates are 3 working days, at 17:00."""
    overdue = driver.receive("2026-03-02 09:00")
    soon = driver.receive("2026-03-05 10:00")  # due Tue 10 March 17:00
    apology = driver.receive("2026-03-06 10:00")  # due Wed 11 March 17:00
    today = [
        driver.receive("2026-03-10 08:00"),
        driver.receive("2026-03-10 08:30", channel="online"),
    ]
    return {"overdue": overdue, "soon": soon, "apology": apology, "today": today}


def _totals(page):
    return {m.key: m.total for m in page.context["board"].metrics}


def test_the_dashboard_counts_today_overdue_due_soon_and_apologies(world, desk, staff, clock):
    clock(NOW)
    page = staff("supervisor").get("/giam-sat/dieu-hanh/")
    assert page.status_code == 200
    totals = _totals(page)
    assert totals["received"] == 2
    assert totals["overdue"] == 1
    assert totals["due_soon"] == 1
    assert totals["apologise"] == 1
    assert desk["apology"].due_at.date().isoformat() == "2026-03-11"
    board = page.context["board"]
    assert dict(board.by_channel) == {"Trực tiếp": 1, "Trực tuyến": 1, "Dịch vụ bưu chính": 0}
    received = board.metrics[0]
    assert [(b.label, b.value) for b in received.by_unit] == [(world["one_stop"].name, 2)]
    assert received.by_procedure[0].value == 2 and "1.004222" in received.by_procedure[0].label
    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="60">' in html
    assert "<svg" in html and "<rect" in html and "<script" not in html.split("<main")[-1]


def test_dashboard_access_and_scope(world, desk, staff, client, make_user, roles, clock):
    clock(NOW)
    assert client.get("/giam-sat/dieu-hanh/").status_code == 302  # to the staff login
    assert staff("specialist").get("/giam-sat/dieu-hanh/").status_code == 403
    assert staff("specialist").get("/giam-sat/kiem-tra/").status_code == 403
    assert staff("leader").get("/giam-sat/dieu-hanh/").status_code == 200
    client.force_login(make_user("gs-b", roles.SUPERVISOR, world["org"]["b"]["agency"]))
    page = client.get("/giam-sat/dieu-hanh/")
    assert page.status_code == 200
    assert set(_totals(page).values()) == {0}


@pytest.mark.parametrize("n", [2, 12])
def test_the_dashboard_query_count_does_not_grow(
    world, driver, staff, clock, n, django_assert_num_queries
):
    for i in range(n):
        driver.receive(f"2026-03-0{2 + i % 7} 09:{i:02d}", channel=("counter", "online")[i % 2])
    clock(NOW)
    client = staff("supervisor")
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get("/giam-sat/dieu-hanh/").status_code == 200


def test_inspection_lists_missing_results_and_long_gaps(
    world, driver, staff, client, make_user, roles
):
    returned = driver.receive("2026-03-02 09:00")
    Dossier.objects.filter(pk=returned.pk).update(state="returned", result_code="")
    idle = driver.receive("2026-03-02 10:00")
    driver.act(idle, "transfer", "2026-03-20 09:00")
    busy = driver.receive("2026-03-03 10:00")
    driver.act(busy, "transfer", "2026-03-04 09:00")

    page = staff("supervisor").get("/giam-sat/kiem-tra/")
    assert page.status_code == 200
    assert [d.code for d in page.context["missing_result"]] == [returned.code]
    gaps = page.context["gaps"]
    assert [r.dossier.code for r in gaps] == [idle.code]
    assert gaps[0].days == 17
    html = page.content.decode()
    assert f'href="/can-bo/ho-so/{returned.code}/"' in html
    assert f'href="/can-bo/ho-so/{idle.code}/"' in html

    wider = staff("supervisor").get("/giam-sat/kiem-tra/", {"gap": "20"})
    assert wider.context["gaps"] == [] and wider.context["gap"] == 20
    assert staff("supervisor").get("/giam-sat/kiem-tra/", {"gap": "x"}).context["gap"] == 10

    client.force_login(make_user("gs-b", roles.SUPERVISOR, world["org"]["b"]["agency"]))
    other = client.get("/giam-sat/kiem-tra/")
    assert other.context["missing_result"] == [] and other.context["gaps"] == []
