"""System checks for documents: signer backend, encryption keys, trust roots, fonts."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks

from motcua.documents import crypto, render
from motcua.documents.signing import registry


def check_documents(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if settings.PDF_SIGNER_BACKEND not in registry:
        known = ", ".join(b.id for b in registry)
        errors.append(
            checks.Error(
                f"PDF_SIGNER_BACKEND names an unknown signer backend "
                f"{settings.PDF_SIGNER_BACKEND!r}.",
                hint=f"Known backends: {known}.",
                id="documents.E001",
            )
        )
    else:
        for problem in registry[settings.PDF_SIGNER_BACKEND].problems():
            errors.append(checks.Error(problem, id="documents.E002"))
    try:
        crypto.parse_keys(settings.FILE_ENCRYPTION_KEYS)
    except ValueError as exc:
        errors.append(checks.Error(str(exc), id="documents.E003"))
    for name in settings.SIGNING_TRUST_ROOTS:
        if not Path(name).is_file():
            errors.append(
                checks.Error(f"SIGNING_TRUST_ROOTS: no file {name}.", id="documents.E004")
            )
    for name in [f for f, _weight, _style in render.FONT_FACES] + ["NotoSerif-Stamp.ttf"]:
        if not render.font_path(name).is_file():
            errors.append(checks.Error(f"bundled font {name} is missing.", id="documents.E005"))
    return errors
