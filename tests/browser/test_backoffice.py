"""The back office in a real browser at 1366×768: a counter intake, transfer, the specialist,
the leader's approval and the return of the result, all through the staff pages."""

from __future__ import annotations

import re

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import perform
from tests.dossiers.conftest import at, intake, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "x-pass-123456"  # tests/conftest.py make_user


@pytest.fixture
def staff_page(chromium):
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


def sign_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/can-bo/dang-nhap/"))


def act(page, label):
    """Press an action button of the dossier page and wait for the redirect back."""
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_selector(".alert.success")


def open_from_queue(page, base, queue, code):
    page.goto(f"{base}/can-bo/ho-so/?q={queue}")
    page.get_by_role("link", name=code).click()
    page.wait_for_url(re.compile(re.escape(f"/can-bo/ho-so/{code}/") + "$"))


def shoot(page, path):
    """A full-page screenshot from the top (sticky panels drawn where they start)."""
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True)


def fill_desk(page):
    page.get_by_role("checkbox", name="Tờ khai đăng ký khai sinh").check()
    page.get_by_label("Họ và tên (hoặc tên tổ chức)").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("079090001234")
    page.get_by_label("Ngày sinh").fill("1990-05-04")
    page.get_by_label("Điện thoại", exact=True).fill("0903123456")
    page.get_by_label("Thư điện tử").fill("an@example.vn")
    page.get_by_label("Địa chỉ liên hệ").fill("12 Lê Lợi, phường Sài Gòn")


def receive_at_the_desk(page, base, artifacts):
    """The reception officer finds the procedure without diacritics, mistypes the ID once,
    then receives the dossier and gets Mẫu 01; returns the new dossier's code."""
    sign_in(page, base, "tiepnhan")
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    box = page.get_by_label("Tên hoặc mã thủ tục (gõ có dấu hoặc không dấu)")
    box.fill("dang ky thuong tru")
    box.press("Enter")
    page.get_by_role("link", name=re.compile("Đăng ký thường trú")).click()
    fill_desk(page)
    shoot(page, artifacts / "backoffice-desk.png")
    # A mistyped ID number: the message sits next to the field and nothing typed is lost.
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("0790900012")
    page.get_by_role("button", name="Tiếp nhận, in Giấy hẹn (Mẫu 01)").click()
    error = page.locator("#id_applicant_id_number_error")
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in error.inner_text()
    assert page.locator("#error-summary").evaluate("e => e === document.activeElement")
    assert page.get_by_label("Địa chỉ liên hệ").input_value() == "12 Lê Lợi, phường Sài Gòn"
    assert page.get_by_role("checkbox", name="Tờ khai đăng ký khai sinh").is_checked()
    shoot(page, artifacts / "backoffice-desk-error.png")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("079090001234")
    page.get_by_role("button", name="Tiếp nhận, in Giấy hẹn (Mẫu 01)").click()
    page.wait_for_url(re.compile(r"/in/01/$"))
    title = page.locator("h1.doc-title").first.inner_text()
    assert title == "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    code = page.locator(".doc-sub .code").first.inner_text()
    shoot(page, artifacts / "backoffice-mau01.png")
    page.get_by_role("link", name="Về trang hồ sơ").click()
    return code


def test_counter_to_return_through_the_pages(
    staff_page,
    live_server,
    world,  # noqa: F811
    intake,  # noqa: F811
    artifacts,
):
    page, base = staff_page, live_server.url
    old = intake("2026-03-02 09:00")  # long overdue: shows the red row in the queue
    perform(old, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    code = receive_at_the_desk(page, base, artifacts)
    d = Dossier.objects.get(code=code)
    assert d.state == "received"
    act(page, "Chuyển xử lý")
    sign_out(page)

    # The specialist finds it in the unit's queue and completes the appraisal step.
    sign_in(page, base, "chuyenvien")
    page.goto(f"{base}/can-bo/ho-so/?q=unit")
    assert page.locator("table.queue tbody tr").count() == 2
    assert page.locator("table.queue tbody tr").first.get_attribute("class") == "u-overdue"
    shoot(page, artifacts / "backoffice-queue.png")
    open_from_queue(page, base, "unit", d.code)
    shoot(page, artifacts / "backoffice-dossier.png")
    act(page, "Hoàn thành bước, chuyển bước tiếp")
    sign_out(page)

    # The leader approves from the approval queue.
    sign_in(page, base, "lanhdao")
    open_from_queue(page, base, "approval", d.code)
    act(page, "Phê duyệt, ký kết quả")
    sign_out(page)

    # The officer completes the return step and hands the result over.
    sign_in(page, base, "tiepnhan")
    open_from_queue(page, base, "unit", d.code)
    act(page, "Hoàn thành bước, chuyển bước tiếp")
    page.locator("summary", has_text="Trả kết quả").click()
    assert page.get_by_label("Người nhận kết quả").input_value() == "Nguyễn Văn An"
    page.get_by_role("button", name="Xác nhận: Trả kết quả").click()
    page.wait_for_selector(".alert.success")
    assert page.locator(".dossier-head .state").inner_text() == "Đã trả kết quả"
    d.refresh_from_db()
    assert d.state == "returned" and d.result_code == f"{d.code}-KQ1"
    shoot(page, artifacts / "backoffice-returned.png")


def test_keyboard_reaches_the_content_through_the_skip_link(staff_page, live_server, world):  # noqa: F811
    page, base = staff_page, live_server.url
    sign_in(page, base, "chuyenvien")
    skip = page.get_by_role("link", name="Bỏ qua menu cán bộ, tới nội dung trang")
    skip.focus()
    assert skip.is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.staff-nav') === null")


def test_counter_screen_register_and_control_sheet(
    staff_page,
    live_server,
    world,  # noqa: F811
    intake,  # noqa: F811
    artifacts,
):
    import datetime as dt

    from django.utils import timezone

    from motcua.dossiers.services import NewDossier, create_dossier
    from tests.dossiers.conftest import APPLICANT

    page, base = staff_page, live_server.url
    for days in (3, 1, 0):
        data = NewDossier(offering=world["offering"], channel="online", applicant=APPLICANT)
        create_dossier(None, data, now=timezone.now() - dt.timedelta(days=days, minutes=5))
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(d, "complete_step", world["specialist"], now=at("2026-03-02 11:00"))
    sign_in(page, base, "tiepnhan")
    page.get_by_role("link", name="Màn hình quầy").click()
    rows = page.locator("table.counter tbody tr")
    assert rows.count() == 3
    assert rows.first.get_attribute("class") == "u-overdue"
    assert page.locator('meta[http-equiv="refresh"]').get_attribute("content") == "60"
    shoot(page, artifacts / "backoffice-counter.png")
    page.goto(f"{base}/can-bo/so-theo-doi/?day_from=2026-03-01&day_to=2026-03-31&unit=")
    assert page.locator("table.register tbody tr").count() == 1
    shoot(page, artifacts / "backoffice-register.png")
    page.emulate_media(media="print")
    assert not page.locator(".staff-nav").is_visible()
    shoot(page, artifacts / "backoffice-register-print.png")
    page.emulate_media(media="screen")
    page.goto(f"{base}/can-bo/ho-so/{d.code}/in/06/")
    assert page.get_by_text("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ").is_visible()
    shoot(page, artifacts / "backoffice-mau06.png")
