"""Commands on documents: register an issued, signed result (sổ kết quả đã cấp)."""

from __future__ import annotations

import datetime as dt
import io

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.documents import storage
from motcua.documents.models import IssuedDocument
from motcua.documents.signing import SignerInfo


class RegistrationError(ValueError):
    """The document cannot be registered; ``message`` says why in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def result_code(dossier_code: str, n: int) -> str:
    """The code of the ``n``-th result of a dossier: ``<dossier code>-KQ<n>``."""
    return f"{dossier_code}-KQ{n}"


def last_signer(pdf_bytes: bytes) -> SignerInfo:
    """Who made the last signature of ``pdf_bytes`` (read, not validated)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(io.BytesIO(pdf_bytes), strict=False).embedded_signatures
        cert = signatures[-1].signer_cert if signatures else None
    except Exception as exc:  # not a PDF pyHanko can read
        raise RegistrationError("Tệp kết quả không phải PDF hợp lệ.") from exc
    if cert is None:
        raise RegistrationError("Văn bản kết quả chưa được ký số.")
    return SignerInfo.from_certificate(cert)


def register_issued(
    pdf_bytes: bytes,
    *,
    code: str,
    title: str,
    procedure_code: str = "",
    dossier=None,
    signer_name: str | None = None,
    owner_identifier: str | None = None,
    issued_at: dt.datetime | None = None,
    store: bool = True,
) -> IssuedDocument:
    """Record a signed result so that anyone can verify it later on ``/xac-thuc/``.

    Stores the PDF (``store``) linked to the dossier, so that only staff who may see the
    dossier can download it. Raises :class:`RegistrationError` when the file is not signed
    or the code is taken.
    """
    name = signer_name or last_signer(pdf_bytes).name
    try:
        with transaction.atomic():
            stored = None
            if store:
                stored = storage.store_bytes(
                    pdf_bytes,
                    original_name=f"{code}.pdf",
                    content_type="application/pdf",
                    dossier=dossier,
                    owner_identifier=owner_identifier,
                    now=issued_at,
                )
            return IssuedDocument.objects.create(
                code=code,
                dossier=dossier,
                procedure_code=procedure_code,
                title=title,
                issued_at=issued_at or timezone.now(),
                sha256=storage.sha256_hex(pdf_bytes),
                stored_file=stored,
                signer_name=name,
            )
    except IntegrityError as exc:
        raise RegistrationError(f"Mã kết quả {code} đã được cấp cho văn bản khác.") from exc
