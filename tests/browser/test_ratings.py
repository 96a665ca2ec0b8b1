"""The counter's rating tablet in a real browser at 1024×768: idle → the officer puts the
transaction on it from the back office → the citizen taps the answers → thanks → idle."""

from __future__ import annotations

import re

import pytest

from motcua.ratings import services
from motcua.ratings.models import Channel, Rating
from motcua.ratings.tokens import TABLET_COOKIE, rating_token
from tests.dossiers.conftest import intake, world  # noqa: F401  (fixtures)
from tests.ratings.conftest import returned, seed_criteria  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "x-pass-123456"  # tests/conftest.py make_user


@pytest.fixture
def tablet(chromium):
    context = chromium.new_context(viewport={"width": 1024, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def desk(chromium):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, base, username):
    page.goto(f"{base}/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/can-bo/ho-so/"))


def choose(page, question_key, label):
    page.locator(f"#c-{question_key}").get_by_text(label, exact=True).click()


def put_on_tablet(desk, base, counter, code):
    """The officer puts the dossier just handed over on the tablet from the back office."""
    if "/phien/" not in desk.url:
        sign_in(desk, base, "tiepnhan")
        desk.goto(f"{base}/danh-gia/quay/{counter.pk}/phien/")
    desk.get_by_label("Mã hồ sơ").fill(code)
    desk.get_by_role("button", name="Đưa lên màn hình", exact=True).click()


def answer_on_tablet(tablet, artifacts):
    """Tap four answers: big buttons that show what was chosen."""
    choose(tablet, "overall", "Rất hài lòng")
    choose(tablet, "staff_attitude", "Hài lòng")
    choose(tablet, "one_stop", "Có")
    choose(tablet, "contacts", "1 lần")
    assert tablet.locator("#c-overall-5").is_checked()
    assert tablet.locator("#c-staff_attitude-4").is_checked()
    box = tablet.locator("#c-overall label").first.bounding_box()
    assert box["height"] >= 80 and box["width"] >= 150  # large enough for a finger
    tablet.evaluate("window.scrollTo(0, 0)")
    tablet.screenshot(path=artifacts / "ratings-tablet-form.png")
    tablet.screenshot(path=artifacts / "ratings-tablet-form-full.png", full_page=True)
    tablet.set_viewport_size({"width": 800, "height": 1280})  # the tablet held upright
    tablet.screenshot(path=artifacts / "ratings-tablet-form-portrait.png")
    tablet.set_viewport_size({"width": 1024, "height": 768})


def look_at_the_reports(desk, base, artifacts):
    """The unit's page counts the rating; so do the supervisor's aggregates."""
    desk.goto(f"{base}/danh-gia/don-vi/")
    figures = desk.locator(".figures").inner_text()
    assert "1\nphiếu đánh giá" in figures and "100,0%" in figures
    desk.screenshot(path=artifacts / "ratings-unit.png", full_page=True)
    desk.get_by_role("button", name="Đăng xuất").click()
    desk.wait_for_url(re.compile(r"/can-bo/dang-nhap/"))
    sign_in(desk, base, "giamsat")
    desk.goto(f"{base}/danh-gia/tong-hop/")
    assert desk.locator("#units + p + table tbody tr").count() == 3
    desk.screenshot(path=artifacts / "ratings-overview.png", full_page=True)


def test_the_tablet_goes_idle_transaction_answers_thanks_idle(
    tablet,
    desk,
    live_server,
    world,  # noqa: F811
    returned,  # noqa: F811
    settings,
    artifacts,
):
    seed_criteria()
    settings.RATING_TABLET_POLL_SECONDS = 1
    settings.RATING_TABLET_RESET_SECONDS = 2
    base, counter = live_server.url, world["counter"]
    d = returned()
    key = services.pair_tablet(world["officer"], counter)
    tablet.context.add_cookies([{"name": TABLET_COOKIE, "value": key, "url": base}])

    tablet.goto(f"{base}/danh-gia/quay/{counter.pk}/")
    tablet.wait_for_selector('[data-screen="idle"]')
    assert tablet.get_by_role("heading", name="Mời Ông/Bà đánh giá mức độ hài lòng").is_visible()
    assert not tablet.locator("header.site").is_visible()  # the screen belongs to the counter
    tablet.screenshot(path=artifacts / "ratings-tablet-idle.png")

    put_on_tablet(desk, base, counter, d.code)
    desk.wait_for_selector(".alert.success")
    desk.screenshot(path=artifacts / "ratings-session.png", full_page=True)

    # The tablet notices within a poll and shows the transaction with the questions.
    tablet.wait_for_selector('[data-screen="form"]', timeout=10_000)
    transaction = tablet.locator(".transaction").inner_text()
    assert d.code in transaction and "tiepnhan" in transaction
    answer_on_tablet(tablet, artifacts)

    tablet.get_by_role("button", name="Gửi đánh giá").click()
    tablet.wait_for_selector('[data-screen="thanks"]')
    assert tablet.get_by_role("heading", name="Cảm ơn Ông/Bà đã đánh giá!").is_visible()
    tablet.screenshot(path=artifacts / "ratings-tablet-thanks.png")

    tablet.wait_for_selector('[data-screen="idle"]', timeout=10_000)  # resets by itself
    rating = Rating.objects.get(dossier=d)
    assert rating.channel == Channel.COUNTER and rating.overall_score == 5 and rating.satisfied
    assert rating.answers.count() == 4

    # The dossier cannot be put on the tablet again.
    put_on_tablet(desk, base, counter, d.code)
    assert "Hồ sơ này đã được đánh giá" in desk.locator(".field-error").inner_text()
    look_at_the_reports(desk, base, artifacts)


def test_online_rating_from_the_invitation_link(page, live_server, returned, artifacts):  # noqa: F811
    seed_criteria()
    d = returned()
    services.issue_token(d)  # a link valid from now
    page.goto(f"{live_server.url}/danh-gia/{d.code}/?t={rating_token(d)}")
    page.get_by_role("button", name="Gửi đánh giá").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "Vui lòng chọn một câu trả lời" in summary.inner_text()
    page.screenshot(path=artifacts / "ratings-online-error.png", full_page=True)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "c-overall-1"
    page.keyboard.press("ArrowRight")  # radios answer the keyboard: now 2
    choose(page, "overall", "Hài lòng")
    page.get_by_label("Ý kiến khác (không bắt buộc)").fill("Nhanh, gọn.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_url(re.compile(r"/danh-gia/cam-on/$"))
    assert page.get_by_role("heading", name="Cảm ơn Ông/Bà đã đánh giá!").is_visible()
    rating = Rating.objects.get(dossier=d)
    assert rating.channel == Channel.ONLINE and rating.overall_score == 4
    assert rating.comment == "Nhanh, gọn."
