"""One citizen's whole journey in a real browser: sign up (the one-time code read from the
local SMS channel's file, as the notification worker delivers it) → submit online with a file
(saved as a draft first, kept across a reload; reviewed, one part edited, then sent) → the
officer receives it in the back office → the specialist asks for a supplement → the citizen
answers online → the result is returned → the citizen rates the service from "My dossiers"."""

from __future__ import annotations

import json
import re

import pytest

from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import perform
from motcua.notify.services import deliver_due
from motcua.ratings.models import Rating
from tests.browser.axe import assert_accessible
from tests.dossiers.conftest import world  # noqa: F401  (fixture)
from tests.portal.test_submit import ID_AN, pdf_bytes
from tests.ratings.conftest import seed_criteria

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

STAFF_PASSWORD = "x-pass-123456"  # tests/conftest.py make_user
PHONE = "0903123456"
PASSWORD = "Mật-khẩu-an-toàn-2026"


@pytest.fixture
def sms_outbox(settings, tmp_path):
    """The local SMS channel writes each message it delivers to DATA_DIR/outbox/sms.log."""
    settings.DATA_DIR = tmp_path / "data"
    settings.NOTIFY_CHANNELS = ["email", "sms"]
    settings.NOTIFY_SMS_ASCII = False
    return settings.DATA_DIR / "outbox" / "sms.log"


def code_from_sms(log, phone: str) -> str:
    """What the worker does (one delivery pass over the outbox), then the citizen's phone:
    the 6 digits of the newest message to ``phone`` in the SMS channel's file."""
    deliver_due()
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    texts = [m["body"] for m in lines if m["to"] == phone and m["template"] == "account_code"]
    assert texts, lines
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def sign_up(page, base, log) -> None:
    """Đăng ký: details → the code from the SMS → a password; signed in at the end."""
    page.goto(f"{base}/")
    page.get_by_role("link", name="Công dân đăng nhập").click()
    page.get_by_role("link", name="Đăng ký", exact=True).first.click()
    page.wait_for_url(re.compile(r"/tai-khoan/dang-ky/"))
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill(ID_AN)
    page.get_by_label("Ngày sinh").fill("1990-05-17")
    page.get_by_label("Số điện thoại di động hoặc thư điện tử").fill(PHONE)
    page.get_by_role("button", name="Gửi mã xác nhận").click()
    page.wait_for_url(re.compile(r"/tai-khoan/xac-nhan/"))
    page.get_by_label("Mã xác nhận").fill(code_from_sms(log, PHONE))
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    page.wait_for_url(re.compile(r"/tai-khoan/dat-mat-khau/"))
    page.get_by_label("Mật khẩu mới").fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Hoàn tất đăng ký").click()
    page.wait_for_url(lambda url: "/tai-khoan/dat-mat-khau/" not in url)
    # signed in: the header now leads to the citizen's own pages
    assert page.get_by_role("link", name="Hồ sơ của tôi").first.is_visible()
    assert page.get_by_role("link", name="Tài liệu của tôi").first.is_visible()


@pytest.fixture
def citizen(chromium):
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def staff(chromium):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def staff_sign_in(page, base, username):
    page.goto(f"{base}/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/can-bo/ho-so/"))


def staff_act(page, label):
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_selector(".alert.success")


def submit_online(page, base, files, artifacts) -> str:
    """Draft first (the file survives a reload), review, edit one part, review, submit;
    returns the reference."""
    page.goto(f"{base}/thu-tuc-hanh-chinh/1.004222/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r"/nop-ho-so/1\.004222/"))
    page.locator('input[type="file"]').first.set_input_files(str(files / "to-khai.pdf"))
    page.get_by_label("Thư điện tử").fill("an@example.vn")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.wait_for_selector(".attached")
    page.reload()  # a refresh loses nothing
    assert "to-khai.pdf" in page.locator(".attached").first.inner_text()
    assert page.get_by_label("Thư điện tử").input_value() == "an@example.vn"
    page.screenshot(path=artifacts / "portal-journey-draft.png", full_page=True)
    page.get_by_role("button", name="Tiếp tục: xem lại hồ sơ").click()
    page.wait_for_url(re.compile(r"buoc=xem-lai"))
    assert "••••••••1234" in page.locator("#r-id").inner_text()  # masked
    assert "to-khai.pdf" in page.locator(".review").nth(2).inner_text()
    assert_accessible(page, "submit-review")
    page.get_by_role("link", name="Sửa thông tin người nộp hồ sơ").click()  # back: all kept
    assert page.get_by_label("Thư điện tử").input_value() == "an@example.vn"
    assert "to-khai.pdf" in page.locator(".attached").first.inner_text()
    page.get_by_label("Địa chỉ").fill("45 Hai Bà Trưng, Phường Sài Gòn")
    page.get_by_role("button", name="Tiếp tục: xem lại hồ sơ").click()
    page.wait_for_url(re.compile(r"buoc=xem-lai"))
    assert "45 Hai Bà Trưng" in page.locator("#r-address").inner_text()
    page.screenshot(path=artifacts / "portal-journey-review.png", full_page=True)
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/nop-ho-so/da-nop/"))
    return page.locator("#reference").inner_text()


def officer_receives_and_specialist_asks(page, base, reference) -> str:
    staff_sign_in(page, base, "tiepnhan")
    page.goto(f"{base}/can-bo/ho-so/{reference}/")
    staff_act(page, "Tiếp nhận hồ sơ")
    code = Dossier.objects.get(reference=reference).code
    staff_act(page, "Chuyển xử lý")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/can-bo/dang-nhap/"))
    staff_sign_in(page, base, "chuyenvien")
    page.goto(f"{base}/can-bo/ho-so/{code}/")
    page.locator("summary", has_text="Yêu cầu bổ sung hồ sơ").click()
    page.locator("#id_request_supplement-reason").fill("Bổ sung bản sao giấy khai sinh.")
    page.get_by_role("button", name="Xác nhận: Yêu cầu bổ sung hồ sơ").click()
    page.wait_for_selector(".alert.success")
    return code


def test_sign_up_submit_supplement_return_rate(
    citizen,
    staff,
    live_server,
    world,  # noqa: F811
    artifacts,
    tmp_path,
    sms_outbox,
):
    base = live_server.url
    seed_criteria()
    world["version"].online_class = "full"
    world["version"].save()
    for name in ("to-khai.pdf", "khai-sinh.pdf"):
        (tmp_path / name).write_bytes(pdf_bytes())

    sign_up(citizen, base, sms_outbox)
    reference = submit_online(citizen, base, tmp_path, artifacts)
    assert Dossier.objects.get(reference=reference).applicant_address.startswith("45 Hai Bà")
    code = officer_receives_and_specialist_asks(staff, base, reference)

    # The citizen sees what is asked in "My dossiers" and answers online.
    citizen.goto(f"{base}/ho-so-cua-toi/")
    citizen.get_by_role("link", name=code).click()
    assert "Bổ sung bản sao giấy khai sinh." in citizen.locator("blockquote.asked").inner_text()
    citizen.get_by_label("Tệp giấy tờ bổ sung").set_input_files(str(tmp_path / "khai-sinh.pdf"))
    citizen.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    citizen.wait_for_selector(".notice-success")
    assert_accessible(citizen, "mine-detail-after-supplement")
    d = Dossier.objects.get(code=code)
    assert d.state == "in_process"
    assert StoredFile.objects.filter(dossier=d).count() == 2

    # The officer's page shows the supplement and its file; processing goes on to the end.
    staff.goto(f"{base}/can-bo/ho-so/{code}/")
    assert "khai-sinh.pdf" in staff.locator(".timeline").inner_text()
    d, _ = perform(d, "complete_step", world["specialist"])
    d, _ = perform(d, "approve", world["leader"])
    d, _ = perform(d, "complete_step", world["officer"])
    d, _ = perform(d, "return_result", world["officer"], method="online")

    # The citizen is invited to rate from the dossier's page, and does.
    citizen.goto(f"{base}/ho-so-cua-toi/{code}/")
    assert "Đã trả kết quả" in citizen.locator("#status").inner_text()
    citizen.get_by_role("link", name="Mời bạn đánh giá mức độ hài lòng").click()
    citizen.locator("#c-overall").get_by_text("Rất hài lòng", exact=True).click()
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    citizen.wait_for_url(re.compile(r"/danh-gia/cam-on/$"))
    citizen.screenshot(path=artifacts / "portal-journey-thanks.png", full_page=True)
    rating = Rating.objects.get(dossier=d)
    assert rating.overall_score == 5
