"""Fixtures for documents: a demo PKI made once per session, media in a temporary folder,
a Mẫu 01 context, rendered and signed PDFs."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from motcua.documents import pki, printed, qr, render, signing
from tests.dossiers.conftest import intake, world  # noqa: F401  (fixtures reused here)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "test-pki-password"
NOW = dt.datetime(2026, 3, 5, 2, 30, tzinfo=dt.UTC)


def mau01_data() -> dict:
    return {
        "issuer": {
            "agency": "Ủy ban nhân dân phường Sài Gòn",
            "unit": "Trung tâm Phục vụ hành chính công phường Sài Gòn",
        },
        "number": "125/TNHS",
        "place": "Sài Gòn",
        "issued_at": dt.datetime(2026, 3, 5, 9, 30, tzinfo=VN),
        "dossier_code": "000.21.26.H29-260305-0001",
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh"},
        "applicant": {
            "name": "Nguyễn Thị Hằng",
            "id_number": "079301001234",
            "address": "12 đường Lê Lợi, phường Sài Gòn, Thành phố Hồ Chí Minh",
            "phone": "0903 123 456",
            "email": "hang.nguyen@example.vn",
        },
        "components": [
            {"name": "Tờ khai đăng ký khai sinh theo mẫu", "originals": 1, "copies": 0},
            {"name": "Giấy chứng sinh do cơ sở y tế cấp", "originals": 1, "copies": 0},
            {"name": "Giấy chứng nhận kết hôn của cha, mẹ (nếu có)", "originals": 0, "copies": 1},
        ],
        "sets": 1,
        "processing_time": "03 ngày làm việc",
        "received_at": dt.datetime(2026, 3, 5, 9, 30, tzinfo=VN),
        "due_at": dt.datetime(2026, 3, 10, 16, 0, tzinfo=VN),
        "collect_at": "Bộ phận tiếp nhận và trả kết quả, Trung tâm Phục vụ hành chính công",
        "register": {"book": "01", "number": "125"},
        "officer": "Trần Thị Lan",
    }


@pytest.fixture
def mau01_context() -> dict:
    return mau01_data()


@pytest.fixture(scope="session")
def mau01_pdf() -> bytes:
    return printed.render_form("01", mau01_data())


@pytest.fixture(scope="session")
def session_pki(tmp_path_factory):
    """A demo CA with signers ``demo`` and ``lanhdao``, plus a self-signed ``stranger``."""
    folder = tmp_path_factory.mktemp("pki")
    with override_settings(SIGNING_PKI_DIR=str(folder), SIGNING_PKCS12_PASSWORD=PASSWORD):
        pki.create_demo_pki(
            now=NOW,
            subjects=[
                pki.Subject("demo", "Người ký thử nghiệm", "", "Một Cửa"),
                pki.Subject("lanhdao", "Lê Hoàng Nam", "Phó Chủ tịch", "UBND phường Sài Gòn"),
            ],
        )
        key, cert = pki.issue_certificate(pki.Subject("stranger", "Kẻ Lạ", "", "Không rõ"), now=NOW)
        (folder / "signers" / "stranger.p12").write_bytes(
            pki.pkcs12_bytes(key, cert, password=PASSWORD)
        )
    return folder


@pytest.fixture
def pki_settings(settings, session_pki):
    settings.SIGNING_PKI_DIR = str(session_pki)
    settings.SIGNING_PKCS12_PASSWORD = PASSWORD
    settings.PDF_SIGNER_BACKEND = "pkcs12"
    settings.SIGNING_TRUST_ROOTS = []
    settings.SIGNING_TRUST_DEMO_CA = True
    settings.SIGNING_VERIFY_ONLINE = False
    settings.SIGNING_TSA_URL = None
    return settings


@pytest.fixture(scope="session")
def _signed_cache():
    return {}


@pytest.fixture
def signed(pki_settings, mau01_pdf, _signed_cache):
    """``signed(signer_id, visible=True)``: Mẫu 01 signed (cached across the session)."""

    def make(signer_id: str = "lanhdao", *, visible: bool = True) -> bytes:
        key = (signer_id, visible)
        if key not in _signed_cache:
            _signed_cache[key] = signing.sign_pdf(
                mau01_pdf,
                signer_id,
                visible=visible,
                reason="Ký số kết quả giải quyết",
                location="Sài Gòn",
                at=NOW,
            )
        return _signed_cache[key]

    return make


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def notice_data() -> dict:
    """A plain document (văn bản) whose signer block carries the e-signature anchor."""
    return {
        "issuer": {"agency": "Ủy ban nhân dân phường Sài Gòn", "unit": "Văn phòng HĐND và UBND"},
        "number": "15/TB-UBND",
        "place": "Sài Gòn",
        "issued_at": dt.datetime(2026, 3, 5, 14, 0, tzinfo=VN),
        "document_name": "Thông báo",
        "document_code": "000.21.26.H29-260305-0001-KQ1",
        "qr": qr.qr_svg("000.21.26.H29-260305-0001-KQ1"),
        "title": "Thông báo",
        "subtitle": "Về kết quả giải quyết hồ sơ 000.21.26.H29-260305-0001",
        "paragraphs": [
            "Ủy ban nhân dân phường Sài Gòn thông báo hồ sơ của bà Nguyễn Thị Hằng đã được "
            "giải quyết xong, kết quả được gửi vào kho dữ liệu điện tử của công dân.",
            "Văn bản này được ký số; mọi người có thể kiểm tra tại trang xác thực.",
        ],
        "recipients": ["Bà Nguyễn Thị Hằng", "Lưu: VT"],
        "signatures": [
            {"title": "Chủ tịch", "note": " ", "name": "Lê Hoàng Nam", "anchor": "chu-ky-so"}
        ],
    }


@pytest.fixture(scope="session")
def notice_pdf() -> bytes:
    return render.render_pdf("documents/pdf/van_ban.html", notice_data())
