"""The API: a dossier the post hands over (``channel: postal`` with ``postal``), and a
result returned by post (``return_result`` with ``postal``)."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.postal.models import PostalHandover
from tests.api.test_dossiers_api import BODY

pytestmark = pytest.mark.django_db


def local(instant: dt.datetime) -> str:
    return timezone.localtime(instant).replace(second=0, microsecond=0).isoformat()


def postal_body(handed_over_at: str, **postal):
    return {
        **BODY,
        "channel": "postal",
        "postal": {
            "carrier": "viettel_post",
            "tracking_number": " 1234 5678 9012 ",
            "handed_over_at": handed_over_at,
            "fee": 18000,
            **postal,
        },
    }


def test_postal_create_records_the_handover_and_receives_at_it(api):
    handed = local(timezone.now() - dt.timedelta(hours=20))
    body = postal_body(handed)
    first = api("officer", "post", "/api/v1/dossiers", body, HTTP_IDEMPOTENCY_KEY="p")
    assert first.status_code == 201, first.json()
    data = first.json()
    assert data["channel"] == "postal" and data["state"] == "received"
    d = Dossier.objects.get()
    assert d.received_at == dt.datetime.fromisoformat(handed) == d.submitted_at
    row = PostalHandover.objects.get()
    assert (row.dossier, row.direction, row.carrier) == (d, "inbound", "viettel_post")
    assert row.tracking_number == "123456789012" and row.fee == 18000
    again = api("officer", "post", "/api/v1/dossiers", body, HTTP_IDEMPOTENCY_KEY="p")
    assert again.status_code == 200 and again.json()["code"] == data["code"]
    assert Dossier.objects.count() == 1 and PostalHandover.objects.count() == 1


@pytest.mark.parametrize("receive", [True, False])
def test_postal_without_the_postal_object_is_refused(api, receive):
    body = {**BODY, "channel": "postal", "receive": receive}
    response = api("officer", "post", "/api/v1/dossiers", body)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid" and error["details"] == {"postal": "required"}
    assert "Hồ sơ nộp qua bưu chính cần thông tin giao nhận" in error["message"]
    assert Dossier.objects.count() == 0 and PostalHandover.objects.count() == 0


def test_bad_postal_facts_get_json_errors_per_field(api):
    future = local(timezone.now() + dt.timedelta(hours=2))
    body = postal_body(future, tracking_number="", fee=-5)
    response = api("officer", "post", "/api/v1/dossiers", body)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert error["details"] == {
        "tracking_number": "Nhập mã bưu gửi (số vận đơn).",
        "fee": "Cước bưu chính không được âm.",
        "handed_over_at": "Thời điểm giao nhận không được ở tương lai.",
    }
    assert Dossier.objects.count() == 0 and PostalHandover.objects.count() == 0


def test_postal_facts_need_the_postal_channel(api):
    body = {**postal_body(local(timezone.now())), "channel": "counter"}
    response = api("officer", "post", "/api/v1/dossiers", body)
    assert response.status_code == 400 and "postal" in response.json()["details"]
    assert Dossier.objects.count() == 0


def test_a_specialist_cannot_enter_a_postal_dossier(api):
    response = api("specialist", "post", "/api/v1/dossiers", postal_body(local(timezone.now())))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert PostalHandover.objects.count() == 0


def test_return_by_post_through_the_api(api, world):
    from motcua.dossiers.services import perform

    created = api("officer", "post", "/api/v1/dossiers", {**BODY, "receive": True}).json()
    d = Dossier.objects.get(code=created["code"])
    for action, who in (
        ("transfer", "officer"),
        ("complete_step", "specialist"),
        ("approve", "leader"),
        ("complete_step", "officer"),
    ):
        d, _ = perform(d, action, world[who])
    body = {
        "returned_to": "Nguyễn Văn An",
        "postal": {
            "carrier": "vnpost",
            "tracking_number": "EE123456789VN",
            "handed_over_at": local(timezone.now()),
            "fee": 22000,
        },
    }
    response = api("officer", "post", f"/api/v1/dossiers/{d.code}/actions/return_result", body)
    assert response.status_code == 200, response.json()
    d.refresh_from_db()
    assert d.state == "returned" and d.return_method == "post"
    row = PostalHandover.objects.get()
    assert (row.direction, row.tracking_number, row.fee) == ("outbound", "EE123456789VN", 22000)


def resolved_through_the_api(api, world, **body):
    from motcua.dossiers.services import perform

    created = api("officer", "post", "/api/v1/dossiers", {**BODY, **body}).json()
    d = Dossier.objects.get(code=created["code"])
    for action, who in (
        ("transfer", "officer"),
        ("complete_step", "specialist"),
        ("approve", "leader"),
        ("complete_step", "officer"),
    ):
        d, _ = perform(d, action, world[who])
    return d


@pytest.mark.parametrize(
    ("delivery", "method"),
    [("counter", "post"), ("post", ""), ("post", "post")],
)
def test_a_return_by_post_without_the_handover_is_refused(api, world, delivery, method):
    d = resolved_through_the_api(api, world, result_delivery=delivery)
    body = {"returned_to": "Nguyễn Văn An", "method": method}
    response = api("officer", "post", f"/api/v1/dossiers/{d.code}/actions/return_result", body)
    assert response.status_code == 400, response.json()
    error = response.json()
    assert error["code"] == "invalid" and error["details"] == {"postal": "required"}
    assert "giao kết quả cho bưu chính" in error["message"]
    d.refresh_from_db()
    assert d.state == "resolved" and d.returned_at is None
    assert PostalHandover.objects.count() == 0


def test_a_counter_return_needs_no_postal_object(api, world):
    d = resolved_through_the_api(api, world, result_delivery="post")
    body = {"returned_to": "Nguyễn Văn An", "method": "counter"}
    response = api("officer", "post", f"/api/v1/dossiers/{d.code}/actions/return_result", body)
    assert response.status_code == 200 and response.json()["state"] == "returned"


@pytest.mark.parametrize(("action", "method"), [("return_result", "counter"), ("transfer", "")])
def test_a_postal_object_on_another_action_is_refused(api, world, action, method):
    d = resolved_through_the_api(api, world) if action == "return_result" else None
    if d is None:
        created = api("officer", "post", "/api/v1/dossiers", BODY).json()
        d = Dossier.objects.get(code=created["code"])
    body = {
        "method": method,
        "postal": {
            "carrier": "vnpost",
            "tracking_number": "EE123456789VN",
            "handed_over_at": local(timezone.now()),
        },
    }
    response = api("officer", "post", f"/api/v1/dossiers/{d.code}/actions/{action}", body)
    assert response.status_code == 400 and "postal" in response.json()["details"]
    assert PostalHandover.objects.count() == 0
    assert Dossier.objects.get().version == d.version
