"""Public tracking: code + last 4 digits, the QR token, plain timeline, rate limit."""

import pytest
from django.core.cache import cache

from motcua.core import ratelimit
from motcua.dossiers.services import perform
from motcua.dossiers.tracking import tracking_token
from tests.dossiers.conftest import APPLICANT, at, intake, world  # noqa: F401  (fixtures)

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


def _main(page) -> str:
    """The page's main content (the header's language form carries a fresh CSRF token)."""
    text = page.content.decode()
    return text[text.index("<main") : text.index("</main>")]


#: a cached lookup: the dossier's summary row by code or reference (procedure and agency names
#: joined). A miss adds its events with their steps, then the rendered part is cached.
TRACKING_QUERIES_CACHED = 1
TRACKING_QUERIES = 2


def test_a_lookup_costs_a_fixed_number_of_queries(
    client,
    world,  # noqa: F811
    dossier,
    django_assert_num_queries,
):
    """Pinned for ``bench/bench_tracking.py``: a lookup does not grow with the timeline."""
    with django_assert_num_queries(TRACKING_QUERIES):
        page = client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"})
    assert page.status_code == 200
    with django_assert_num_queries(TRACKING_QUERIES_CACHED):
        again = client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"})
    assert _main(again) == _main(page)
    for _ in range(3):
        dossier, _e = perform(dossier, "receive_supplement", world["officer"])
        dossier, _e = perform(dossier, "request_supplement", world["specialist"], reason="x",
                              override=True)  # fmt: skip
    with django_assert_num_queries(TRACKING_QUERIES):
        assert client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"}).status_code == 200
    with django_assert_num_queries(TRACKING_QUERIES_CACHED):
        assert client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"}).status_code == 200


def test_a_change_to_the_dossier_shows_at_once_despite_the_cache(client, world, dossier):  # noqa: F811
    before = client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"}).content.decode()
    assert "Đã nhận hồ sơ bổ sung" not in before
    perform(dossier, "receive_supplement", world["officer"], now=at("2026-03-03 08:30"))
    after = client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"}).content.decode()
    assert "Đã nhận hồ sơ bổ sung" in after and "Đang giải quyết" in after


def test_the_cached_part_is_kept_per_language(client, dossier):
    vi = client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"}).content.decode()
    en = client.post("/en/tra-cuu/", {"code": dossier.code, "last4": "1234"}).content.decode()
    assert "Quá trình giải quyết" in vi and 'lang="vi"' in vi
    assert "Processing history" in en and "Quá trình giải quyết" not in en and 'lang="en"' in en
    assert 'href="/en/tra-cuu/"' in en  # the part's links stay in English too
    again = client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"}).content.decode()
    assert "Quá trình giải quyết" in again and "Processing history" not in again


def test_without_the_cache_the_page_is_the_same(client, dossier, settings):
    cached = _main(client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"}))
    settings.TRACKING_CACHE_SECONDS = 0
    assert _main(client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"})) == cached


def test_a_correct_try_is_refused_too_until_the_window_passes(client, dossier, settings):
    settings.TRACKING_ATTEMPTS = 2
    for n in range(3):
        client.post("/tra-cuu/", {"code": dossier.code, "last4": f"000{n}"})
    refused = client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"})
    assert refused.status_code == 429 and dossier.code not in refused.content.decode()
    token = tracking_token(dossier)  # nor does the QR link get around the limit
    assert client.get(f"/tra-cuu/{dossier.code}/", {"t": token}).status_code == 429
    elsewhere = client.post(  # another address is not blocked
        "/tra-cuu/", {"code": dossier.code, "last4": "1234"}, REMOTE_ADDR="10.0.0.9"
    )
    assert elsewhere.status_code == 200
    cache.clear()  # the window has passed
    assert client.post("/tra-cuu/", {"code": dossier.code, "last4": "1234"}).status_code == 200


def test_english_limit_message(client, dossier, settings):
    settings.TRACKING_ATTEMPTS = 0
    client.post("/en/tra-cuu/", {"code": dossier.code, "last4": "0000"})
    page = client.post("/en/tra-cuu/", {"code": dossier.code, "last4": "1234"})
    assert page.status_code == 429 and 'lang="en"' in page.content.decode()


def test_the_page_says_what_the_dossier_timeline_says(dossier):
    """The page reads the events column-wise; the words are the dossier module's own."""
    from motcua.dossiers.tracking import public_timeline
    from motcua.portal.tracking_page import timeline

    ours = [(i["title"], i["detail"], i["waiting_for_you"]) for i in timeline(dossier.pk)]
    theirs = [(i.title, i.detail, i.waiting_for_you) for i in public_timeline(dossier)]
    assert ours == theirs and len(ours) >= 3
    assert any("chuyển đến" in detail for _t, detail, _w in ours)  # the unit's name


def test_tracking_keeps_working_and_limiting_when_redis_is_down(client, intake, settings):  # noqa: F811
    """Nothing listens on port 1: the page is rendered without the cache, and the limit falls
    back to this process's own count (logged) rather than failing or letting everyone in."""
    memory = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "motcua.core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    settings.TRACKING_ATTEMPTS = 2
    dossier = intake("2026-03-02 09:00")
    right = {"code": dossier.code, "last4": APPLICANT.id_number[-4:]}
    assert client.post("/tra-cuu/", right).status_code == 200
    wrong = {"code": dossier.code, "last4": "0000"}
    statuses = [client.post("/tra-cuu/", wrong, REMOTE_ADDR="192.0.2.77").status_code
                for _ in range(4)]  # fmt: skip
    assert statuses == [404, 404, 404, 429]
    ratelimit._fallback.clear()
    settings.CACHES = memory  # (the fixture that clears the cache runs after this test)
