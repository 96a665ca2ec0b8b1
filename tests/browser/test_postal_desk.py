"""The desk in a real browser: the handover fields appear only for the postal channel, and
a dossier the post handed over gets Mẫu 01 with the handover as its receipt time."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from motcua.postal.models import PostalHandover
from tests.browser.test_backoffice import fill_desk, sign_in
from tests.dossiers.conftest import world  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_postal_intake_at_the_desk(page, live_server, world):  # noqa: F811
    base = live_server.url
    sign_in(page, base, "tiepnhan")
    page.goto(f"{base}/can-bo/tiep-nhan/?co-quan=000.21.26.H29&thu-tuc=1.004222")
    tracking = page.get_by_label("Mã bưu gửi (số vận đơn)")
    assert not tracking.is_visible()  # at the counter: no postal fields
    page.get_by_role("group", name="Hình thức nộp").get_by_label("Qua dịch vụ bưu chính").check()
    assert tracking.is_visible()
    fill_desk(page)
    page.get_by_label("Doanh nghiệp bưu chính", exact=True).select_option("vnpost")
    tracking.fill("ee 123 456 789 vn")
    handed = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    page.get_by_label("Thời điểm nhận hồ sơ từ nhân viên bưu chính").fill(
        f"{handed:%Y-%m-%dT%H:%M}"
    )
    page.get_by_label("Cước bưu chính (đồng)").fill("25000")
    page.get_by_role("button", name="Tiếp nhận, in Giấy hẹn (Mẫu 01)").click()
    page.wait_for_url(re.compile(r"/in/01/$"))
    assert f"{handed:%H} giờ {handed:%M} phút, ngày {handed:%d/%m/%Y}" in page.content()
    row = PostalHandover.objects.get()
    assert row.tracking_number == "EE123456789VN" and row.handed_over_at == handed
