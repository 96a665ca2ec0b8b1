"""Public tracking in a real browser: by code and last 4 digits (and in English), the
receipt's QR link, and an enumeration attempt that runs into the limit — after which even the
right digits are refused until the window has passed."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from motcua.dossiers.services import perform
from motcua.dossiers.tracking import tracking_token
from tests.browser.axe import assert_accessible
from tests.dossiers.conftest import APPLICANT, at, intake, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LAST4 = "4 số cuối số định danh hoặc số điện thoại"


@pytest.fixture(autouse=True)
def _clean_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def waiting(world, intake):  # noqa: F811
    """A received dossier the specialist sent back for a supplement."""
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(d, "request_supplement", world["specialist"],
                   now=at("2026-03-02 14:00"), reason="Thiếu bản sao giấy khai sinh.")  # fmt: skip
    return d


def look_up(page, base, code, last4):
    page.goto(f"{base}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label(LAST4).fill(last4)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()


def test_tracking_by_code(phone, live_server, waiting, artifacts):
    base, page = live_server.url, phone
    look_up(page, base, waiting.code, APPLICANT.id_number[-4:])
    main = page.locator("main").inner_text()
    assert waiting.code in main
    assert "Đang chờ bạn bổ sung hồ sơ" in main and "Thiếu bản sao giấy khai sinh." in main
    assert "Cần bạn thực hiện" in main
    assert "••••••••" + APPLICANT.id_number[-4:] in main
    assert APPLICANT.id_number not in page.content() and APPLICANT.phone not in page.content()
    assert_accessible(page, "tracking-result-phone")
    page.screenshot(path=artifacts / "portal-390-tracking-by-code.png", full_page=True)

    # English, from the header's language link: the form, then the same dossier
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/tra-cuu/"))
    page.get_by_label("Dossier code").fill(waiting.code)
    page.locator("#track-last4").fill(APPLICANT.phone[-4:])  # the phone's digits work too
    page.get_by_role("button", name="Track").click()
    page.wait_for_load_state()
    assert "Processing history" in page.locator("main").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"

    # The receipt's QR code opens the same page without typing anything
    page.goto(f"{base}/tra-cuu/{waiting.code}/?t={tracking_token(waiting)}")
    assert "Thiếu bản sao giấy khai sinh." in page.locator("main").inner_text()


def test_enumeration_attempts_hit_the_limit(phone, live_server, waiting, settings):
    settings.TRACKING_ATTEMPTS = 3
    base, page = live_server.url, phone
    for guess in ("0000", "1111", "2222"):  # someone trying digits
        look_up(page, base, waiting.code, guess)
        assert "Không tìm thấy hồ sơ" in page.locator("#track-error").inner_text()
        assert page.get_by_label("Mã hồ sơ").input_value() == waiting.code  # kept
    look_up(page, base, waiting.code, "3333")  # one more: over the limit
    look_up(page, base, waiting.code, APPLICANT.id_number[-4:])  # now even the right digits
    error = page.locator("#track-error").inner_text()
    assert "thử lại sau 15 phút" in error
    assert page.get_by_label("Mã hồ sơ").count() == 0  # no form to try again with
    assert waiting.code not in page.locator("main").inner_text()
    assert_accessible(page, "tracking-limited")
    # The QR link is refused too while the window lasts
    page.goto(f"{base}/tra-cuu/{waiting.code}/?t={tracking_token(waiting)}")
    assert "thử lại sau" in page.locator("#track-error").inner_text()

    cache.clear()  # the window has passed
    look_up(page, base, waiting.code, APPLICANT.id_number[-4:])
    assert "Đang chờ bạn bổ sung hồ sơ" in page.locator("main").inner_text()
