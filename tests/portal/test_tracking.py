"""Public tracking: code + last 4 digits, the QR token, plain timeline, rate limit."""

import pytest
from django.core.cache import cache

from motcua.dossiers.services import perform
from motcua.dossiers.tracking import tracking_token
from tests.dossiers.conftest import at, intake, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dossier(world, intake):  # noqa: F811
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(
        d,
        "request_supplement",
        world["specialist"],
        now=at("2026-03-02 14:00"),
        reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp",
    )
    return d


def test_tracking_by_code_and_last_four_id_digits(client, dossier):
    page = client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đã tiếp nhận hồ sơ" in text
    assert "Đang chờ bạn bổ sung hồ sơ" in text and "Cần bạn thực hiện" in text
    assert "Thiếu giấy tờ chứng minh chỗ ở hợp pháp" in text
    assert "17:00" in text and "05/03/2026" in text  # the due date
    assert "079090001234" not in text and "••••••••1234" in text  # never the full ID
    assert "0903123456" not in text


def test_tracking_by_phone_digits_too(client, dossier):
    assert client.post("/tra-cuu/", {"code": dossier.code, "last4": "3456"}).status_code == 200


def test_wrong_digits_or_code_say_the_same_thing(client, dossier):
    wrong_digits = client.post("/tra-cuu/", {"code": dossier.code, "last4": "9999"})
    wrong_code = client.post("/tra-cuu/", {"code": "000.21.26.H29-260302-9999", "last4": "1234"})
    assert wrong_digits.status_code == wrong_code.status_code == 404
    assert "Không tìm thấy hồ sơ" in wrong_digits.content.decode()
    assert dossier.code in wrong_digits.content.decode()  # what was typed is kept


def test_enumeration_hits_the_limit(client, dossier, settings):
    settings.TRACKING_ATTEMPTS = 3
    for n in range(3):
        assert (
            client.post("/tra-cuu/", {"code": dossier.code, "last4": f"000{n}"}).status_code == 404
        )
    client.post("/tra-cuu/", {"code": dossier.code, "last4": "0009"})
    blocked = client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"})
    assert blocked.status_code == 429
    assert "thử lại sau" in blocked.content.decode()


def test_receipt_qr_token_opens_the_page_and_a_forged_one_does_not(client, dossier):
    token = tracking_token(dossier)
    ok = client.get(f"/tra-cuu/{dossier.code}/", {"t": token})
    assert ok.status_code == 200 and "Đã tiếp nhận hồ sơ" in ok.content.decode()
    assert client.get(f"/tra-cuu/{dossier.code}/", {"t": token + "x"}).status_code == 404
    other = client.get("/tra-cuu/000.21.26.H29-260302-0002/", {"t": token})
    assert other.status_code == 404


def test_tracking_page_costs_few_queries(client, dossier, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"})


def test_form_page_is_accessible(client):
    page = client.get("/tra-cuu/?ma=000.21.26.H29-260302-0001").content.decode()
    assert 'for="track-code"' in page and 'for="track-last4"' in page
    assert 'value="000.21.26.H29-260302-0001"' in page
