"""Rendering: the QR payload, Vietnamese dates, Mẫu 01 as PDF with the bundled font."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from motcua.documents import dates, printed, qr, render

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def test_qr_payload_is_pure_and_masks_the_identifier():
    payload = qr.qr_payload(
        document_name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        dossier_code="000.21.26.H29-260305-0001",
        procedure_code="1.001193",
        applicant_id="079301001234",
        url="https://motcua.example.gov.vn/xac-thuc/000.21.26.H29-260305-0001/",
    )
    assert payload == (
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả\n"
        "Mã hồ sơ: 000.21.26.H29-260305-0001\n"
        "Mã TTHC: 1.001193\n"
        "Người nộp: ********1234\n"
        "https://motcua.example.gov.vn/xac-thuc/000.21.26.H29-260305-0001/"
    )
    assert "079301001234" not in payload


def test_qr_payload_names_the_result_code_when_there_is_one():
    payload = qr.qr_payload(
        document_name="Giấy khai sinh",
        dossier_code="D-1",
        procedure_code="1.001193",
        applicant_id="0312345678",
        url="u",
        document_code="D-1-KQ1",
    )
    assert payload.splitlines()[1:4] == [
        "Mã văn bản: D-1-KQ1",
        "Mã hồ sơ: D-1",
        "Mã TTHC: 1.001193",
    ]
    assert "Người nộp: ******5678" in payload


@pytest.mark.parametrize(
    ("value", "masked"),
    [("079301001234", "********1234"), ("0312345678", "******5678"), ("12345", "****5"), ("", "")],
)
def test_mask_identifier(value, masked):
    assert qr.mask_identifier(value) == masked


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (dt.date(2026, 2, 15), "ngày 15 tháng 02 năm 2026"),
        (dt.date(2026, 1, 1), "ngày 01 tháng 01 năm 2026"),
        (dt.date(2026, 12, 24), "ngày 24 tháng 12 năm 2026"),
    ],
)
def test_vietnamese_date_follows_decree_30(day, text):
    assert dates.vn_date(day) == text


def test_date_line_and_moment_use_local_time():
    instant = dt.datetime(2026, 3, 4, 17, 5, tzinfo=dt.UTC)  # 00:05 on the 5th in Viet Nam
    assert dates.vn_date_line("Sài Gòn", instant) == "Sài Gòn, ngày 05 tháng 3 năm 2026"
    assert dates.vn_moment(instant) == "00 giờ 05 phút, ngày 05 tháng 3 năm 2026"


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_mau01_pdf_shows_every_field_with_diacritics(mau01_pdf):
    pages = _text(mau01_pdf)
    assert len(pages) == 2  # two copies (liên)
    first = pages[0]
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Sài Gòn, ngày 05 tháng 3 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Số: 125/TNHS",
        "000.21.26.H29-260305-0001",
        "Nguyễn Thị Hằng",
        "********1234",
        "12 đường Lê Lợi, phường Sài Gòn",
        "0903 123 456",
        "hang.nguyen@example.vn",
        "Đăng ký khai sinh",
        "1.001193",
        "Giấy chứng sinh do cơ sở y tế cấp",
        "Số lượng hồ sơ: 01 (bộ)",
        "03 ngày làm việc",
        "09 giờ 30 phút, ngày 05 tháng 3 năm 2026",
        "16 giờ 00 phút, ngày 10 tháng 3",
        "Quyển số: 01, Số thứ tự: 125",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Thị Lan",
        "Liên 1: lưu tại Bộ phận tiếp nhận và trả kết quả",
    ):
        assert expected in first, expected
    assert "Liên 2: giao người nộp hồ sơ" in pages[1]
    assert "079301001234" not in "".join(pages)  # the full ID is never printed


def test_mau01_embeds_only_the_bundled_font(mau01_pdf):
    reader = PdfReader(io.BytesIO(mau01_pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("Mot-Cua-Serif" in name for name in fonts), fonts


def test_mau01_is_a5(mau01_pdf):
    box = PdfReader(io.BytesIO(mau01_pdf)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (148, 210)


def test_a4_landscape_and_bad_page_size(mau01_context):
    context = printed.form_context("01", mau01_context)
    pdf = render.render_pdf("documents/pdf/mau01.html", context, page_size="A4", landscape=True)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 297
    with pytest.raises(render.RenderError):
        render.render_pdf("documents/pdf/mau01.html", context, page_size="Letter")


def test_missing_facts_are_refused(mau01_context):
    del mau01_context["applicant"]
    with pytest.raises(printed.MissingField, match="applicant"):
        printed.render_form("01", mau01_context)


def test_receipt_qr_links_to_the_tracking_page(settings, mau01_context):
    settings.NOTIFY_SITE_URL = "https://motcua.example.gov.vn/"
    context = printed.form_context("01", mau01_context)
    assert context["qr_payload"].endswith(
        "https://motcua.example.gov.vn/tra-cuu/?ma=000.21.26.H29-260305-0001"
    )
    assert str(context["qr"]).startswith('<svg role="img"')


def test_result_qr_links_to_the_verification_page(settings, mau01_context):
    settings.NOTIFY_SITE_URL = "https://motcua.example.gov.vn"
    mau01_context["document_code"] = "000.21.26.H29-260305-0001-KQ1"
    payload = printed.form_context("01", mau01_context)["qr_payload"]
    assert "Mã văn bản: 000.21.26.H29-260305-0001-KQ1" in payload
    assert payload.endswith("https://motcua.example.gov.vn/xac-thuc/000.21.26.H29-260305-0001-KQ1/")


def test_renderer_fetches_nothing_but_the_bundled_fonts():
    fetcher = render._fetcher()
    assert fetcher.fetch(render.font_path().as_uri()).read(4) == b"\0\1\0\0"
    for url in ("https://example.com/x.css", "file:///etc/passwd", "ftp://example.com/a"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_visual_page_one_to_png(mau01_pdf):
    """Renders page 1 with poppler's pdftoppm into test-artifacts/ for a person to look at;
    decodes the QR code from the picture when zbarimg is installed."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / "documents-mau01.pdf"
    source.write_bytes(mau01_pdf)
    stem = ARTIFACTS / "documents-mau01"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile", source, stem],
        check=True,
        timeout=60,
    )
    png = stem.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(png) as image:
        assert image.size == (1166, 1654)  # A5 at 200 dpi
    if shutil.which("zbarimg"):
        out = subprocess.run(
            ["zbarimg", "-q", "--raw", png], capture_output=True, text=True, timeout=60
        )
        assert "Mã hồ sơ: 000.21.26.H29-260305-0001" in out.stdout
        assert "Người nộp: ********1234" in out.stdout
