"""The signed result carries the competent agency's letterhead and the national heading, like
the forms it issues, and its signature still validates."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from motcua.documents import verification
from motcua.documents.models import AgencyLetterhead, IssuedDocument
from motcua.documents.storage import read_bytes
from motcua.dossiers.services import perform
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


@pytest.fixture
def approve(world, intake, pki_settings, media, django_capture_on_commit_callbacks):
    """Receive, process and approve a dossier; the signed result's PDF bytes."""

    def run(when: str = "2026-03-02") -> tuple[IssuedDocument, bytes]:
        d = intake(f"{when} 09:00")
        d, _ = perform(d, "transfer", world["officer"], now=at(f"{when} 09:10"))
        d, _ = perform(d, "complete_step", world["specialist"], now=at(f"{when} 11:00"))
        with django_capture_on_commit_callbacks(execute=True):
            d, _ = perform(d, "approve", world["leader"], now=at(f"{when} 14:00"))
        issued = IssuedDocument.objects.get(dossier=d)
        return issued, read_bytes(issued.stored_file)

    return run


def test_signed_result_has_the_agency_letterhead_and_still_validates(world, approve):
    AgencyLetterhead.objects.create(
        agency=world["agency"],
        parent_line="Ủy ban nhân dân phường Bến Thành",
        name_line="Trung tâm Phục vụ hành chính công phường Bến Thành",
        place="Bến Thành",
        number_format="{seq:04d}/{year}/TNHS",  # the forms' numbering; a result keeps its code
    )
    issued, data = approve()
    text = pdf_text(data)
    for fact in (
        "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG BẾN THÀNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bến Thành, ngày 02 tháng 3 năm 2026",  # Decree 30/2020: no zero before March
    ):
        assert fact in text, fact
    assert f"Số: {issued.code}" in text.replace("- KQ", "-KQ")  # the number is the result code
    assert "UBND TP.HCM" not in text  # the default parent line gave way to the letterhead
    result = verification.verify_pdf(data, code=issued.code)
    assert result.verdict == "valid", result
    assert result.registry.status == "match"


def test_without_a_letterhead_the_result_names_the_agency_under_its_parent(world, approve):
    issued, data = approve()
    text = pdf_text(data)
    assert "UBND TP.HCM" in text and "TTPVHCC PHƯỜNG A" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert verification.verify_pdf(data, code=issued.code).verdict == "valid"


def test_a_parent_agency_letterhead_is_not_printed_on_the_ward_result(world, approve):
    AgencyLetterhead.objects.create(
        agency=world["org"]["city"],
        parent_line="Ủy ban nhân dân Thành phố Hồ Chí Minh",
        name_line="Văn phòng Ủy ban nhân dân Thành phố",
    )
    _issued, data = approve()
    text = pdf_text(data)
    assert "VĂN PHÒNG ỦY BAN NHÂN DÂN THÀNH PHỐ" not in text
    assert "TTPVHCC PHƯỜNG A" in text
