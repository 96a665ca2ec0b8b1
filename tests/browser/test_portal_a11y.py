"""The portal's main pages under axe-core (vendored, WCAG 2.1 A/AA rules: no serious or
critical violation) at 1280×900 and on a phone at 390×844 (no horizontal scrolling, the
controls reachable by touch and keyboard)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from motcua.dossiers.services import perform
from tests.browser.axe import assert_accessible
from tests.dossiers.conftest import at, intake, world  # noqa: F401  (fixtures)
from tests.portal.data import build_catalogue, enrich
from tests.portal.test_submit import ID_AN, make_citizen, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _context(chromium, viewport):
    context = chromium.new_context(
        viewport=viewport, locale="vi-VN", bypass_csp=True, is_mobile=viewport == PHONE
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture(params=["desktop", "phone"])
def any_page(request, chromium):
    viewport = PHONE if request.param == "phone" else DESKTOP
    context, page = _context(chromium, viewport)
    page.viewport_name = request.param
    yield page
    context.close()


@pytest.fixture
def phone(chromium):
    context, page = _context(chromium, PHONE)
    yield page
    context.close()


def check(page, name: str, artifacts=None) -> None:
    """axe-core, and on a phone: nothing wider than the screen."""
    assert_accessible(page, name)
    if page.viewport_size["width"] == PHONE["width"]:
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name}: {overflow}px of horizontal scrolling at 390 px"
        if artifacts is not None:
            page.screenshot(path=artifacts / f"portal-390-{name}.png", full_page=True)


def reachable(page, locator) -> None:
    """A control a thumb and a keyboard can use: on screen once scrolled to, inside the
    width, at least 24 px high (WCAG 2.2 target size), and focusable."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0
    assert box["x"] + box["width"] <= page.viewport_size["width"] + 1
    assert box["height"] >= 24
    locator.focus()
    assert locator.evaluate("e => e === document.activeElement")


def sign_in(page, base, identifier=ID_AN, password="x"):
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại, thư điện tử hoặc số định danh").fill(identifier)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_url(re.compile(r"/tai-khoan/ho-so-ca-nhan/|/ho-so-cua-toi/|/nop-ho-so/"))


def test_public_pages(any_page, live_server, artifacts):
    page, base = any_page, live_server.url
    rows = build_catalogue()
    enrich(rows["khai_sinh"])
    shots = artifacts if page.viewport_name == "phone" else None
    page.goto(f"{base}/thu-tuc-hanh-chinh/")
    check(page, "catalogue", shots)
    page.goto(f"{base}/thu-tuc-hanh-chinh/?q=khai+sinh")
    check(page, "catalogue-search", shots)
    page.goto(f"{base}/thu-tuc-hanh-chinh/1.001193/")
    check(page, "procedure", shots)
    reachable(page, page.get_by_role("link", name="Nộp hồ sơ trực tuyến"))
    page.goto(f"{base}/tra-cuu/")
    check(page, "tracking-form", shots)
    page.get_by_label("Mã hồ sơ").fill("000.00.00.H00-260101-9999")
    page.get_by_label("4 số cuối số định danh hoặc số điện thoại").fill("1234")
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()
    check(page, "tracking-not-found", shots)
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    check(page, "login", shots)
    reachable(page, page.get_by_role("button", name="Đăng nhập", exact=True))
    page.goto(f"{base}/tai-khoan/dang-ky/")
    check(page, "signup", shots)


def test_citizen_pages(any_page, live_server, world, intake, artifacts, tmp_path):  # noqa: F811
    page, base = any_page, live_server.url
    shots = artifacts if page.viewport_name == "phone" else None
    world["version"].online_class = "full"
    world["version"].save()
    make_citizen("an", ID_AN, "Nguyễn Văn An", dt.date(1990, 5, 4))
    received = intake("2026-03-02 09:00")  # a counter dossier of An's, received
    perform(received, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    perform(
        received,
        "request_supplement",
        world["specialist"],
        now=at("2026-03-02 10:00"),
        reason="Bản sao giấy khai sinh.",
    )
    pdf = tmp_path / "to-khai.pdf"
    pdf.write_bytes(pdf_bytes())

    sign_in(page, base)
    page.goto(f"{base}/nop-ho-so/1.004222/")
    check(page, "submit-form", shots)
    page.locator('input[type="file"]').first.set_input_files(str(pdf))
    page.get_by_label("Ngày sinh").fill("")
    page.get_by_label("Họ và tên").fill("")  # an error elsewhere in the form
    page.get_by_role("button", name="Tiếp tục: xem lại hồ sơ").click()
    page.wait_for_selector("#form-errors")
    check(page, "submit-errors", shots)
    assert page.locator(".attached").first.is_visible()  # the file was kept
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    review = page.get_by_role("button", name="Tiếp tục: xem lại hồ sơ")
    reachable(page, review)
    reachable(page, page.get_by_role("button", name="Lưu bản nháp"))
    review.click()
    page.wait_for_url(re.compile(r"buoc=xem-lai"))
    check(page, "submit-review", shots)
    send = page.get_by_role("button", name="Nộp hồ sơ", exact=True)
    reachable(page, send)
    reachable(page, page.get_by_role("link", name="Sửa cơ quan tiếp nhận"))
    send.click()
    page.wait_for_url(re.compile(r"/nop-ho-so/da-nop/"))
    check(page, "submit-done", shots)

    page.goto(f"{base}/ho-so-cua-toi/")
    check(page, "mine", shots)
    page.get_by_role("link", name="Tài liệu của tôi").last.click()  # from "Hồ sơ của tôi"
    page.wait_for_url(re.compile(r"/tai-lieu-cua-toi/"))
    check(page, "store", shots)
    page.goto(f"{base}/ho-so-cua-toi/{received.code}/")
    check(page, "mine-detail-supplement", shots)
    reachable(page, page.get_by_role("button", name="Gửi hồ sơ bổ sung"))
    page.get_by_text("Đề nghị dừng giải quyết hồ sơ").click()
    page.get_by_role("button", name="Gửi đề nghị dừng giải quyết").click()
    page.wait_for_selector("#form-errors")
    check(page, "mine-detail-error", shots)

    page.goto(f"{base}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(received.code)
    page.get_by_label("4 số cuối số định danh hoặc số điện thoại").fill(ID_AN[-4:])
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_selector(".timeline, ol")
    check(page, "tracking-result", shots)


def test_the_checker_does_find_violations(phone):
    """A guard: the vendored axe-core runs and reports (an image without text, an unlabelled
    field and grey-on-white text are serious or critical)."""
    from tests.browser.axe import violations

    phone.set_content(
        '<html lang="vi"><head><title>t</title></head><body><main><img src="a.png">'
        '<input type="text"><p style="color:#bbb">mờ</p></main></body></html>'
    )
    found = {v["id"] for v in violations(phone)}
    assert {"image-alt", "label", "color-contrast"} <= found
