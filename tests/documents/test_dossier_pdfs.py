"""Dossier PDFs: the back-office printed forms as PDF, and the signed result of an approval."""

from __future__ import annotations

import io
import logging
import unicodedata

import pytest
from pypdf import PdfReader

from motcua.documents import pki, verification
from motcua.documents.models import IssuedDocument
from motcua.documents.storage import read_bytes
from motcua.dossiers.services import perform
from tests.dossiers.conftest import at

from .conftest import NOW, PASSWORD

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() or "" for p in reader.pages))


@pytest.fixture
def staff(client, world):
    def as_(name):
        client.force_login(world[name])
        return client

    return as_


@pytest.fixture
def demo_pki(settings, tmp_path):
    """A fresh demo CA in ``tmp_path`` with a signer for the world's leader ``lanhdao``."""
    settings.SIGNING_PKI_DIR = str(tmp_path / "pki")
    settings.SIGNING_PKCS12_PASSWORD = PASSWORD
    settings.PDF_SIGNER_BACKEND = "pkcs12"
    settings.SIGNING_TRUST_ROOTS = []
    settings.SIGNING_TRUST_DEMO_CA = True
    settings.SIGNING_VERIFY_ONLINE = False
    settings.SIGNING_TSA_URL = None
    pki.create_demo_pki(
        now=NOW,
        subjects=[pki.Subject("lanhdao", "Lê Hoàng Nam", "Lãnh đạo", "Phường A")],
    )
    return settings


def _to_leader(world, intake):
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(d, "complete_step", world["specialist"], now=at("2026-03-02 11:00"))
    return d


def get_pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response


def test_each_form_pdf_has_the_code_and_vietnamese_text(staff, world, intake):
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
    d, _ = perform(
        d, "stop", world["officer"], now=at("2026-03-05 10:00"), reason="Công dân xin dừng"
    )
    client = staff("officer")
    expected = {
        "01": ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Nguyễn Văn An", "Liên 1"),
        "04": ("VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Cần xác minh thêm"),
        "05": ("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Công dân xin dừng"),
        "06": ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Đăng ký thường trú"),
    }
    for number, facts in expected.items():
        response = get_pdf(client, f"/can-bo/ho-so/{d.code}/in/{number}/pdf/")
        disposition = response["Content-Disposition"]
        assert disposition.startswith("inline") and f"{d.code}-mau-{number}.pdf" in disposition
        reader = PdfReader(io.BytesIO(response.content))
        width_mm = float(reader.pages[0].mediabox.width) * 25.4 / 72
        assert round(width_mm) == (210 if number == "06" else 148), number
        text = pdf_text(response.content)
        assert d.code in text, number
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text, number
        for fact in facts:
            assert fact in text, (number, fact)
        assert "Tải PDF" not in text and "In phiếu" not in text  # no screen toolbar
    receipt = PdfReader(io.BytesIO(get_pdf(client, f"/can-bo/ho-so/{d.code}/in/01/pdf/").content))
    assert len(receipt.pages) == 2  # one A5 page per copy
    assert unicodedata.normalize("NFC", receipt.metadata.title).startswith("Giấy tiếp nhận")


def test_form_pdf_keeps_the_print_view_permissions(staff, world, intake):
    d = intake("2026-03-02 09:00")
    client = staff("other_specialist")
    assert client.get(f"/can-bo/ho-so/{d.code}/in/01/pdf/").status_code == 404
    assert client.get(f"/can-bo/ho-so/{d.code}/in/01/").status_code == 404
    officer = staff("officer")
    assert officer.get(f"/can-bo/ho-so/{d.code}/in/03/pdf/").status_code == 404  # not issued
    assert officer.get(f"/can-bo/ho-so/{d.code}/in/99/pdf/").status_code == 404


def test_approve_issues_a_signed_verifiable_result(
    staff, world, intake, demo_pki, media, django_capture_on_commit_callbacks
):
    d = _to_leader(world, intake)
    with django_capture_on_commit_callbacks(execute=True):
        d, _ = perform(d, "approve", world["leader"], now=at("2026-03-02 14:00"))
    assert d.result_code == f"{d.code}-KQ1"
    issued = IssuedDocument.objects.get(code=f"{d.code}-KQ1")
    assert issued.dossier == d and issued.procedure_code == "1.004222"
    assert issued.stored_file.owner_identifier == "079090001234"
    data = read_bytes(issued.stored_file)
    result = verification.verify_pdf(data, code=issued.code)
    assert result.verdict == "valid", result
    assert result.registry.status == "match"
    text = pdf_text(data)
    for fact in (issued.code, "Đăng ký thường trú", "Nguyễn Văn An", "14:00 ngày 02/03/2026"):
        assert fact in text, fact

    page = staff("officer").get(f"/xac-thuc/{issued.code}/")
    assert page.status_code == 200 and issued.code in page.text

    response = get_pdf(staff("officer"), f"/can-bo/ho-so/{d.code}/ket-qua.pdf")
    assert response.content == data
    assert f"{issued.code}.pdf" in response["Content-Disposition"]
    assert staff("other_specialist").get(f"/can-bo/ho-so/{d.code}/ket-qua.pdf").status_code == 404


def test_approval_without_pki_still_succeeds_and_warns(
    settings, tmp_path, world, intake, media, caplog, django_capture_on_commit_callbacks
):
    settings.PDF_SIGNER_BACKEND = "pkcs12"
    settings.SIGNING_PKI_DIR = str(tmp_path / "no-pki")
    d = _to_leader(world, intake)
    with (
        caplog.at_level(logging.WARNING, logger="motcua.documents.results"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        d, _ = perform(d, "approve", world["leader"], now=at("2026-03-02 14:00"))
    d.refresh_from_db()
    assert d.result_code == f"{d.code}-KQ1" and d.signer == world["leader"]
    assert not IssuedDocument.objects.exists()
    assert "not issued" in caplog.text and "motcua demo-ca" in caplog.text


def test_result_download_is_404_before_any_signed_result(staff, world, intake):
    d = intake("2026-03-02 09:00")
    assert staff("officer").get(f"/can-bo/ho-so/{d.code}/ket-qua.pdf").status_code == 404
