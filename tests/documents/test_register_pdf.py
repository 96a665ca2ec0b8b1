"""Mẫu 07, Sổ theo dõi hồ sơ, as PDF: small registers at once, large ones as a background
task with progress, downloaded only by the officer who asked."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from motcua.documents import printjobs, register, render
from motcua.documents.models import RegisterPrint, StoredFile
from motcua.dossiers.services import perform
from motcua.org.models import Role
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
URL = "/can-bo/so-theo-doi/pdf/"
MARCH = {"day_from": "2026-03-01", "day_to": "2026-03-31"}


def pdf_text(data: bytes) -> str:
    """The text of every page, NFC, with runs of white space as one space (cells wrap)."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


@pytest.fixture
def staff(client, world):
    def as_(name):
        client.force_login(world[name])
        return client

    return as_


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def returned_dossier(world, intake):
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(d, "complete_step", world["specialist"], now=at("2026-03-02 11:00"))
    d, _ = perform(d, "approve", world["leader"], now=at("2026-03-02 14:00"))
    d, _ = perform(d, "complete_step", world["officer"], now=at("2026-03-02 15:00"))
    d, _ = perform(d, "return_result", world["officer"], now=at("2026-03-03 08:00"))
    return d


def test_small_register_is_a_pdf_with_every_column(staff, world, intake):
    d = returned_dossier(world, intake)
    other = intake("2026-03-20 09:00")
    outside = intake("2026-04-02 09:00")
    unit = world["one_stop"]
    response = staff("officer").post(URL, {"unit": unit.pk, **MARCH})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "so-theo-doi-000.21.26.H29-20260301-20260331.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = pdf_text(response.content)
    for fact in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TTPVHCC PHƯỜNG A",
        "MỘT CỬA",
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 01/03/2026 đến ngày 31/03/2026",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Số lượng hồ sơ (bộ)",
        "Tên cá nhân, tổ chức",
        "Địa chỉ, số điện thoại",
        "Cơ quan chủ trì giải quyết",
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Chuyển hồ sơ đến cơ quan giải quyết",
        "Nhận kết quả từ cơ quan giải quyết",
        "Trả kết quả cho cá nhân, tổ chức",
        "Ghi chú",
        d.code,
        other.code,
        "Đăng ký thường trú",
        "Nguyễn Văn An",
        "12 Lê Lợi, phường Sài Gòn",
        "0903123456",
        "TTPVHCC phường A",
        "09:00 02/03/2026",  # received
        "17:00 05/03/2026",  # appointment
        "09:10 02/03/2026",  # sent to the processing unit (from the event log)
        "15:00 02/03/2026",  # result back
        "08:00 03/03/2026",  # returned
        "Đã trả kết quả",
        "trước hạn",
        "Tổng số: 2 hồ sơ.",
        "Trang 1",
    ):
        assert fact in text, fact
    assert outside.code not in text
    assert text.index(d.code) < text.index(other.code)  # in order of receipt
    assert "079090001234" not in text  # the register lists no identity number


def test_register_pdf_needs_the_reception_role_and_a_valid_period(staff, client, world):
    assert client.post(URL, MARCH).status_code == 302  # anonymous: the login page
    assert staff("specialist").post(URL, MARCH).status_code == 403
    bad = staff("officer").post(URL, {"day_from": "2026-03-31", "day_to": "2026-03-01"})
    assert bad.status_code == 302 and bad["Location"].startswith("/can-bo/so-theo-doi/?")
    page = staff("officer").get(bad["Location"])
    assert "Chưa in được sổ" in page.text
    other_unit = world["org"]["b"]["one_stop"]
    assert staff("officer").post(URL, {"unit": other_unit.pk, **MARCH}).status_code == 302


def test_register_page_offers_the_pdf(staff, world, intake):
    intake("2026-03-02 09:00")
    page = staff("officer").get("/can-bo/so-theo-doi/", {"unit": world["one_stop"].pk, **MARCH})
    page = page.text
    assert f'action="{URL}"' in page and "Tải sổ dạng PDF" in page


@pytest.mark.django_db(transaction=True)  # the database worker opens its own transactions
def test_large_register_runs_as_a_task_with_progress(
    staff, world, intake, settings, media, monkeypatch
):
    settings.REGISTER_PDF_DIRECT_ROWS = 2
    monkeypatch.setattr(register, "PART_ROWS", 1)
    codes = [intake(f"2026-03-0{day} 09:00").code for day in (2, 3, 4)]
    client = staff("officer")
    response = client.post(URL, {"unit": world["one_stop"].pk, **MARCH})
    assert response.status_code == 302
    job = RegisterPrint.objects.get()
    assert response["Location"] == f"/can-bo/so-theo-doi/in/{job.uid}/"
    waiting = client.get(response["Location"])
    assert '<meta http-equiv="refresh" content="3">' in waiting.text
    assert "Đang chờ xử lý nền" in waiting.text

    # The progress the officer sees, read by the status page while each part is laid out.
    seen = []
    layout = render.layout

    def watching(html):
        seen.append(re.search(r"Đang tạo \d+/\d+ dòng", client.get(response["Location"]).text))
        return layout(html)

    monkeypatch.setattr(render, "layout", watching)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the real worker
    assert [m.group(0) for m in seen] == [
        "Đang tạo 0/3 dòng",
        "Đang tạo 1/3 dòng",
        "Đang tạo 2/3 dòng",
    ]
    job.refresh_from_db()
    assert job.status == "done" and (job.rows_done, job.rows_total) == (3, 3)

    done = client.get(response["Location"])
    assert "refresh" not in done.text and "Đã tạo xong sổ gồm 3 dòng." in done.text
    download = client.get(f"/can-bo/so-theo-doi/in/{job.uid}/tai-ve/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    text = pdf_text(download.content)
    for code in codes:
        assert code in text
    assert "Tổng số: 3 hồ sơ." in text
    pages = PdfReader(io.BytesIO(download.content)).pages
    assert [f"Trang {n}" in pdf_text_of(p) for n, p in enumerate(pages, start=1)] == [True] * len(
        pages
    )  # the page numbers run on across the parts
    stored = StoredFile.objects.get(pk=job.stored_file_id)
    assert stored.encrypted  # names, addresses and phones: encrypted at rest
    assert b"%PDF" not in (media / stored.storage_name).read_bytes()


def pdf_text_of(page) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", page.extract_text() or ""))


def test_status_page_shows_rows_done_of_total(staff, world):
    job = RegisterPrint.objects.create(
        requested_by=world["officer"],
        unit=world["one_stop"],
        day_from=at("2026-03-01 00:00").date(),
        day_to=at("2026-03-31 00:00").date(),
        status="running",
        rows_done=400,
        rows_total=1000,
        created_at=at("2026-03-31 10:00"),
    )
    page = staff("officer").get(f"/can-bo/so-theo-doi/in/{job.uid}/")
    assert "Đang tạo 400/1.000 dòng" in page.text
    assert '<progress max="1000" value="400"' in page.text and 'role="status"' in page.text
    assert staff("officer").get(f"/can-bo/so-theo-doi/in/{job.uid}/tai-ve/").status_code == 404


def test_double_submit_gives_the_same_print(
    staff, world, intake, settings, django_capture_on_commit_callbacks
):
    settings.REGISTER_PDF_DIRECT_ROWS = 0
    intake("2026-03-02 09:00")
    client = staff("officer")
    data = {"unit": world["one_stop"].pk, **MARCH}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = client.post(URL, data)
        second = client.post(URL, data)
    assert first["Location"] == second["Location"]
    assert RegisterPrint.objects.count() == 1 and len(callbacks) == 1  # enqueued once
    assert "đang được tạo" in client.get(second["Location"]).text


def test_only_the_officer_who_asked_may_follow_and_download(
    staff, client, world, intake, settings, media, make_user, django_capture_on_commit_callbacks
):
    settings.REGISTER_PDF_DIRECT_ROWS = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    intake("2026-03-02 09:00")
    with django_capture_on_commit_callbacks(execute=True):
        staff("officer").post(URL, {"unit": world["one_stop"].pk, **MARCH})
    job = RegisterPrint.objects.get()
    assert job.status == "done"
    status, download = (
        f"/can-bo/so-theo-doi/in/{job.uid}/",
        f"/can-bo/so-theo-doi/in/{job.uid}/tai-ve/",
    )
    assert staff("officer").get(download).status_code == 200
    colleague = make_user("tiepnhan2", Role.RECEPTION_OFFICER, world["agency"], world["one_stop"])
    client.force_login(colleague)
    assert client.get(status).status_code == 404 and client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302  # the login page
    world["officer"].role_assignments.all().delete()  # lost the reception role since
    client.force_login(world["officer"])
    assert client.get(download).status_code == 404


def test_a_failed_print_says_why_and_offers_to_retry(
    staff, world, intake, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.REGISTER_PDF_DIRECT_ROWS = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    intake("2026-03-02 09:00")

    def broken(*args, **kwargs):
        raise OSError("đĩa đầy")

    monkeypatch.setattr(register, "render_register", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff("officer").post(URL, {"unit": world["one_stop"].pk, **MARCH})
    page = staff("officer").get(response["Location"]).text
    assert "Không tạo được tệp PDF" in page and "đĩa đầy" in page and "Thử lại" in page
    assert RegisterPrint.objects.get().status == "failed"


def test_visual_register_page_one_to_png(world, intake):
    """Page 1 of the register with pdftoppm into test-artifacts/ for a person to look at."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed")
    returned_dossier(world, intake)
    intake("2026-03-20 09:00")
    pdf, rows = printjobs.build(
        world["officer"],
        unit=world["one_stop"],
        day_from=at("2026-03-01 00:00").date(),
        day_to=at("2026-03-31 00:00").date(),
        at=at("2026-03-31 10:00"),
    )
    assert rows == 2
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / "documents-mau07.pdf"
    source.write_bytes(pdf)
    stem = ARTIFACTS / "documents-mau07"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", source, stem],
        check=True,
        timeout=60,
    )
    from PIL import Image

    with Image.open(stem.with_suffix(".png")) as image:
        assert image.size == (1170, 827)  # A4 landscape (297 × 210 mm) at 100 dpi
