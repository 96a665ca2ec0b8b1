"""Work queues: scoping, urgency order and colours, filters, paging, counts, query count."""

import re

import pytest

from motcua.dossiers.services import perform
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db

QUEUE = "/can-bo/ho-so/"
#: session, user, grants, nav counts (one query for all queues), page count, page rows.
QUEUE_PAGE_QUERIES = 6


def moved(world, intake, when):
    d = intake(when)
    d, _ = perform(d, "transfer", world["officer"], now=at(when))
    return d


def codes(html):
    return re.findall(r'<td class="code-cell"><a href="/can-bo/ho-so/([^/]+)/">', html)


def test_unit_queue_is_scoped_and_most_urgent_first(login, world, intake, clock, client):
    later = moved(world, intake, "2026-03-03 09:00")
    sooner = moved(world, intake, "2026-03-02 09:00")
    clock("2026-03-03 10:00")
    page = login("specialist").get(QUEUE, {"q": "unit"})
    assert page.status_code == 200
    assert codes(page.text) == [sooner.code, later.code]
    other = login("other_specialist").get(QUEUE, {"q": "unit"})
    assert codes(other.text) == []
    supervisor = login("supervisor").get(QUEUE, {"q": "unit"})
    assert codes(supervisor.text) == [sooner.code, later.code]


def test_rows_show_colour_and_words_for_each_urgency(login, world, intake, clock):
    d = moved(world, intake, "2026-03-02 09:00")  # due Thu 5/3 17:00
    client = login("specialist")
    expected = {
        "2026-03-02 10:00": ("on_track", "Trong hạn", "còn 3 ngày 5 giờ làm việc"),
        "2026-03-04 10:00": ("warn", "Sắp đến hạn", "còn 1 ngày 5 giờ làm việc"),
        "2026-03-05 10:00": ("due_soon", "Đến hạn trong 1 ngày làm việc", "còn 5 giờ 30 phút"),
        "2026-03-06 08:30": ("overdue", "Quá hạn", "quá 1 giờ làm việc"),
    }
    for when, (level, words, left) in expected.items():
        clock(when)
        html = client.get(QUEUE, {"q": "unit"}).text
        assert f'<tr class="u-{level}">' in html, when
        assert f'<span class="urgency u-{level}">{words}</span>' in html, when
        assert left in html, when
    assert d.masked_id() in html and d.applicant_id_number not in html
    assert "Thẩm định" in html and "17:00 05/03/2026" in html


def test_queues_in_the_navigation_depend_on_the_role(login, world, intake, clock):
    moved(world, intake, "2026-03-02 09:00")
    officer = login("officer").get(QUEUE).text
    assert "Trực tuyến chờ tiếp nhận" in officer and "Có kết quả, chờ trả" in officer
    assert "Chờ tôi phê duyệt" not in officer
    leader = login("leader").get(QUEUE).text
    assert "Chờ tôi phê duyệt" in leader and "Tiếp nhận hồ sơ" not in leader
    specialist = login("specialist").get(QUEUE).text
    assert re.search(r"Hồ sơ của đơn vị</span>\s*<span class=\"count\">1<", specialist)


def test_mine_approval_and_return_queues(login, world, intake, clock):
    d = moved(world, intake, "2026-03-02 09:00")
    s = world["specialist"]
    d, _ = perform(d, "assign", s, now=at("2026-03-02 09:30"), assignee_id=s.pk)
    assert codes(login("specialist").get(QUEUE, {"q": "mine"}).text) == [d.code]
    d, _ = perform(d, "complete_step", s, now=at("2026-03-02 11:00"))
    assert codes(login("leader").get(QUEUE, {"q": "approval"}).text) == [d.code]
    d, _ = perform(d, "approve", world["leader"], now=at("2026-03-02 14:00"))
    d, _ = perform(d, "complete_step", world["officer"], now=at("2026-03-02 15:00"))
    assert codes(login("officer").get(QUEUE, {"q": "return"}).text) == [d.code]


def test_filters_narrow_the_queue(login, world, intake, clock):
    first = moved(world, intake, "2026-03-02 09:00")
    second = moved(world, intake, "2026-03-04 09:00")
    client = login("specialist")

    def filtered(**params):
        return codes(client.get(QUEUE, {"q": "unit", **params}).text)

    assert filtered(procedure="1.004222") == [first.code, second.code]
    assert filtered(procedure="9.999999") == []
    assert filtered(received_from="2026-03-03") == [second.code]
    assert filtered(received_to="2026-03-03") == [first.code]
    assert filtered(channel="online") == []
    assert filtered(state="in_process") == [first.code, second.code]
    bad = client.get(QUEUE, {"q": "unit", "received_from": "hôm qua"})
    assert bad.status_code == 200 and 'id="id_received_from_error"' in bad.text


def test_unknown_queue_is_a_404(login, world):
    assert login("specialist").get(QUEUE, {"q": "everything"}).status_code == 404


def test_pages_of_fifty(login, world, intake, clock):
    for i in range(52):
        intake(f"2026-03-02 {8 + i // 60:02d}:{i % 60:02d}")
    client = login("officer")
    first = client.get(QUEUE, {"q": "unit"})
    assert len(codes(first.text)) == 50 and "Trang 1/2" in first.text
    second = client.get(QUEUE, {"q": "unit", "page": 2})
    assert len(codes(second.text)) == 2


@pytest.mark.parametrize("n", [2, 12])
def test_queue_page_query_count_does_not_grow(
    login, world, intake, clock, warm_calendars, django_assert_num_queries, n
):
    s = world["specialist"]
    for i in range(n):
        d = moved(world, intake, f"2026-03-02 {8 + i // 6:02d}:{(i % 6) * 10:02d}")
        perform(d, "assign", s, now=at("2026-03-02 10:00"), assignee_id=s.pk)
    client = login("specialist")
    client.get(QUEUE, {"q": "unit"})  # warm the session
    with django_assert_num_queries(QUEUE_PAGE_QUERIES):
        page = client.get(QUEUE, {"q": "unit"})
    assert len(codes(page.text)) == n


def test_navigation_labels_match_the_queue_labels():
    from motcua.backoffice.common import LABELS
    from motcua.dossiers.queries import QUEUE_LABELS

    assert {k: str(v) for k, v in LABELS.items()} == {
        k: str(v) for k, v in QUEUE_LABELS.items() if k in LABELS
    }
