"""A demo public-key infrastructure: one CA and a signer certificate per leader and agency.

``motcua demo-ca`` calls :func:`create_demo_pki`, which writes into ``SIGNING_PKI_DIR``:

* ``demo-ca.pem`` — the demo CA certificate (trusted by verification while
  ``SIGNING_TRUST_DEMO_CA`` is on, which it never is in production);
* ``demo-ca.p12`` — the CA key and certificate, protected by ``SIGNING_PKCS12_PASSWORD``;
* ``signers/<signer id>.p12`` — one key and certificate per demo signer: each unit leader
  (id = user name) and each of their agencies (id = the agency's electronic identifier),
  plus ``demo`` for trying things out.

Idempotent: existing files are kept. These files are secrets of a demo; never commit them
(they live under ``DATA_DIR``, which git ignores).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from motcua.documents.signers import check_signer_id, signers_dir

CA_NAME = "Một Cửa Demo CA (không dùng cho văn bản thật)"
CA_CERT_FILE = "demo-ca.pem"
CA_KEY_FILE = "demo-ca.p12"


@dataclass(frozen=True)
class Subject:
    """Who a certificate names: CN, title and organisation."""

    signer_id: str
    name: str
    title: str = ""
    agency: str = ""


@dataclass
class PkiSummary:
    ca_created: bool = False
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def pki_dir() -> Path:
    return Path(settings.SIGNING_PKI_DIR)


def _name(subject: Subject) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if subject.agency:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, subject.agency[:64]))
    if subject.title:
        attrs.append(x509.NameAttribute(NameOID.TITLE, subject.title[:64]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, subject.name[:64]))
    return x509.Name(attrs)


def _key_usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not ca,  # non-repudiation: required on signing certificates
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def issue_certificate(
    subject: Subject,
    *,
    issuer: tuple | None = None,
    ca: bool = False,
    now: dt.datetime,
    years: int = 3,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A new RSA-2048 key and its certificate, signed by ``issuer`` (key, cert) or self."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(subject)
    issuer_key, issuer_cert = issuer if issuer else (key, None)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_cert.subject if issuer_cert else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(_key_usage(ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    return key, builder.sign(issuer_key, hashes.SHA256())


def pkcs12_bytes(key, cert, *, password: str, chain=(), friendly_name: str = "") -> bytes:
    return pkcs12.serialize_key_and_certificates(
        (friendly_name or "motcua").encode(),
        key,
        cert,
        list(chain) or None,
        serialization.BestAvailableEncryption(password.encode()),
    )


def _write_private(path: Path, data: bytes) -> None:
    """Write a secret file readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def ensure_ca(*, now: dt.datetime, password: str) -> tuple[tuple, bool]:
    """The demo CA (key, certificate), created on first use; ``(ca, created)``."""
    folder = pki_dir()
    key_path = folder / CA_KEY_FILE
    if key_path.is_file():
        key, cert, _chain = pkcs12.load_key_and_certificates(
            key_path.read_bytes(), password.encode()
        )
        return (key, cert), False
    key, cert = issue_certificate(
        Subject("ca", CA_NAME, agency="Một Cửa"), ca=True, now=now, years=10
    )
    _write_private(key_path, pkcs12_bytes(key, cert, password=password, friendly_name="demo-ca"))
    (folder / CA_CERT_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return (key, cert), True


def demo_subjects() -> list[Subject]:
    """The demo signers: each unit leader, each of their agencies, and ``demo``."""
    from motcua.org.models import Role, RoleAssignment

    subjects: dict[str, Subject] = {"demo": Subject("demo", "Người ký thử nghiệm", "", "Một Cửa")}
    rows = RoleAssignment.objects.filter(role=Role.UNIT_LEADER).select_related(
        "user", "agency", "unit"
    )
    for row in rows.order_by("pk"):
        agency = row.agency
        title = row.unit.name if row.unit_id else "Lãnh đạo"
        subjects.setdefault(
            row.user.username,
            Subject(row.user.username, row.user.display_name(), title, agency.name),
        )
        subjects.setdefault(
            agency.identifier, Subject(agency.identifier, agency.name, "", agency.name)
        )
    return list(subjects.values())


def create_demo_pki(*, now: dt.datetime, subjects: list[Subject] | None = None) -> PkiSummary:
    """Create what is missing of the demo CA and signers (see the module docstring)."""
    password = settings.SIGNING_PKCS12_PASSWORD
    (ca_key, ca_cert), ca_created = ensure_ca(now=now, password=password)
    summary = PkiSummary(ca_created=ca_created)
    for subject in subjects if subjects is not None else demo_subjects():
        path = signers_dir() / f"{check_signer_id(subject.signer_id)}.p12"
        if path.is_file():
            summary.kept.append(subject.signer_id)
            continue
        key, cert = issue_certificate(subject, issuer=(ca_key, ca_cert), now=now)
        data = pkcs12_bytes(
            key, cert, password=password, chain=[ca_cert], friendly_name=subject.signer_id
        )
        _write_private(path, data)
        summary.created.append(subject.signer_id)
    return summary


def demo_ca_certificate_path() -> Path:
    return pki_dir() / CA_CERT_FILE
