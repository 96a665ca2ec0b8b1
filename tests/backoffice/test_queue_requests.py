"""Work queues flag the dossiers whose applicant asked to stop or withdraw, filter them, and
the one-stop officer declines such a request from the dossier page."""

import datetime as dt

import pytest

from motcua.dossiers.services import perform
from motcua.portal.models import ApplicantRequest
from tests.backoffice.test_queues import QUEUE, QUEUE_PAGE_QUERIES, codes, moved
from tests.dossiers.conftest import at
from tests.portal.test_submit import ID_AN, make_citizen

pytestmark = pytest.mark.django_db

STOP_FLAG = '<span class="flag small" data-request="stop">Công dân đề nghị dừng</span>'
WITHDRAW_FLAG = '<span class="flag small" data-request="withdraw">Công dân đề nghị rút hồ sơ</span>'


@pytest.fixture
def an(db):
    return make_citizen("an", ID_AN, "Nguyễn Văn An", dt.date(1990, 5, 4))


def test_rows_with_a_request_are_flagged_and_filtered(login, world, intake, clock, an):
    asked = moved(world, intake, "2026-03-02 09:00")
    perform(asked, "request_stop", an, now=at("2026-03-02 09:30"), reason="Đổi ý")
    plain = moved(world, intake, "2026-03-02 09:10")
    client = login("specialist")
    html = client.get(QUEUE, {"q": "unit"}).text
    assert codes(html) == [asked.code, plain.code]
    assert html.count(STOP_FLAG) == 1 and WITHDRAW_FLAG not in html
    row = html.split(f"{asked.code}</a>")[1].split("</tr>")[0]
    assert STOP_FLAG in row
    assert 'name="request"' in html and "Đề nghị của công dân" in html
    assert codes(client.get(QUEUE, {"q": "unit", "request": "any"}).text) == [asked.code]
    assert codes(client.get(QUEUE, {"q": "unit", "request": "stop"}).text) == [asked.code]
    assert codes(client.get(QUEUE, {"q": "unit", "request": "withdraw"}).text) == []
    bad = client.get(QUEUE, {"q": "unit", "request": "all-of-them"})
    assert bad.status_code == 200 and codes(bad.text) == [asked.code, plain.code]


def test_the_officer_has_a_queue_of_requests_and_declines_one(login, world, intake, clock, an):
    asked = moved(world, intake, "2026-03-02 09:00")
    perform(asked, "request_withdrawal", an, now=at("2026-03-02 09:30"), reason="Nộp nhầm")
    client = login("officer")
    page = client.get(QUEUE, {"q": "requests"})
    assert page.status_code == 200 and "Công dân đề nghị dừng, rút hồ sơ" in page.text
    assert codes(page.text) == [asked.code] and WITHDRAW_FLAG in page.text

    dossier_page = client.get(f"/can-bo/ho-so/{asked.code}/").text
    assert "Không chấp thuận đề nghị dừng, rút hồ sơ của người nộp" in dossier_page
    url = f"/can-bo/ho-so/{asked.code}/thao-tac/decline_request/"
    version = asked.version + 1
    missing = client.post(url, {"decline_request-expected_version": version})
    assert missing.status_code == 400
    assert ApplicantRequest.objects.get().status == "open"
    done = client.post(
        url,
        {
            "decline_request-expected_version": version,
            "decline_request-reason": "Bản gốc đã chuyển cơ quan cấp trên.",
        },
    )
    assert done.status_code == 302
    assert ApplicantRequest.objects.get().status == "declined"
    assert codes(client.get(QUEUE, {"q": "requests"}).text) == []
    after = client.get(f"/can-bo/ho-so/{asked.code}/").text
    assert "Bản gốc đã chuyển cơ quan cấp trên." in after  # in the timeline
    assert 'action="' + url not in after  # nothing left to decline
    # Without a request the page offers no decline, and the specialist never sees one.
    assert "decline_request" not in login("specialist").get(f"/can-bo/ho-so/{asked.code}/").text


@pytest.mark.parametrize("n", [2, 12])
def test_flagged_queue_page_query_count_does_not_grow(
    login, world, intake, clock, warm_calendars, django_assert_num_queries, an, n
):
    for i in range(n):
        d = moved(world, intake, f"2026-03-02 {8 + i // 6:02d}:{(i % 6) * 10:02d}")
        perform(d, "request_stop" if i % 2 else "request_withdrawal", an, reason="Đổi ý")
    for who, kind in (("specialist", "unit"), ("officer", "requests")):
        client = login(who)
        client.get(QUEUE, {"q": kind})  # warm the session
        with django_assert_num_queries(QUEUE_PAGE_QUERIES):
            page = client.get(QUEUE, {"q": kind, "request": "any"})
        assert len(codes(page.text)) == n
        assert page.text.count(STOP_FLAG) == n // 2
