"""The QR code printed in the top-left corner of every document (Circular 01/2023).

It carries the document name, the dossier code, the procedure code, the applicant's
identifier *masked* (last digits only: it is printed on paper) and a link to the public
verification page. :func:`qr_payload` is pure, so tests pin its exact text.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

#: Digits of an identifier left visible when it is masked.
VISIBLE_DIGITS = 4


def mask_identifier(value: str | None, visible: int = VISIBLE_DIGITS) -> str:
    """``079301001234`` → ``********1234``; short values are masked entirely but the last
    digit, so that nothing printed reveals a whole identifier."""
    value = (value or "").strip()
    if not value:
        return ""
    shown = min(visible, max(len(value) - 4, 1))
    return "*" * (len(value) - shown) + value[-shown:]


def qr_payload(
    *,
    document_name: str,
    dossier_code: str,
    procedure_code: str,
    applicant_id: str | None,
    url: str,
    document_code: str | None = None,
) -> str:
    """The text of the QR code: one ``label: value`` per line, the link last.

    >>> print(qr_payload(document_name="Giấy tiếp nhận hồ sơ", dossier_code="H29-260305-0001",
    ...     procedure_code="1.001193", applicant_id="079301001234", url="https://x/xac-thuc/1/"))
    Giấy tiếp nhận hồ sơ
    Mã hồ sơ: H29-260305-0001
    Mã TTHC: 1.001193
    Người nộp: ********1234
    https://x/xac-thuc/1/
    """
    lines = [document_name.strip()]
    if document_code:
        lines.append(f"Mã văn bản: {document_code}")
    lines += [
        f"Mã hồ sơ: {dossier_code}",
        f"Mã TTHC: {procedure_code}",
        f"Người nộp: {mask_identifier(applicant_id)}",
        url,
    ]
    return "\n".join(lines)


def public_url(path: str) -> str:
    """An absolute address on the public site (``NOTIFY_SITE_URL``) for ``path``."""
    return settings.NOTIFY_SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def qr_svg(payload: str, *, title: str = "Mã QR") -> SafeString:
    """An inline vector SVG QR code (error correction M) sized by CSS."""
    code = segno.make(payload, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=2, title=title, svgclass="qr", omitsize=True)
    # segno writes the markup and escapes the title; nothing user-typed reaches it raw.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308
