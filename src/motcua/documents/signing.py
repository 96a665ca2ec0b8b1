"""Digital signatures (chữ ký số) on PDFs with pyHanko (PAdES baseline B-B; B-T with a TSA).

Where the private keys live is a plugin (ARCHITECTURE rule 6): a :class:`SignerBackend`
subclass, registered by id in :data:`registry` and chosen with ``PDF_SIGNER_BACKEND``. Two ship:
``pkcs12`` (key files, for development and the demo: ``motcua demo-ca`` writes them) and
``pkcs11`` (a USB token or an HSM, for production); see :mod:`motcua.documents.signers`.

:func:`sign_pdf` adds one signature. A visible signature draws a stamp with the signer's
name, title and agency (read from the certificate) and the signing time, in the bundled
Vietnamese font; an invisible one only adds the signature field.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.utils import timezone

from motcua.documents import dates, render

MM = 72 / 25.4
#: Size of the visible stamp, in points (60 × 20 mm, the ``.esign`` box of the templates).
STAMP_WIDTH, STAMP_HEIGHT = 60 * MM, 20 * MM
STAMP_MARGIN = 10 * MM
FIELD_PREFIX = "ChuKySo"
#: The element id (a PDF named destination) where templates want the visible stamp.
ANCHOR = "chu-ky-so"


class SigningError(Exception):
    """Signing failed; ``message`` says why in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SignerNotFound(SigningError):
    """No key or certificate for this signer id."""


class SigningConfigError(SigningError):
    """The signer backend is not configured correctly (module, token, PIN, password…)."""


@dataclass(frozen=True)
class SignerInfo:
    """Who signs, as the certificate says: common name, title and organisation."""

    name: str
    title: str
    agency: str

    @classmethod
    def from_certificate(cls, cert) -> SignerInfo:
        """From an ``asn1crypto`` certificate (CN, title, O of the subject)."""
        native = cert.subject.native
        return cls(
            name=str(native.get("common_name", "")),
            title=str(native.get("title", "")),
            agency=str(native.get("organization_name", "")),
        )


class SignerBackend(ABC):
    """Where keys live. Subclasses declare ``id`` and ``label`` and give pyHanko signers."""

    id: ClassVar[str]
    label: ClassVar[str]

    @abstractmethod
    def signer_ids(self) -> list[str]:
        """The signer ids this backend knows (empty when any id maps to one key)."""

    @abstractmethod
    def open(self, signer_id: str) -> AbstractContextManager:
        """A context manager yielding a ``pyhanko.sign.signers.Signer`` for ``signer_id``;
        raises :class:`SignerNotFound` or :class:`SigningConfigError`."""

    def problems(self) -> list[str]:
        """Configuration problems, for the system checks (none by default)."""
        return []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


class Registry:
    """Signer backends by id; :meth:`active` is the one ``PDF_SIGNER_BACKEND`` names."""

    def __init__(self) -> None:
        self._backends: dict[str, SignerBackend] = {}

    def register(self, cls: type[SignerBackend]) -> type[SignerBackend]:
        """Class decorator: register one instance of ``cls`` under ``cls.id``."""
        if cls.id in self._backends:
            raise ValueError(f"a signer backend with id {cls.id!r} is already registered")
        self._backends[cls.id] = cls()
        return cls

    def __contains__(self, backend_id: str) -> bool:
        return backend_id in self._backends

    def __getitem__(self, backend_id: str) -> SignerBackend:
        return self._backends[backend_id]

    def __iter__(self) -> Iterator[SignerBackend]:
        return iter(self._backends.values())

    def active(self) -> SignerBackend:
        backend_id = settings.PDF_SIGNER_BACKEND
        if backend_id not in self._backends:
            known = ", ".join(self._backends)
            raise SigningConfigError(
                f"PDF_SIGNER_BACKEND={backend_id!r} không tồn tại (có: {known})."
            )
        return self._backends[backend_id]


#: The registry the application uses; :mod:`motcua.documents.signers` fills it.
registry = Registry()


def stamp_text(info: SignerInfo, at: dt.datetime) -> str:
    """The text of the visible stamp (Vietnamese), one fact a line."""
    lines = [f"Người ký: {info.name}"]
    if info.title:
        lines.append(f"Chức vụ: {info.title}")
    if info.agency:
        lines.append(f"Cơ quan: {info.agency}")
    lines.append(f"Thời gian ký: {dates.vn_short(at)}")
    return "\n".join(lines)


STAMP_FONT = "NotoSerif-Stamp.ttf"


@functools.cache
def _stamp_font_characters() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(render.font_path(STAMP_FONT)) as font:
        return frozenset(font.getBestCmap())


def stamp_font(text: str) -> str:
    """The small stamp face when it has every character of ``text``, else the full face."""
    known = _stamp_font_characters()
    if all(ord(ch) in known for ch in text if ch != "\n"):
        return str(render.font_path(STAMP_FONT))
    return str(render.font_path())


def _stamp_style(text: str):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    text = unicodedata.normalize("NFC", text)
    font = GlyphAccumulatorFactory(stamp_font(text), font_size=7)
    return TextStampStyle(
        stamp_text=text.replace("%", "%%"),  # pyHanko interpolates %(name)s parameters
        text_box_style=TextBoxStyle(font=font, font_size=7, leading=9),
        border_width=1,
        border_color=(0.65, 0.05, 0.05),
    )


def _field_name(reader) -> str:
    from pyhanko.sign.fields import enumerate_sig_fields

    taken = {name for name, _value, _ref in enumerate_sig_fields(reader)}
    n = 1
    while f"{FIELD_PREFIX}{n}" in taken:
        n += 1
    return f"{FIELD_PREFIX}{n}"


def default_box(reader, page: int) -> tuple[float, float, float, float]:
    """Bottom-right corner of page index ``page``, inside the margin (PDF points)."""
    node = reader.find_page_for_modification(page)[0].get_object()
    while "/MediaBox" not in node and "/Parent" in node:  # inherited from the page tree
        node = node["/Parent"]
    box = [float(v) for v in node["/MediaBox"]]
    right, bottom = box[2] - STAMP_MARGIN, box[1] + STAMP_MARGIN
    return (right - STAMP_WIDTH, bottom, right, bottom + STAMP_HEIGHT)


def _timestamper():
    if not settings.SIGNING_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.SIGNING_TSA_URL)


@dataclass(frozen=True)
class Placement:
    """Where a visible stamp goes: an explicit ``box`` (points) on ``page`` (negative from
    the end), else the template's anchor (``id="chu-ky-so"``), else the bottom-right corner
    of the last page."""

    page: int = -1
    box: tuple[float, float, float, float] | None = None
    anchor: str = ANCHOR


def anchor_box(pdf_bytes: bytes, anchor: str) -> tuple[int, tuple[float, ...]] | None:
    """Page index and stamp box at the named destination ``anchor`` (WeasyPrint writes one
    for each element id), or ``None`` when the document has no such anchor."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(pdf_bytes), strict=False)
        dest = reader.named_destinations.get(anchor)
        if dest is None or dest.left is None or dest.top is None:
            return None
        page = reader.get_destination_page_number(dest)
    except Exception:  # a damaged name tree: fall back to the default place
        return None
    left, top = float(dest.left), float(dest.top)
    return page, (left, top - STAMP_HEIGHT, left + STAMP_WIDTH, top)


def _place(pdf_bytes: bytes, reader, placement: Placement) -> tuple[int, tuple]:
    pages = int(reader.root["/Pages"]["/Count"])
    page = placement.page if placement.page >= 0 else pages + placement.page
    if placement.box:
        return page, placement.box
    found = anchor_box(pdf_bytes, placement.anchor) if placement.anchor else None
    return found or (page, default_box(reader, page))


def sign_pdf(
    pdf_bytes: bytes,
    signer_id: str,
    *,
    visible: bool = True,
    reason: str = "",
    location: str = "",
    placement: Placement | None = None,
    at: dt.datetime | None = None,
    backend: SignerBackend | None = None,
) -> bytes:
    """Sign ``pdf_bytes`` as ``signer_id`` and return the signed PDF (incremental update).

    ``at`` is the time shown on the stamp (the signature itself records the signing
    system's clock). Raises :class:`SigningError` subclasses with Vietnamese messages.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    backend = backend or registry.active()
    placement = placement or Placement()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except Exception as exc:  # any parser failure: the input is not a usable PDF
        raise SigningError("Tệp cần ký không phải PDF hợp lệ.") from exc
    name = _field_name(writer.prev)
    page, box = _place(pdf_bytes, writer.prev, placement) if visible else (0, None)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=reason or None,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    with backend.open(signer_id) as signer:
        info = SignerInfo.from_certificate(signer.signing_cert)
        style = _stamp_style(stamp_text(info, at or timezone.now())) if visible else None
        pdf_signer = signers.PdfSigner(
            meta,
            signer,
            timestamper=_timestamper(),
            stamp_style=style,
            new_field_spec=fields.SigFieldSpec(name, on_page=int(page), box=box),
        )
        return pdf_signer.sign_pdf(writer).getvalue()
