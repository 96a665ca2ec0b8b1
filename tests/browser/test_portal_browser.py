"""The catalogue and the kiosk in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.portal.data import build_catalogue, enrich

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def first_result(page) -> str:
    return page.locator(".result h3 a").first.inner_text()


def test_search_from_the_catalogue(page, live_server, artifacts):
    build_catalogue()
    page.goto(f"{live_server.url}/thu-tuc-hanh-chinh/")
    box = page.get_by_label("Tên hoặc mã thủ tục")
    box.fill("dang ky khai sinh")
    box.press("Enter")
    page.wait_for_url(re.compile(r"\?q=dang"))
    assert first_result(page) == "Đăng ký khai sinh"
    assert page.locator(".result").count() >= 1
    page.screenshot(path=artifacts / "catalogue.png", full_page=True)


def test_filter_by_field_narrows_results(page, live_server):
    build_catalogue()
    page.goto(f"{live_server.url}/thu-tuc-hanh-chinh/")
    everything = page.locator(".result").count()
    page.get_by_label("Lĩnh vực").select_option("chung-thuc")
    page.get_by_role("button", name="Áp dụng bộ lọc").click()
    page.wait_for_url(re.compile(r"field=chung-thuc"))
    assert page.locator(".result").count() == 1 < everything
    assert first_result(page) == "Chứng thực bản sao từ bản chính giấy tờ"


def test_procedure_page_shows_the_checklist(page, live_server, artifacts):
    rows = build_catalogue()
    enrich(rows["khai_sinh"])
    page.goto(f"{live_server.url}/thu-tuc-hanh-chinh/?q=khai+sinh")
    page.locator(".result h3 a").first.click()
    page.wait_for_url(re.compile(r"/thu-tuc-hanh-chinh/1\.001193/$"))
    checklist = page.locator("table.checklist")
    assert checklist.is_visible()
    assert "Giấy chứng sinh" in checklist.inner_text()
    assert page.get_by_role("link", name="Nộp hồ sơ trực tuyến").is_visible()
    page.screenshot(path=artifacts / "procedure.png", full_page=True)
    # Printed, the page keeps the checklist and drops the site header and the buttons.
    page.emulate_media(media="print")
    assert checklist.is_visible()
    assert not page.locator("header.site").is_visible()
    assert not page.get_by_role("link", name="Nộp hồ sơ trực tuyến").is_visible()
    page.screenshot(path=artifacts / "procedure-print.png", full_page=True)


def test_kiosk_search_and_idle_reset(page, live_server, artifacts):
    rows = build_catalogue()
    enrich(rows["khai_sinh"])
    page.goto(f"{live_server.url}/kiosk/?idle=2")
    page.screenshot(path=artifacts / "kiosk.png", full_page=True)
    box = page.get_by_label("Nhập tên thủ tục cần tìm (có dấu hoặc không dấu)")
    assert box.bounding_box()["height"] >= 48
    box.fill("khai sinh")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/kiosk/\?q=khai"))
    page.screenshot(path=artifacts / "kiosk-results.png", full_page=True)
    page.locator(".kiosk-result").first.click()
    page.wait_for_url(re.compile(r"/kiosk/thu-tuc/1\.001193/\?idle=2$"))
    assert page.locator("svg.qr").is_visible()
    assert "Giấy chứng sinh" in page.locator(".kiosk-checklist").inner_text()
    page.screenshot(path=artifacts / "kiosk-procedure.png", full_page=True)
    # Left alone for 2 seconds, the kiosk goes back to its start screen.
    page.wait_for_url(re.compile(r"/kiosk/\?idle=2$"), timeout=8_000)
    assert urlparse(page.url).path == "/kiosk/"


def test_kiosk_activity_postpones_the_reset(page, live_server):
    build_catalogue()
    page.goto(f"{live_server.url}/kiosk/thu-tuc/1.001193/?idle=2")
    for _ in range(4):  # 4 × 1 s of activity: longer than the 2 s idle limit
        page.wait_for_timeout(1_000)
        page.mouse.move(100 + _ * 10, 200)
    assert urlparse(page.url).path == "/kiosk/thu-tuc/1.001193/"
    page.wait_for_url(re.compile(r"/kiosk/\?idle=2$"), timeout=8_000)
