"""The register (Mẫu 07), the counter screen and the staff login."""

import pytest

from motcua.dossiers import queries
from motcua.dossiers.services import NewDossier, create_dossier, perform
from tests.dossiers.conftest import APPLICANT, at

pytestmark = pytest.mark.django_db


def test_register_rows_with_every_column(login, world, intake, clock):
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(d, "complete_step", world["specialist"], now=at("2026-03-02 11:00"))
    d, _ = perform(d, "approve", world["leader"], now=at("2026-03-02 14:00"))
    d, _ = perform(d, "complete_step", world["officer"], now=at("2026-03-02 15:00"))
    d, _ = perform(d, "return_result", world["officer"], now=at("2026-03-03 08:00"))
    other = intake("2026-03-20 09:00")
    clock("2026-03-31 10:00")
    client = login("officer")
    page = client.get("/can-bo/so-theo-doi/")  # default: this month, the officer's unit
    assert page.status_code == 200
    text = page.text
    for fact in (
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 01/03/2026 đến ngày 31/03/2026",
        "Nhận kết quả từ cơ quan giải quyết",
        d.code,
        other.code,
        "Đăng ký thường trú",
        "12 Lê Lợi, phường Sài Gòn<br>0903123456",
        "TTPVHCC phường A",
        "09:00 02/03/2026",  # received
        "17:00 05/03/2026",  # appointment
        "09:10 02/03/2026",  # sent to the processing unit
        "15:00 02/03/2026",  # result back
        "08:00 03/03/2026",  # returned
        "size: A4 landscape",
    ):
        assert fact in text, fact
    narrow = client.get("/can-bo/so-theo-doi/", {"day_from": "2026-03-10", "day_to": "2026-03-31"})
    assert other.code in narrow.text and d.code not in narrow.text
    backwards = client.get(
        "/can-bo/so-theo-doi/", {"day_from": "2026-03-10", "day_to": "2026-03-01"}
    )
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in backwards.text


def test_register_is_for_reception_units(login, world):
    assert login("specialist").get("/can-bo/so-theo-doi/").status_code == 403


def online(world, when):
    data = NewDossier(offering=world["offering"], channel="online", applicant=APPLICANT)
    dossier, _ = create_dossier(None, data, now=at(when))
    return dossier


def test_counter_screen_shows_the_answer_time_left(login, world, clock):
    early = online(world, "2026-03-02 08:00")  # answer due Tue 3/3 07:30 + … = 3/3 08:00
    late = online(world, "2026-03-02 14:00")
    clock("2026-03-03 07:45")
    page = login("officer").get("/can-bo/quay/")
    assert page.status_code == 200
    text = page.text
    assert '<meta http-equiv="refresh" content="60">' in text
    assert text.index(early.reference) < text.index(late.reference)  # least time left first
    assert "còn 15 phút làm việc" in text and "Sắp hết hạn trả lời" in text
    assert "08:00 03/03/2026" in text  # early's answer deadline
    rows = queries.intake_board(world["officer"], now=at("2026-03-03 09:00"))
    assert [r.minutes_left for r in rows] == [-60, 210]
    assert rows[0].urgency == "overdue"


def test_answer_window_counts_working_hours_only(world, settings):
    friday = online(world, "2026-03-06 16:00")
    assert queries.intake_answer_due(friday) == at("2026-03-09 16:00")  # weekend skipped
    settings.ONLINE_INTAKE_ANSWER_HOURS = 4
    assert queries.intake_answer_due(friday) == at("2026-03-09 10:30")


def test_counter_screen_needs_a_reception_role(login, world):
    assert login("leader").get("/can-bo/quay/").status_code == 403


def test_login_page_signs_in_and_goes_to_the_queues(client, world):
    page = client.get("/can-bo/dang-nhap/")
    assert page.status_code == 200 and "Cán bộ đăng nhập" in page.text
    wrong = client.post("/can-bo/dang-nhap/", {"username": "tiepnhan", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in wrong.text
    ok = client.post("/can-bo/dang-nhap/", {"username": "tiepnhan", "password": "x-pass-123456"})
    assert ok.status_code == 302 and ok["Location"] == "/can-bo/ho-so/"
    out = client.post("/can-bo/dang-xuat/")
    assert out["Location"] == "/can-bo/dang-nhap/"
    assert client.get("/can-bo/ho-so/")["Location"] == "/can-bo/dang-nhap/?next=/can-bo/ho-so/"


def test_staff_pages_answer_under_the_english_prefix(login, world, intake):
    d = intake("2026-03-02 09:00")
    client = login("officer")
    for path in ("/en/can-bo/ho-so/", f"/en/can-bo/ho-so/{d.code}/", "/en/can-bo/tiep-nhan/"):
        assert client.get(path).status_code == 200, path


def test_register_page_says_when_the_pdf_is_made_in_the_background(login, world, intake, settings):
    settings.REGISTER_PDF_DIRECT_ROWS = 1
    intake("2026-03-02 09:00")
    client = login("officer")
    query = {"unit": world["one_stop"].pk, "day_from": "2026-03-01", "day_to": "2026-03-31"}
    page = client.get("/can-bo/so-theo-doi/", query).text
    assert "Tải sổ dạng PDF" in page and "1 hồ sơ" in page and "tạo trong nền" not in page
    intake("2026-03-03 09:00")
    assert "sổ lớn được tạo trong nền" in client.get("/can-bo/so-theo-doi/", query).text
