"""Reads for the public verification page (no personal data leaves here)."""

from __future__ import annotations

from motcua.documents.models import IssuedDocument


def issued_document(code: str) -> IssuedDocument | None:
    """The registry record of result ``code``, if any."""
    return IssuedDocument.objects.filter(code=code).first()
