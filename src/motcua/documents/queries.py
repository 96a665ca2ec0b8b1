"""Reads for the public verification page (no personal data leaves here)."""

from __future__ import annotations

from motcua.documents.models import IssuedDocument


def issued_document(code: str) -> IssuedDocument | None:
    """The registry record of result ``code``, if any."""
    return IssuedDocument.objects.filter(code=code).first()


def signed_results(dossier) -> list[IssuedDocument]:
    """The signed results issued for ``dossier`` that have a stored file, oldest first (for
    the back-office dossier page; the caller has checked that the user may see it)."""
    return list(
        IssuedDocument.objects.filter(dossier=dossier, stored_file__isnull=False).order_by(
            "issued_at", "pk"
        )
    )
