"""What a supervisor sees of single dossiers: the full history and control sheet, read-only
and within scope; the surprise-inspection gaps computed in SQL; the back-office menu."""

import datetime as dt

import pytest

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.supervision import dashboard

from . import fixed

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, world):
    def as_(name):
        client.force_login(world[name])
        return client

    return as_


def test_a_supervisor_reads_a_dossiers_history_and_control_sheet_but_cannot_act(
    world, driver, staff
):
    d = driver.resolve(driver.receive("2026-03-02 09:00"), "2026-03-02 09:00", "2026-03-03 10:00")
    client = staff("supervisor")
    page = client.get(f"/can-bo/ho-so/{d.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Diễn biến hồ sơ" in html and "Phiếu kiểm soát quá trình giải quyết" in html
    assert "Thẩm định" in html and "Phê duyệt, ký" in html  # the hand-offs of the sheet
    assert len(page.context["timeline"]) == d.events.count()
    assert page.context["forms"] == [] and "/thao-tac/" not in html
    before = (d.state, d.version, d.events.count())
    tried = client.post(
        f"/can-bo/ho-so/{d.code}/thao-tac/return_result/",
        {"expected_version": d.version, "method": "counter"},
    )
    assert tried.status_code in (400, 403)
    d.refresh_from_db()
    assert (d.state, d.version, d.events.count()) == before


def test_a_supervisor_outside_the_scope_gets_not_found(world, driver, client, make_user, roles):
    d = driver.receive("2026-03-02 09:00")
    client.force_login(make_user("gs-b", roles.SUPERVISOR, world["org"]["b"]["agency"]))
    assert client.get(f"/can-bo/ho-so/{d.code}/").status_code == 404
    assert client.post(f"/can-bo/ho-so/{d.code}/thao-tac/transfer/").status_code == 404


def test_every_supervision_list_links_to_the_dossier_page(world, driver, staff, clock):
    march = fixed.build(driver)
    clock("2026-03-20 10:00")
    params = {
        "agency": world["agency"].pk,
        "day_from": "2026-03-09",
        "day_to": "2026-03-13",
        "metric": "late_766",
    }
    html = staff("supervisor").get("/giam-sat/bao-cao/ho-so/", params).content.decode()
    for letter in "CDGM":
        assert f'href="/can-bo/ho-so/{march[letter].code}/"' in html


def test_the_back_office_menu_shows_supervision_to_those_who_may_see_it(world, staff):
    supervisor = staff("supervisor").get("/can-bo/ho-so/").content.decode()
    assert 'id="nav-supervision"' in supervisor
    for url in ("/giam-sat/bao-cao/", "/giam-sat/chi-so-766/", "/giam-sat/kiem-tra/"):
        assert f'href="{url}"' in supervisor
    specialist = staff("specialist").get("/can-bo/ho-so/").content.decode()
    assert 'id="nav-supervision"' not in specialist and "/giam-sat/" not in specialist
    page = staff("supervisor").get("/giam-sat/kiem-tra/").content.decode()
    assert '<a href="/giam-sat/kiem-tra/" aria-current="page">' in page


def _idle(driver, start, *gaps_in_days):
    """A dossier received at ``start`` whose next events come after the given gaps."""
    d = driver.receive(start)
    t = d.received_at
    actions = ["transfer", "request_supplement", "receive_supplement"]
    for action, days in zip(actions, gaps_in_days, strict=False):
        t += dt.timedelta(days=days)
        d = driver.act(d, action, t)
    return d


def test_long_gaps_are_computed_in_the_database_widest_first(
    world, driver, django_assert_num_queries
):
    two = _idle(driver, "2026-03-02 09:00", 12, 1, 25)  # gaps 12 and 25 days: shows 25
    one = _idle(driver, "2026-03-02 10:00", 15)
    _idle(driver, "2026-03-02 11:00", 3, 2)  # busy: no long gap
    supervisor = world["supervisor"]
    dashboard.long_gaps(supervisor, 10)  # loads the supervisor's grants (once per request)
    with django_assert_num_queries(2):
        rows = dashboard.long_gaps(supervisor, 10)
    assert [(r.dossier.code, r.days) for r in rows] == [(two.code, 25), (one.code, 15)]
    # more events do not add queries
    for i in range(5):
        _idle(driver, f"2026-03-03 {8 + i:02d}:00", 11 + i)
    with django_assert_num_queries(2):
        rows = dashboard.long_gaps(supervisor, 10)
    assert len(rows) == 7 and rows[0].dossier.code == two.code
    assert [r.days for r in dashboard.long_gaps(supervisor, 10, limit=3)] == [25, 15, 15]
    assert DossierEvent.objects.count() == 27 and Dossier.objects.count() == 8
