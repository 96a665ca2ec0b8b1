"""Printed forms Mẫu 01–06: national heading, QR code and each form's required facts."""

import pytest

from motcua.dossiers.services import perform
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db

HEADING = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def printed(client, d, number):
    response = client.get(f"/can-bo/ho-so/{d.display_code}/in/{number}/")
    assert response.status_code == 200, response.status_code
    text = response.text
    for line in HEADING:
        assert line in text
    assert '<svg role="img"' in text and "Mã QR của văn bản" in text
    assert "@page { size: A" in text
    return text


def test_form_01_has_every_field_of_the_receipt(login, world, intake):
    d = intake("2026-03-02 09:00")
    text = printed(login("officer"), d, "01")
    for fact in (
        "TTPVHCC PHƯỜNG A",  # issuing agency
        "MỘT CỬA",  # issuing unit
        f"Số: {d.code}",
        "Nguyễn Văn An",
        "12 Lê Lợi, phường Sài Gòn",
        "0903123456",
        "an@example.vn",
        "Đăng ký thường trú",
        "Tờ khai CT01",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3 ngày làm việc",
        "09 giờ 00 phút, ngày 02/03/2026",
        "17 giờ 00 phút, ngày 05/03/2026",
        "Nhận tại bộ phận một cửa",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "tiepnhan",  # the receiving officer
        "Quyển số",
    ):
        assert fact in text, fact
    assert "size: A4 landscape" in text  # two A5 copies on one A4 sheet
    assert "Liên 1: giao người nộp hồ sơ" in text and "Liên 2: lưu tại Bộ phận Một cửa" in text


def test_form_04_apology_and_05_stop_notice(login, world, intake):
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(
        d,
        "apologise",
        world["specialist"],
        now=at("2026-03-04 09:00"),
        reason="Cần xác minh thêm",
        new_due_at=at("2026-03-10 17:00"),
    )
    letter = printed(login("specialist"), d, "04")
    for fact in (
        "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi:",
        "ngày 02 tháng 03 năm 2026",  # date received
        d.code,
        "Đăng ký thường trú",
        "17 giờ 00 phút, ngày 05/03/2026",  # original appointment
        "Cần xác minh thêm",
        "xin lỗi",
        "17 giờ 00 phút, ngày 10/03/2026",  # new appointment
        "THỦ TRƯỞNG CƠ QUAN",
    ):
        assert fact in letter, fact
    d, _ = perform(
        d, "stop", world["officer"], now=at("2026-03-05 10:00"), reason="Công dân xin dừng"
    )
    notice = printed(login("officer"), d, "05")
    for fact in ("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Công dân xin dừng", "10 giờ 00 phút"):
        assert fact in notice, fact


def test_form_06_control_sheet_lists_each_hand_off(login, world, intake):
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(d, "complete_step", world["specialist"], now=at("2026-03-02 11:00"))
    sheet = printed(login("officer"), d, "06")
    for fact in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        d.code,
        "Nguyễn Văn An",
        "Cơ quan (bộ phận) giải quyết hồ sơ:",
        "Giao: tiepnhan",
        "Nhận: Văn hóa – Xã hội (Thẩm định)",
        "09 giờ 10 phút, ngày 02/03/2026",
        "Trước hạn",
        "Nhận: Lãnh đạo (Phê duyệt, ký)",
        "Đang xử lý",
        "Người giao",
    ):
        assert fact in sheet, fact


def test_a_form_not_issued_is_a_404(login, world, intake):
    d = intake("2026-03-02 09:00")
    client = login("officer")
    for number in ("02", "03", "04", "05", "99"):
        response = client.get(f"/can-bo/ho-so/{d.code}/in/{number}/")
        assert response.status_code == 404, number
    assert "Hồ sơ chưa có “Phiếu từ chối" in client.get(f"/can-bo/ho-so/{d.code}/in/03/").text


def test_qr_code_carries_the_masked_id_only(login, world, intake):
    from motcua.backoffice.prints import qr_for

    d = intake("2026-03-02 09:00")
    assert "079090001234" not in login("officer").get(f"/can-bo/ho-so/{d.code}/in/01/").text
    assert qr_for(d, "Mẫu 01")  # data: code | procedure | ••••••••1234 | title


def test_forms_carry_the_agency_numbering_recorded_at_issue(login, world, intake):
    from motcua.documents.models import AgencyLetterhead

    AgencyLetterhead.objects.create(
        agency=world["agency"], name_line="Trung tâm Phục vụ hành chính công phường A",
        number_format="{seq:03d}/{year}/M{form}",
    )  # fmt: skip
    d = intake("2026-03-02 09:00")
    receipt = printed(login("officer"), d, "01")
    assert "Số: 001/2026/M01" in receipt and "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG A" in receipt
    assert "Số: 001/2026/M06" in printed(login("officer"), d, "06")  # numbered per form
    AgencyLetterhead.objects.update(number_format="{code}")
    assert "Số: 001/2026/M01" in printed(login("officer"), d, "01")  # kept as issued
