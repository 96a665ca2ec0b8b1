"""QR codes for the kiosk: a phone scans one to open the public page of a procedure."""

from __future__ import annotations

import segno
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe


def public_procedure_url(request: HttpRequest, code: str) -> str:
    """Absolute address of the public procedure page, built from the request (host, scheme)."""
    return request.build_absolute_uri(reverse("portal:procedure", args=[code]))


def qr_svg(data: str, *, title: str) -> SafeString:
    """An inline SVG QR code (error correction M) encoding ``data``, generated server-side."""
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(
        scale=6, border=2, title=title, svgclass="qr", dark="#000", light="#fff", omitsize=True
    )
    # segno writes the markup itself and escapes the title; nothing user-typed reaches it raw.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308
