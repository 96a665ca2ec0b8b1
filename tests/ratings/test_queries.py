"""Pinned query counts: the aggregate pages read the tallies, so their cost does not grow with
the ratings; the tablet's poll is two queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.ratings import services
from motcua.ratings.tokens import rating_token
from motcua.worktime.queries import calendar_for

from .conftest import at, link

pytestmark = pytest.mark.django_db

#: session, user, grants, the staff navigation's queue counts (backoffice), units,
#: unit totals, answers, criteria, officers, comments, counters.
UNIT_PAGE = 11
#: session, user, grants, queue counts, totals, units, months, officers.
OVERVIEW_PAGE = 8
#: tablet key, current transaction.
TABLET_STATUS = 2
#: counter, tablet key, current transaction (with dossier and officer), criteria.
TABLET_FORM = 4
#: the link with its dossier, criteria.
ONLINE_FORM = 2


@pytest.fixture
def rated(world, returned, settings):
    settings.RATING_TOKEN_DAYS = 365

    def make(n):
        for i in range(n):
            d = returned(f"2026-03-02 09:{i:02d}")
            via = services.ByLink(d.code, rating_token(d))
            answers = {"overall": 1 + i % 5, "staff_attitude": 5, "contacts": 2}
            services.submit_rating(via, answers, f"Ý kiến {i}", now=at(f"2026-03-{10 + i} 10:00"))
        for agency in (None, world["agency"].pk):
            calendar_for(agency)  # warm the working calendars the staff navigation uses

    return make


def _count(client, path, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("n", [1, 4])
def test_unit_page_queries_do_not_grow(client, world, rated, clock, n):
    rated(n)
    client.force_login(world["officer"])
    count, response = _count(client, "/danh-gia/don-vi/", tu="2026-03-01", den="2026-03-31")
    assert count == UNIT_PAGE
    assert response.text.count("Ý kiến ") >= n


@pytest.mark.parametrize("n", [1, 4])
def test_overview_page_queries_do_not_grow(client, world, rated, clock, n):
    rated(n)
    client.force_login(world["supervisor"])
    count, _response = _count(client, "/danh-gia/tong-hop/", tu="2026-03-01", den="2026-03-31")
    assert count == OVERVIEW_PAGE


def test_tablet_pages_queries(client, world, returned, clock, paired):
    paired(client)
    tablet = f"/danh-gia/quay/{world['counter'].pk}/"
    assert _count(client, f"{tablet}trang-thai/")[0] == TABLET_STATUS
    d = returned()
    services.start_session(world["officer"], world["counter"], d.code, now=clock())
    assert _count(client, f"{tablet}trang-thai/")[0] == TABLET_STATUS
    assert _count(client, tablet)[0] == TABLET_FORM


def test_online_form_queries(client, returned, clock):
    d = returned()
    assert _count(client, link(d))[0] == ONLINE_FORM
