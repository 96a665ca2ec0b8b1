"""The PKCS#11 backend: configuration errors, and real signing on SoftHSM where installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings

from motcua.documents import pki, signing
from motcua.documents.checks import check_documents
from motcua.documents.signers import Pkcs11Backend, parse_key_labels, pkcs11_config
from motcua.documents.verification import Verdict, verify_pdf

from .conftest import NOW, PASSWORD


@pytest.fixture
def p11(settings):
    settings.PDF_SIGNER_BACKEND = "pkcs11"
    settings.SIGNING_PKCS11_MODULE = None
    settings.SIGNING_PKCS11_TOKEN_LABEL = None
    settings.SIGNING_PKCS11_KEY_LABEL = None
    settings.SIGNING_PKCS11_PIN = None
    return settings


def test_missing_settings_are_named(p11):
    with pytest.raises(signing.SigningConfigError) as info:
        pkcs11_config()
    for name in ("SIGNING_PKCS11_MODULE", "SIGNING_PKCS11_TOKEN_LABEL", "SIGNING_PKCS11_PIN"):
        assert name in info.value.message


def test_module_must_exist(p11):
    p11.SIGNING_PKCS11_MODULE = "/nonexistent/libtoken.so"
    p11.SIGNING_PKCS11_TOKEN_LABEL = "UBND"
    p11.SIGNING_PKCS11_PIN = "123456"
    p11.SIGNING_PKCS11_KEY_LABEL = "seal"
    with pytest.raises(signing.SigningConfigError, match="không có thư viện"):
        pkcs11_config()


def test_a_library_that_is_not_pkcs11_is_refused_clearly(p11, mau01_pdf, tmp_path):
    fake = tmp_path / "libnot-a-token.so"
    fake.write_bytes(b"\x7fELF not really")
    p11.SIGNING_PKCS11_MODULE = str(fake)
    p11.SIGNING_PKCS11_TOKEN_LABEL = "UBND"
    p11.SIGNING_PKCS11_PIN = "123456"
    p11.SIGNING_PKCS11_KEY_LABEL = "seal"
    with pytest.raises(signing.SigningConfigError, match="Không mở được thiết bị ký"):
        signing.sign_pdf(mau01_pdf, "lanhdao")


def test_key_labels():
    assert parse_key_labels("seal") == ({}, "seal")
    assert parse_key_labels("lanhdao=k1, 000.21.26.H29=k2") == (
        {"lanhdao": "k1", "000.21.26.H29": "k2"},
        None,
    )
    with pytest.raises(signing.SigningConfigError):
        parse_key_labels("a,b")
    with pytest.raises(signing.SigningConfigError):
        parse_key_labels("=k1")


def test_signer_without_a_label(p11, tmp_path):
    module = tmp_path / "lib.so"
    module.write_bytes(b"x")
    p11.SIGNING_PKCS11_MODULE = str(module)
    p11.SIGNING_PKCS11_TOKEN_LABEL = "UBND"
    p11.SIGNING_PKCS11_PIN = "123456"
    p11.SIGNING_PKCS11_KEY_LABEL = "lanhdao=k1"
    config = pkcs11_config()
    assert config.label_for("lanhdao") == "k1"
    with pytest.raises(signing.SignerNotFound):
        config.label_for("khac")
    assert Pkcs11Backend().signer_ids() == ["lanhdao"]


def test_system_check_reports_a_misconfigured_token(p11):
    errors = [e for e in check_documents() if e.id == "documents.E002"]
    assert errors and "SIGNING_PKCS11_MODULE" in errors[0].msg


def test_system_check_reports_an_unknown_backend(settings):
    settings.PDF_SIGNER_BACKEND = "cloud"
    assert [e.id for e in check_documents()] == ["documents.E001"]


SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN, PIN, LABEL = "MOTCUA", "123456", "hsm-key"


def _softhsm_util(*args: str) -> None:
    subprocess.run(["softhsm2-util", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory, session_pki):
    """A real PKCS#11 token (SoftHSM) holding a key and certificate from the demo CA.

    Runs where Debian's ``softhsm2`` is installed; production tokens and HSMs are driven the
    same way, through their vendor's PKCS#11 library."""
    if not SOFTHSM.is_file() or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM (Debian package softhsm2) is not installed")
    import pkcs11
    from asn1crypto import core as asn1_core
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass

    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    _softhsm_util("--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "87654321")
    with override_settings(SIGNING_PKI_DIR=str(session_pki), SIGNING_PKCS12_PASSWORD=PASSWORD):
        ca, _created = pki.ensure_ca(now=NOW, password=PASSWORD)
    subject = pki.Subject("hsm", "Phạm Văn Ấn", "Giám đốc", "Sở Tư pháp")
    key, cert = pki.issue_certificate(subject, issuer=ca, now=NOW)
    key_file = folder / "key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    _softhsm_util(
        "--import", str(key_file), "--token", TOKEN, "--label", LABEL, "--id", "01", "--pin", PIN
    )
    key_file.unlink()
    token = pkcs11.lib(str(SOFTHSM)).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: LABEL,
                Attribute.ID: b"\x01",
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.ISSUER: cert.issuer.public_bytes(),
                Attribute.SERIAL_NUMBER: asn1_core.Integer(cert.serial_number).dump(),
            }
        )
    yield SOFTHSM
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture
def token_settings(p11, pki_settings, softhsm):
    p11.PDF_SIGNER_BACKEND = "pkcs11"
    p11.SIGNING_PKCS11_MODULE = str(softhsm)
    p11.SIGNING_PKCS11_TOKEN_LABEL = TOKEN
    p11.SIGNING_PKCS11_PIN = PIN
    p11.SIGNING_PKCS11_KEY_LABEL = LABEL
    return p11


@pytest.mark.django_db
def test_signing_on_a_pkcs11_token(token_settings, mau01_pdf):
    signed = signing.sign_pdf(mau01_pdf, "any-signer", reason="Ký bằng thiết bị", at=NOW)
    result = verify_pdf(signed)
    assert result.verdict == Verdict.VALID
    assert result.signatures[0].signer == signing.SignerInfo(
        "Phạm Văn Ấn", "Giám đốc", "Sở Tư pháp"
    )


def test_token_errors_are_clear(token_settings, mau01_pdf):
    token_settings.SIGNING_PKCS11_KEY_LABEL = "no-such-key"
    with pytest.raises(signing.SignerNotFound, match="no-such-key"):
        signing.sign_pdf(mau01_pdf, "x")
    token_settings.SIGNING_PKCS11_KEY_LABEL = LABEL
    token_settings.SIGNING_PKCS11_TOKEN_LABEL = "OTHER"
    with pytest.raises(signing.SigningConfigError, match="OTHER"):
        signing.sign_pdf(mau01_pdf, "x")
    token_settings.SIGNING_PKCS11_TOKEN_LABEL = TOKEN
    token_settings.SIGNING_PKCS11_PIN = "000000"
    with pytest.raises(signing.SigningConfigError):
        signing.sign_pdf(mau01_pdf, "x")
