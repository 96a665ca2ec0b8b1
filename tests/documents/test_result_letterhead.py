"""The signed result carries the heading of the competent authority that decides (the result
lines of its letterhead, else its name under its parent's, never the one-stop centre of the
forms) and the national heading, and its signature still validates."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from motcua.documents import verification
from motcua.documents.models import AgencyLetterhead, DigitisedDocument, IssuedDocument
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


def _check_signature(issued, data) -> None:
    result = verification.verify_pdf(data, code=issued.code)
    assert result.verdict == "valid", result
    assert result.registry.status == "match"


def centre_letterhead(agency, **fields) -> AgencyLetterhead:
    """The letterhead of the one-stop forms: the service centre under the ward committee."""
    return AgencyLetterhead.objects.create(
        agency=agency,
        parent_line="Ủy ban nhân dân phường Bến Thành",
        name_line="Trung tâm Phục vụ hành chính công phường Bến Thành",
        place="Bến Thành",
        number_format="{seq:04d}/{year}/TNHS",  # the forms' numbering; a result keeps its code
        **fields,
    )


def test_the_forms_letterhead_does_not_make_the_service_centre_the_issuer_of_the_result(
    world, approve
):
    """The forms' lines name the one-stop centre; a result is the competent authority's
    decision, so without result lines it names the agency under its parent, as before."""
    centre_letterhead(world["agency"])
    issued, data = approve()
    text = pdf_text(data)
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG BẾN THÀNH" not in text
    assert "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH" not in text
    for fact in (
        "UBND TP.HCM",
        "TTPVHCC PHƯỜNG A",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bến Thành, ngày 02 tháng 3 năm 2026",  # the agency's seat; no zero before March
    ):
        assert fact in text, fact
    assert f"Số: {issued.code}" in text.replace("- KQ", "-KQ")  # the number is the result code
    _check_signature(issued, data)


def test_the_result_lines_name_the_issuing_authority_and_still_validate(world, approve):
    centre_letterhead(
        world["agency"],
        result_parent_line="UBND Thành phố Hồ Chí Minh",
        result_name_line="Ủy ban nhân dân phường Bến Thành",
    )
    issued, data = approve()
    text = pdf_text(data)
    for fact in (
        "UBND THÀNH PHỐ HỒ CHÍ MINH",
        "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Bến Thành, ngày 02 tháng 3 năm 2026",
    ):
        assert fact in text, fact
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" not in text  # the forms' issuer
    assert "UBND TP.HCM" not in text  # the default parent line gave way to the result lines
    assert f"Số: {issued.code}" in text.replace("- KQ", "-KQ")
    _check_signature(issued, data)
    stored = DigitisedDocument.objects.get(issued_document=issued)
    assert stored.issuer == "Ủy ban nhân dân phường Bến Thành"  # the data store agrees


def test_a_single_result_line_is_printed_alone(world, approve):
    AgencyLetterhead.objects.create(
        agency=world["agency"], result_name_line="Ủy ban nhân dân phường Bến Thành"
    )
    issued, data = approve()
    text = pdf_text(data)
    assert "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH" in text
    assert "UBND TP.HCM" not in text and "TTPVHCC PHƯỜNG A" not in text
    _check_signature(issued, data)


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
        result_name_line="Chủ tịch Ủy ban nhân dân Thành phố",
    )
    _issued, data = approve()
    text = pdf_text(data)
    assert "VĂN PHÒNG ỦY BAN NHÂN DÂN THÀNH PHỐ" not in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ" not in text  # result lines are not inherited
    assert "TTPVHCC PHƯỜNG A" in text
