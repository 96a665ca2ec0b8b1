"""Upload validation (kiểm tra tệp tải lên), in one place for the portal and the back office.

A file is accepted when its *content* is a PDF, JPEG or PNG (the name's extension must agree),
it is within the size limits per file and per dossier, a PDF has at most
``UPLOAD_MAX_PDF_PAGES`` pages, is not encrypted and carries no JavaScript, launch action or
embedded file, and an image decodes completely. Each refusal is an :class:`UploadRejected`
(a Django ``ValidationError``) with a machine ``code`` and a Vietnamese message saying what to
do, so forms show it as is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext

MB = 1024 * 1024
#: Largest image accepted, in pixels (a 48-megapixel phone photo passes).
MAX_IMAGE_PIXELS = 60_000_000
#: Most PDF objects inspected before a file is refused as too complex.
MAX_PDF_OBJECTS = 200_000


@dataclass(frozen=True)
class Kind:
    id: str
    content_type: str
    label: str
    extensions: tuple[str, ...]
    magic: bytes


KINDS = {
    k.id: k
    for k in (
        Kind("pdf", "application/pdf", "PDF", (".pdf",), b"%PDF-"),
        Kind("jpeg", "image/jpeg", "JPEG", (".jpg", ".jpeg", ".jpe"), b"\xff\xd8\xff"),
        Kind("png", "image/png", "PNG", (".png",), b"\x89PNG\r\n\x1a\n"),
    )
}


class UploadRejected(ValidationError):
    """A refused upload: ``code`` for machines, ``message`` (Vietnamese) for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code=code)


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    kind: str
    content_type: str
    size: int
    pages: int | None


def sniff(data: bytes) -> str | None:
    """The kind id (``pdf``, ``jpeg``, ``png``) from the magic number, else ``None``."""
    for kind in KINDS.values():
        if data.startswith(kind.magic):
            return kind.id
    return None


def _setting(name: str) -> int:
    return int(getattr(settings, name))


def _read(upload, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``upload`` (bytes, Django ``UploadedFile`` or file)."""
    if isinstance(upload, bytes | bytearray | memoryview):
        return bytes(upload)
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        return b"\0" * (limit + 1)  # too large: do not read it at all
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(limit + 1)


def _too_large(limit_mb: int) -> UploadRejected:
    return UploadRejected(
        "too_large",
        _(
            "Tệp vượt quá dung lượng cho phép (tối đa %(mb)s MB). Hãy quét lại với độ phân giải "
            "thấp hơn hoặc chia thành nhiều tệp."
        )
        % {"mb": limit_mb},
    )


def validate_upload(
    upload, *, name: str = "", dossier_total: int = 0, allowed: tuple[str, ...] = tuple(KINDS)
) -> CheckedUpload:
    """Check one upload; ``dossier_total`` is the size already stored for its dossier.

    Returns the bytes with their kind, content type and page count (PDF), or raises
    :class:`UploadRejected`.
    """
    file_mb = _setting("UPLOAD_MAX_FILE_MB")
    data = _read(upload, file_mb * MB)
    if not data:
        raise UploadRejected("empty", _("Tệp rỗng (0 byte). Hãy chọn lại tệp."))
    if len(data) > file_mb * MB:
        raise _too_large(file_mb)
    dossier_mb = _setting("UPLOAD_MAX_DOSSIER_MB")
    if dossier_total + len(data) > dossier_mb * MB:
        raise UploadRejected(
            "dossier_too_large",
            _(
                "Tổng dung lượng tệp của hồ sơ vượt quá %(mb)s MB. Hãy giảm dung lượng các tệp "
                "đã quét."
            )
            % {"mb": dossier_mb},
        )
    kind = _kind_of(data, name, allowed)
    pages = _check_pdf(data) if kind.id == "pdf" else None
    if kind.id != "pdf":
        _check_image(data, kind)
    return CheckedUpload(data, kind.id, kind.content_type, len(data), pages)


def _kind_of(data: bytes, name: str, allowed: tuple[str, ...]) -> Kind:
    kinds = ", ".join(KINDS[k].label for k in allowed)
    found = sniff(data)
    if found is None or found not in allowed:
        raise UploadRejected(
            "unsupported_type",
            _(
                "Nội dung tệp không phải định dạng được chấp nhận (%(kinds)s), dù tên tệp có thể "
                "ghi như vậy. Hãy lưu hoặc quét lại thành tệp %(kinds)s."
            )
            % {"kinds": kinds},
        )
    kind = KINDS[found]
    suffix = PurePath(name).suffix.lower()
    if suffix and suffix not in kind.extensions:
        raise UploadRejected(
            "extension_mismatch",
            _(
                "Tên tệp có đuôi “%(suffix)s” nhưng nội dung là %(kind)s. Hãy đổi tên tệp cho "
                "đúng hoặc chọn đúng tệp."
            )
            % {"suffix": suffix, "kind": kind.label},
        )
    return kind


_PDF_MESSAGES = {
    "pdf_malformed": N_("Tệp PDF bị hỏng hoặc không đọc được. Hãy xuất hoặc quét lại tệp."),
    "pdf_encrypted": N_("Tệp PDF có đặt mật khẩu hoặc mã hóa. Hãy bỏ bảo vệ rồi tải lên lại."),
    "pdf_javascript": N_(
        "Tệp PDF chứa mã lệnh (JavaScript hoặc biểu mẫu động) nên không được chấp nhận. "
        "Hãy in ra PDF (Print to PDF) hoặc quét lại rồi tải lên."
    ),
    "pdf_launch": N_(
        "Tệp PDF chứa lệnh mở chương trình khác nên không được chấp nhận. "
        "Hãy in ra PDF (Print to PDF) hoặc quét lại rồi tải lên."
    ),
    "pdf_embedded_file": N_(
        "Tệp PDF có đính kèm tệp khác bên trong nên không được chấp nhận. "
        "Hãy tải từng giấy tờ lên thành tệp riêng."
    ),
    "pdf_too_complex": N_("Tệp PDF quá phức tạp để kiểm tra. Hãy in ra PDF hoặc quét lại."),
}


def _pdf_rejected(code: str) -> UploadRejected:
    return UploadRejected(code, _(_PDF_MESSAGES[code]))


def _check_pdf(data: bytes) -> int:
    """The page count of an acceptable PDF; refuse encrypted, broken or active ones."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as exc:  # untrusted input: any parser failure means a broken file
        raise _pdf_rejected("pdf_malformed") from exc
    if encrypted:
        raise _pdf_rejected("pdf_encrypted")
    if pages == 0:
        raise _pdf_rejected("pdf_malformed")
    max_pages = _setting("UPLOAD_MAX_PDF_PAGES")
    if pages > max_pages:
        raise UploadRejected(
            "pdf_too_many_pages",
            ngettext(
                "Tệp PDF có %(pages)s trang, vượt quá %(max)s trang cho phép. Hãy tách thành "
                "nhiều tệp.",
                "Tệp PDF có %(pages)s trang, vượt quá %(max)s trang cho phép. Hãy tách thành "
                "nhiều tệp.",
                max_pages,
            )
            % {"pages": pages, "max": max_pages},
        )
    try:
        problem = active_content(reader)
    except Exception as exc:  # a dangling or broken object deep inside the file
        raise _pdf_rejected("pdf_malformed") from exc
    if problem:
        raise _pdf_rejected(problem)
    return pages


def _resolved(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _dict_problem(obj) -> str | None:
    """The code of the active content a PDF dictionary declares, if any."""
    keys = set(obj.keys())
    action = _resolved(obj.get("/S"))
    if keys & {"/JS", "/JavaScript", "/XFA"} or action == "/JavaScript":
        return "pdf_javascript"
    if action == "/Launch" or "/Launch" in keys:
        return "pdf_launch"
    if keys & {"/EmbeddedFiles", "/EF", "/RichMediaContent"}:
        return "pdf_embedded_file"
    kind = _resolved(obj.get("/Type"))
    subtype = _resolved(obj.get("/Subtype"))
    if kind == "/EmbeddedFile" or subtype in ("/FileAttachment", "/RichMedia"):
        return "pdf_embedded_file"
    return None


def active_content(reader) -> str | None:
    """Walk every object reachable from the trailer (streams are not decoded) and return
    the code of the first JavaScript, launch action or embedded file found."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return "pdf_too_complex"
        if isinstance(obj, DictionaryObject):
            problem = _dict_problem(obj)
            if problem:
                return problem
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def _check_image(data: bytes, kind: Kind) -> None:
    """Decode the whole image: a truncated or forged file is refused."""
    from PIL import Image

    broken = UploadRejected(
        "image_malformed",
        _("Ảnh %(kind)s bị hỏng hoặc không đầy đủ. Hãy chụp hoặc quét lại.") % {"kind": kind.label},
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
        if width * height > MAX_IMAGE_PIXELS:
            raise UploadRejected(
                "image_too_large",
                _("Ảnh quá lớn (%(w)s × %(h)s điểm ảnh). Hãy giảm độ phân giải rồi tải lên lại.")
                % {"w": width, "h": height},
            )
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))  # JPEG: cheap decode
            image.load()
    except UploadRejected:
        raise
    except Exception as exc:  # Pillow raises many types on hostile input
        raise broken from exc
    if (image_format or "").lower() != kind.id:
        raise broken
