"""Signing and verification with pyHanko; the signer registry; the demo CA command."""

from __future__ import annotations

import contextlib
import io
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.documents import signing, verification
from motcua.documents.signers import Pkcs12Backend
from motcua.documents.verification import RegistryStatus, Verdict, verify_pdf

from .conftest import NOW

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.django_db


def test_signed_pdf_is_valid_and_names_the_signer(signed):
    result = verify_pdf(signed("lanhdao"))
    assert result.verdict == Verdict.VALID, result
    [report] = result.signatures
    assert report.intact and report.valid and report.trusted and not report.modified_after
    assert report.signer == signing.SignerInfo(
        "Lê Hoàng Nam", "Phó Chủ tịch", "UBND phường Sài Gòn"
    )
    assert report.issuer.startswith("Một Cửa Demo CA")
    assert report.signed_at is not None
    assert result.registry.status == RegistryStatus.NOT_FOUND  # valid, but never registered


def test_visible_stamp_has_an_appearance_and_invisible_has_none(signed):
    from pypdf import PdfReader

    def widget(pdf):
        fields = PdfReader(io.BytesIO(pdf)).get_fields()
        [field] = [f for name, f in fields.items() if name.startswith("ChuKySo")]
        return field.indirect_reference.get_object()

    visible = widget(signed("lanhdao"))
    rect = [float(v) for v in visible["/Rect"]]
    assert rect[2] - rect[0] > 150 and "/AP" in visible
    invisible = widget(signed("lanhdao", visible=False))
    assert [float(v) for v in invisible["/Rect"]] == [0, 0, 0, 0]
    assert verify_pdf(signed("lanhdao", visible=False)).verdict == Verdict.VALID


def test_stamp_lands_on_the_template_anchor(notice_pdf, pki_settings):
    from pypdf import PdfReader

    where = signing.anchor_box(notice_pdf, signing.ANCHOR)
    assert where is not None
    page, box = where
    signed_notice = signing.sign_pdf(notice_pdf, "lanhdao", reason="Ký ban hành", at=NOW)
    reader = PdfReader(io.BytesIO(signed_notice))
    [field] = [f for n, f in reader.get_fields().items() if n.startswith("ChuKySo")]
    widget = field.indirect_reference.get_object()
    assert [round(float(v), 1) for v in widget["/Rect"]] == [round(v, 1) for v in box]
    assert reader.pages[page].indirect_reference.idnum == widget.raw_get("/P").idnum
    assert verify_pdf(signed_notice).verdict == Verdict.VALID
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "documents-signed.pdf").write_bytes(signed_notice)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "150",
                "-singlefile",
                ARTIFACTS / "documents-signed.pdf",
                ARTIFACTS / "documents-signed",
            ],
            check=True,
            timeout=60,
        )


def test_without_an_anchor_the_stamp_goes_bottom_right(signed):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(signed("lanhdao")))
    [field] = [f for n, f in reader.get_fields().items() if n.startswith("ChuKySo")]
    x1, y1, x2, _y2 = (float(v) for v in field.indirect_reference.get_object()["/Rect"])
    width = float(reader.pages[-1].mediabox.width)
    assert round(width - x2) == round(signing.STAMP_MARGIN) and round(y1) == round(
        signing.STAMP_MARGIN
    )


def test_stamp_text_is_vietnamese():
    info = signing.SignerInfo("Lê Hoàng Nam", "Phó Chủ tịch", "UBND phường Sài Gòn")
    assert signing.stamp_text(info, NOW).splitlines() == [
        "Người ký: Lê Hoàng Nam",
        "Chức vụ: Phó Chủ tịch",
        "Cơ quan: UBND phường Sài Gòn",
        "Thời gian ký: 09:30:00 ngày 05/03/2026",
    ]


def test_stamp_uses_the_small_face_unless_a_character_is_missing():
    assert signing.stamp_font("Người ký: Lê Hoàng Nam, Ỹ ỹ Đ đ ₫").endswith("NotoSerif-Stamp.ttf")
    assert signing.stamp_font("Người ký: Şahin Ødegård").endswith("NotoSerif-Regular.ttf")


def test_one_changed_byte_is_detected(signed):
    data = bytearray(signed("lanhdao"))
    at = data.index(b"WeasyPrint")
    data[at] = ord("w")
    result = verify_pdf(bytes(data))
    assert result.verdict == Verdict.MODIFIED
    assert not result.signatures[0].intact
    assert "đã bị sửa đổi" in result.message


def test_content_added_after_signing_is_detected(signed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed("lanhdao")))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 20 Tf 50 50 Td (Gia mao) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert result.verdict == Verdict.MODIFIED
    assert result.signatures[0].intact and result.signatures[0].modified_after


def test_self_signed_key_is_untrusted(signed):
    result = verify_pdf(signed("stranger"))
    assert result.verdict == Verdict.UNTRUSTED
    assert "không tin cậy" in result.message
    assert result.signatures[0].intact and not result.signatures[0].trusted


def test_demo_ca_is_not_trusted_when_switched_off(signed, settings):
    data = signed("lanhdao")
    settings.SIGNING_TRUST_DEMO_CA = False
    assert verify_pdf(data).verdict == Verdict.UNTRUSTED


def test_configured_trust_roots_are_used(signed, settings, session_pki):
    data = signed("lanhdao")
    settings.SIGNING_TRUST_DEMO_CA = False
    settings.SIGNING_TRUST_ROOTS = [str(session_pki / "demo-ca.pem")]
    assert verify_pdf(data).verdict == Verdict.VALID


def test_second_signature_keeps_both_valid(signed, pki_settings):
    twice = signing.sign_pdf(signed("lanhdao"), "demo", reason="Phê duyệt", at=NOW)
    result = verify_pdf(twice)
    assert [r.field_name for r in result.signatures] == ["ChuKySo1", "ChuKySo2"]
    assert result.verdict == Verdict.VALID, [r.verdict for r in result.signatures]


def test_unsigned_and_unreadable_files(mau01_pdf, pki_settings):
    assert verify_pdf(mau01_pdf).verdict == Verdict.UNSIGNED
    assert verify_pdf(b"%PDF-1.7\nnot really").verdict == Verdict.NOT_PDF


def test_unknown_signer_and_wrong_password(mau01_pdf, pki_settings):
    with pytest.raises(signing.SignerNotFound, match="demo-ca"):
        signing.sign_pdf(mau01_pdf, "khong-co")
    with pytest.raises(signing.SignerNotFound):
        signing.sign_pdf(mau01_pdf, "../../etc/passwd")
    pki_settings.SIGNING_PKCS12_PASSWORD = "sai-mat-khau"
    with pytest.raises(signing.SigningConfigError, match="SIGNING_PKCS12_PASSWORD"):
        signing.sign_pdf(mau01_pdf, "demo")


def test_not_a_pdf_cannot_be_signed(pki_settings):
    with pytest.raises(signing.SigningError, match="không phải PDF"):
        signing.sign_pdf(b"hello", "demo")


def test_pkcs12_backend_lists_its_signers(pki_settings):
    assert Pkcs12Backend().signer_ids() == ["demo", "lanhdao", "stranger"]


class FakeBackend(signing.SignerBackend):
    id = "fake"
    label = "Fake"

    def __init__(self) -> None:
        self.opened: list[str] = []

    def signer_ids(self) -> list[str]:
        return ["x"]

    @contextlib.contextmanager
    def open(self, signer_id: str):
        self.opened.append(signer_id)
        with Pkcs12Backend().open("demo") as signer:
            yield signer


def test_a_throw_away_registry_with_a_fake_backend(mau01_pdf, pki_settings):
    registry = signing.Registry()
    registry.register(FakeBackend)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(FakeBackend)
    pki_settings.PDF_SIGNER_BACKEND = "fake"
    backend = registry.active()
    signed = signing.sign_pdf(mau01_pdf, "x", visible=False, backend=backend)
    assert backend.opened == ["x"]
    assert verify_pdf(signed).verdict == Verdict.VALID
    pki_settings.PDF_SIGNER_BACKEND = "nope"
    with pytest.raises(signing.SigningConfigError, match="nope"):
        registry.active()


def test_worst_signature_decides():
    def report(v):
        return verification.SignatureReport(
            "f", signing.SignerInfo("", "", ""), "", None, False, True, True, True, False, v
        )

    reports = [report(Verdict.VALID), report(Verdict.UNTRUSTED), report(Verdict.MODIFIED)]
    assert verification.worst_verdict(reports) == Verdict.MODIFIED
    assert verification.worst_verdict(reports[:2]) == Verdict.UNTRUSTED


def test_demo_ca_command_is_idempotent(settings, tmp_path, world, capsys):
    settings.SIGNING_PKI_DIR = str(tmp_path / "pki")
    call_command("demo_ca")
    out = capsys.readouterr().out
    assert "Đã tạo CA trình diễn" in out
    signers = sorted(p.stem for p in (tmp_path / "pki" / "signers").glob("*.p12"))
    assert signers == sorted(["demo", "lanhdao", world["agency"].identifier])
    key = tmp_path / "pki" / "signers" / "lanhdao.p12"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    call_command("demo_ca")
    out = capsys.readouterr().out
    assert "0 khóa ký mới, 3 khóa đã có" in out
    assert key.read_bytes() == before
