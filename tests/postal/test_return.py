"""Returning the result by post (Decision 45/2016/QĐ-TTg): the return action records the
handover to the post with it; a counter return records none; only the receiving unit's
officers may; the dossier page shows the postal facts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.errors import Forbidden, InvalidInput
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import NewDossier, perform
from motcua.postal.models import PostalHandover
from motcua.postal.services import Handover, intake_by_post, return_by_post
from tests.dossiers.conftest import APPLICANT, at
from tests.postal.conftest import resolve_same_day

pytestmark = pytest.mark.django_db

RETURN = "return_result"


def url(d, *rest):
    return "/".join([f"/can-bo/ho-so/{d.display_code}", *rest, ""])


def post_return(client, d, **data):
    d.refresh_from_db()
    fields = {
        "expected_version": d.version,
        "returned_to": "Nguyễn Văn An",
        "method": "post",
        "carrier": "viettel_post",
        "tracking_number": "1234 5678 9012",
        "handed_over_at": "2026-03-03T08:30",
        "fee": "32000",
        "postal_employee": "",
        **data,
    }
    return client.post(url(d, "thao-tac", RETURN), {f"{RETURN}-{k}": v for k, v in fields.items()})


def test_return_by_post_records_the_handover_to_the_post(login, world, resolved, clock):
    d = resolved()
    clock("2026-03-03 09:00")
    client = login("officer")
    page = client.get(url(d)).text
    assert 'data-postal-when="return_result-method=post"' in page
    assert "Thời điểm giao kết quả cho bưu chính" in page
    response = post_return(client, d)
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == "returned" and d.return_method == "post"
    [row] = PostalHandover.objects.all()
    assert (row.dossier, row.direction, row.carrier) == (d, "outbound", "viettel_post")
    assert row.tracking_number == "123456789012" and row.fee == 32000
    assert row.handed_over_at == at("2026-03-03 08:30")
    assert row.recorded_by == world["officer"] and row.recorded_at == at("2026-03-03 09:00")
    html = client.get(url(d)).text
    for text in ("Giao nhận qua dịch vụ bưu chính", "Viettel Post", "123456789012", "32.000"):
        assert text in html
    assert "08:30 03/03/2026" in html


def test_a_counter_return_records_no_handover(login, resolved, clock):
    d = resolved()
    clock("2026-03-03 09:00")
    response = post_return(login("officer"), d, method="counter", tracking_number="")
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == "returned" and d.return_method == "counter"
    assert PostalHandover.objects.count() == 0
    assert "Giao nhận qua dịch vụ bưu chính" not in login("officer").get(url(d)).text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tracking_number", "", "Nhập mã bưu gửi (số vận đơn)."),
        ("fee", "-1", "Cước bưu chính không được âm."),
        ("handed_over_at", "2026-03-03T09:30", "Thời điểm giao nhận không được ở tương lai."),
        ("handed_over_at", "2026-03-02T14:59", "trước khi có kết quả (15:00 02/03/2026)"),
    ],
)
def test_bad_handover_leaves_the_result_unreturned(login, resolved, clock, field, value, message):
    d = resolved()
    clock("2026-03-03 09:00")
    response = post_return(login("officer"), d, **{field: value})
    assert response.status_code == 400
    assert f'id="id_{RETURN}-{field}_error"' in response.text
    assert message in response.text
    assert Dossier.objects.get().state == "resolved"
    assert PostalHandover.objects.count() == 0


@pytest.mark.parametrize("method", ["post", ""])
def test_only_the_postal_service_returns_by_post(world, resolved, method):
    """The lifecycle refuses a return by post that does not come with the handover to the
    post, whatever page or client asks (here: the result was to be sent by post)."""
    d = resolved()
    Dossier.objects.filter(pk=d.pk).update(result_delivery="post")
    with pytest.raises(InvalidInput) as error:
        perform(d, RETURN, world["officer"], now=at("2026-03-03 09:00"), method=method)
    assert error.value.details == {"postal": "required"}
    assert Dossier.objects.get().state == "resolved"


def test_a_specialist_cannot_return_by_post(world, resolved):
    d = resolved()
    handover = Handover("vnpost", "EE123456789VN", at("2026-03-03 08:30"), fee=20000)
    with pytest.raises(Forbidden):
        return_by_post(d, world["specialist"], handover, now=at("2026-03-03 09:00"))
    assert Dossier.objects.get().state == "resolved"
    assert PostalHandover.objects.count() == 0


def test_an_officer_of_another_agency_cannot_return_by_post(
    client, world, resolved, clock, make_user, roles
):
    d = resolved()
    b = world["org"]["b"]
    other = make_user("tn-b", roles.RECEPTION_OFFICER, b["agency"], b["one_stop"])
    handover = Handover("vnpost", "EE123456789VN", at("2026-03-03 08:30"))
    with pytest.raises(Forbidden):
        return_by_post(d, other, handover, now=at("2026-03-03 09:00"))
    clock("2026-03-03 09:00")
    client.force_login(other)
    assert post_return(client, d).status_code == 404  # outside their scope
    assert Dossier.objects.get().state == "resolved"
    assert PostalHandover.objects.count() == 0


def test_the_dossier_page_shows_both_handovers(login, world, clock):
    new = NewDossier(
        offering=world["offering"],
        channel="postal",
        applicant=APPLICANT,
        components=((None, "Tờ khai CT01", 1, 0),),
        result_delivery="post",
    )
    inbound = Handover("other", "GHN-778899", at("2026-03-02 08:40"), 15000, "Giao hàng nhanh")
    officer = world["officer"]
    d, _ = intake_by_post(officer, new, inbound, now=at("2026-03-02 09:00"), action="receive")
    d = resolve_same_day(d, world)
    outbound = Handover("vnpost", "EE123456789VN", at("2026-03-03 08:30"), 20000)
    return_by_post(d, officer, outbound, now=at("2026-03-03 09:00"), returned_to="An")
    clock("2026-03-03 09:05")
    html = login("officer").get(url(d)).text
    for text in (
        "Bưu chính giao hồ sơ cho bộ phận một cửa",
        "Bộ phận một cửa giao kết quả cho bưu chính",
        "Giao hàng nhanh",
        "GHN-778899",
        "EE123456789VN",
        "08:40 02/03/2026",
        "15.000",
        "Tổng cước bưu chính",
        "35.000",
    ):
        assert text in html, text


def test_a_postal_dossier_page_costs_one_query_more(
    login, world, resolved, clock, warm_calendars, django_assert_num_queries
):
    """The handovers are read only for a dossier submitted or returned by post."""
    client = login("officer")
    clock("2026-03-03 09:00")
    counts = []
    for channel in ("counter", "postal"):
        d = resolved(channel=channel)
        client.get(url(d))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url(d))
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[0] + 1
    with django_assert_num_queries(counts[1]):
        page = client.get(url(d))
    assert "Chưa ghi nhận giao nhận bưu chính nào." in page.text
