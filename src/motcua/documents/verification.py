"""Verification (xác thực văn bản điện tử): is a signed PDF intact, trusted and ours?

:func:`verify_pdf` validates every signature with pyHanko against the configured trust roots
(``SIGNING_TRUST_ROOTS``, plus the demo CA while ``SIGNING_TRUST_DEMO_CA`` is on), then looks
the file up in the registry of issued results (:class:`~motcua.documents.models.IssuedDocument`)
by its SHA-256, or by the result code from the QR link. The answer speaks the active
language (Vietnamese first).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from motcua.documents import pki
from motcua.documents.models import IssuedDocument
from motcua.documents.signing import SignerInfo


class Verdict(StrEnum):
    VALID = "valid"
    MODIFIED = "modified"
    INVALID = "invalid"
    UNTRUSTED = "untrusted"
    UNSIGNED = "unsigned"
    NOT_PDF = "not_pdf"


VERDICT_MESSAGES = {
    Verdict.VALID: _(
        "Chữ ký số hợp lệ: văn bản còn nguyên vẹn từ khi ký và người ký được tin cậy."
    ),
    Verdict.MODIFIED: _("Văn bản đã bị sửa đổi sau khi ký: nội dung không còn như lúc ký."),
    Verdict.INVALID: _("Chữ ký số không hợp lệ: dữ liệu chữ ký không khớp hoặc bị hỏng."),
    Verdict.UNTRUSTED: _(
        "Chữ ký không tin cậy: chứng thư số của người ký không do tổ chức cung cấp dịch vụ "
        "chứng thực được hệ thống công nhận cấp."
    ),
    Verdict.UNSIGNED: _("Tệp không có chữ ký số."),
    Verdict.NOT_PDF: _("Tệp không phải PDF hợp lệ nên không kiểm tra được."),
}
#: Short headings for the result page ("Kết quả: …").
VERDICT_TITLES = {
    Verdict.VALID: pgettext_lazy("verification verdict", "hợp lệ"),
    Verdict.MODIFIED: pgettext_lazy("verification verdict", "đã bị sửa đổi"),
    Verdict.INVALID: pgettext_lazy("verification verdict", "chữ ký không hợp lệ"),
    Verdict.UNTRUSTED: pgettext_lazy("verification verdict", "không tin cậy"),
    Verdict.UNSIGNED: pgettext_lazy("verification verdict", "không có chữ ký số"),
    Verdict.NOT_PDF: pgettext_lazy("verification verdict", "không đọc được"),
}
#: Worst first: the document's verdict is the worst of its signatures'.
_SEVERITY = [Verdict.MODIFIED, Verdict.INVALID, Verdict.UNTRUSTED, Verdict.VALID]


class RegistryStatus(StrEnum):
    MATCH = "match"
    SIGNED_REVISION = "signed_revision"
    MISMATCH = "mismatch"
    UNKNOWN_CODE = "unknown_code"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer: SignerInfo
    issuer: str
    signed_at: dt.datetime | None
    timestamped: bool
    intact: bool
    valid: bool
    trusted: bool
    modified_after: bool
    verdict: Verdict

    @property
    def message(self) -> str:
        return str(VERDICT_MESSAGES[self.verdict])


@dataclass(frozen=True)
class RegistryCheck:
    status: RegistryStatus
    record: IssuedDocument | None = None

    @property
    def message(self) -> str:
        values = {"code": self.record.code if self.record else ""}
        if self.status == RegistryStatus.MATCH:
            return gettext("Trùng khớp với văn bản đã cấp mã %(code)s.") % values
        if self.status == RegistryStatus.SIGNED_REVISION:
            return (
                gettext(
                    "Phần đã ký trùng với văn bản đã cấp mã %(code)s, nhưng tệp đã bị thêm nội "
                    "dung sau đó."
                )
                % values
            )
        if self.status == RegistryStatus.MISMATCH:
            return (
                gettext("Không trùng khớp với văn bản đã cấp mã %(code)s: tệp này khác bản gốc.")
                % values
            )
        if self.status == RegistryStatus.UNKNOWN_CODE:
            return gettext("Mã văn bản không có trong sổ đăng ký kết quả.")
        return gettext("Không tìm thấy văn bản này trong sổ đăng ký kết quả của hệ thống.")


@dataclass(frozen=True)
class VerificationResult:
    sha256: str
    verdict: Verdict
    signatures: list[SignatureReport] = field(default_factory=list)
    registry: RegistryCheck = RegistryCheck(RegistryStatus.NOT_FOUND)

    @property
    def message(self) -> str:
        return str(VERDICT_MESSAGES[self.verdict])

    @property
    def title(self) -> str:
        return str(VERDICT_TITLES[self.verdict])

    @property
    def tone(self) -> str:
        """``good``, ``warning`` or ``bad``: how the page colours the answer (with words too)."""
        if self.verdict == Verdict.VALID:
            return "good"
        return "warning" if self.verdict in (Verdict.UNTRUSTED, Verdict.UNSIGNED) else "bad"

    @property
    def ok(self) -> bool:
        """Valid signatures and the very file the registry recorded."""
        return self.verdict == Verdict.VALID and self.registry.status == RegistryStatus.MATCH


def _load_certificates(path: Path) -> list:
    from asn1crypto import pem, x509

    data = path.read_bytes()
    if pem.detect(data):
        return [x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, True)]
    return [x509.Certificate.load(data)]


@functools.lru_cache(maxsize=8)
def _roots_cached(files: tuple[tuple[str, int], ...]) -> tuple:
    roots = []
    for name, _mtime in files:
        roots.extend(_load_certificates(Path(name)))
    return tuple(roots)


def trust_roots() -> tuple:
    """The trusted root certificates (``asn1crypto``), reloaded when a file changes."""
    paths = [Path(p) for p in settings.SIGNING_TRUST_ROOTS]
    demo = pki.demo_ca_certificate_path()
    if settings.SIGNING_TRUST_DEMO_CA and demo.is_file():
        paths.append(demo)
    files = tuple((str(p), p.stat().st_mtime_ns) for p in paths if p.is_file())
    return _roots_cached(files)


def validation_context(roots=None):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=list(trust_roots() if roots is None else roots),
        allow_fetching=settings.SIGNING_VERIFY_ONLINE,
        revocation_mode="soft-fail",
    )


def _modified_after(status) -> bool:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return False
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return True
    level = status.modification_level
    allowed = (ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
    return not (level in allowed and status.docmdp_ok)


def _verdict(intact: bool, valid: bool, trusted: bool, modified_after: bool) -> Verdict:
    if not intact or modified_after:
        return Verdict.MODIFIED
    if not valid:
        return Verdict.INVALID
    return Verdict.VALID if trusted else Verdict.UNTRUSTED


def _report(embedded, roots) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_signature

    status = validate_pdf_signature(embedded, validation_context(roots))
    modified = _modified_after(status)
    ts = status.timestamp_validity
    cert = status.signing_cert
    return SignatureReport(
        field_name=str(embedded.field_name),
        signer=SignerInfo.from_certificate(cert),
        issuer=str(cert.issuer.native.get("common_name", "")),
        signed_at=ts.timestamp if ts is not None else status.signer_reported_dt,
        timestamped=ts is not None and ts.intact and ts.valid,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        modified_after=modified,
        verdict=_verdict(status.intact, status.valid, status.trusted, modified),
    )


def _broken_report(embedded) -> SignatureReport:
    """A signature pyHanko cannot even evaluate (damaged CMS data, bad byte range…)."""
    try:
        signer = SignerInfo.from_certificate(embedded.signer_cert)
    except Exception:  # the certificate itself may be what is damaged
        signer = SignerInfo("", "", "")
    return SignatureReport(
        str(embedded.field_name),
        signer,
        "",
        None,
        False,
        False,
        False,
        False,
        False,
        Verdict.INVALID,
    )


def _signed_revisions(pdf_bytes: bytes, embedded_signatures) -> set[str]:
    """SHA-256 of each signed revision (the file up to the end of a signature's range)."""
    hashes = set()
    for embedded in embedded_signatures:
        try:
            _zero, _len1, start2, len2 = (int(v) for v in embedded.byte_range)
        except (TypeError, ValueError):
            continue
        hashes.add(hashlib.sha256(pdf_bytes[: start2 + len2]).hexdigest())
    return hashes


def _claimed_code(reader) -> str | None:
    """The result code the file names in its metadata keywords (printed by our templates)."""
    try:
        keywords = str(reader.trailer_view["/Info"].get("/Keywords", ""))
    except (KeyError, TypeError, ValueError):
        return None
    words = [w.strip() for w in keywords.replace(";", ",").split(",") if w.strip()]
    return next((w for w in words if IssuedDocument.objects.filter(code=w).exists()), None)


def check_registry(sha256: str, revisions: set[str], code: str | None) -> RegistryCheck:
    """Compare the file with the registry: by ``code`` when given, else by hash."""
    if code:
        record = IssuedDocument.objects.filter(code=code).first()
        if record is None:
            return RegistryCheck(RegistryStatus.UNKNOWN_CODE)
        if record.sha256 == sha256:
            return RegistryCheck(RegistryStatus.MATCH, record)
        if record.sha256 in revisions:
            return RegistryCheck(RegistryStatus.SIGNED_REVISION, record)
        return RegistryCheck(RegistryStatus.MISMATCH, record)
    record = IssuedDocument.objects.filter(sha256=sha256).first()
    if record is not None:
        return RegistryCheck(RegistryStatus.MATCH, record)
    record = IssuedDocument.objects.filter(sha256__in=revisions).first() if revisions else None
    if record is not None:
        return RegistryCheck(RegistryStatus.SIGNED_REVISION, record)
    return RegistryCheck(RegistryStatus.NOT_FOUND)


def verify_pdf(pdf_bytes: bytes, *, code: str | None = None, roots=None) -> VerificationResult:
    """Verify the signatures of ``pdf_bytes`` and compare it with the registry.

    ``code`` is the result code from a QR link (``/xac-thuc/<code>/``); ``roots`` overrides
    the configured trust roots (tests).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded_signatures = list(reader.embedded_regular_signatures)
    except Exception:  # untrusted input: any parser failure means "not a readable PDF"
        return VerificationResult(sha256, Verdict.NOT_PDF)
    roots = trust_roots() if roots is None else roots
    reports = []
    for embedded in embedded_signatures:
        try:
            reports.append(_report(embedded, roots))
        except Exception:  # damaged signature data: report it, never crash the page
            reports.append(_broken_report(embedded))
    revisions = _signed_revisions(pdf_bytes, embedded_signatures)
    registry = check_registry(sha256, revisions, code or _claimed_code(reader))
    if not reports:
        return VerificationResult(sha256, Verdict.UNSIGNED, [], registry)
    return VerificationResult(sha256, worst_verdict(reports), reports, registry)


def worst_verdict(reports: list[SignatureReport]) -> Verdict:
    """The document's verdict: the worst of its signatures' (modified before invalid…)."""
    found = {r.verdict for r in reports}
    return next((v for v in _SEVERITY if v in found), Verdict.VALID)
