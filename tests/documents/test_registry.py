"""The registry of issued results and its comparison with uploaded files."""

from __future__ import annotations

import pytest

from motcua.documents import services
from motcua.documents.models import IssuedDocument
from motcua.documents.verification import RegistryStatus, Verdict, verify_pdf

from .conftest import NOW

pytestmark = pytest.mark.django_db

CODE = "000.21.26.H29-260305-0001-KQ1"


@pytest.fixture
def issued(signed, media):
    return services.register_issued(
        signed("lanhdao"),
        code=CODE,
        title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        procedure_code="1.001193",
        issued_at=NOW,
    )


def test_register_issued_records_hash_signer_and_file(issued, signed):
    from motcua.documents import storage

    assert issued.signer_name == "Lê Hoàng Nam"
    assert issued.sha256 == storage.sha256_hex(signed("lanhdao"))
    assert storage.read_bytes(issued.stored_file) == signed("lanhdao")
    assert issued.stored_file.original_name == f"{CODE}.pdf"


def test_the_registered_file_matches(issued, signed):
    result = verify_pdf(signed("lanhdao"))
    assert result.ok
    assert result.registry.status == RegistryStatus.MATCH and result.registry.record == issued
    assert CODE in result.registry.message
    assert verify_pdf(signed("lanhdao"), code=CODE).registry.status == RegistryStatus.MATCH


def test_another_valid_file_under_the_code_is_a_mismatch(issued, signed):
    other = signed("lanhdao", visible=False)  # genuinely signed, but not the issued file
    result = verify_pdf(other, code=CODE)
    assert result.verdict == Verdict.VALID
    assert result.registry.status == RegistryStatus.MISMATCH
    assert "Không trùng khớp" in result.registry.message
    assert not result.ok


def test_unknown_code_and_unregistered_file(issued, signed):
    assert verify_pdf(signed("lanhdao"), code="X-KQ9").registry.status == (
        RegistryStatus.UNKNOWN_CODE
    )
    assert verify_pdf(signed("demo")).registry.status == RegistryStatus.NOT_FOUND


def test_a_modified_copy_of_an_issued_file(issued, signed):
    data = bytearray(signed("lanhdao"))
    data[data.index(b"WeasyPrint")] = ord("w")
    result = verify_pdf(bytes(data), code=CODE)
    assert result.verdict == Verdict.MODIFIED
    assert result.registry.status == RegistryStatus.MISMATCH


def test_content_appended_to_an_issued_file_finds_the_signed_revision(issued, signed):
    appended = signed("lanhdao") + b"\n% appended after issue\n"
    result = verify_pdf(appended)
    assert result.registry.status == RegistryStatus.SIGNED_REVISION
    assert result.registry.record == issued


def test_registering_needs_a_signature_and_a_free_code(issued, signed, mau01_pdf):
    with pytest.raises(services.RegistrationError, match="chưa được ký số"):
        services.register_issued(mau01_pdf, code="A-KQ1", title="x")
    with pytest.raises(services.RegistrationError, match="đã được cấp"):
        services.register_issued(signed("demo"), code=CODE, title="x")
    assert IssuedDocument.objects.count() == 1


def test_result_code_pattern():
    assert services.result_code("000.21.26.H29-260305-0001", 2) == ("000.21.26.H29-260305-0001-KQ2")
