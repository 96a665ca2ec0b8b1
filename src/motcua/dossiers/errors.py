"""Errors of dossier actions: each has a machine code and a Vietnamese message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DossierError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class Conflict(DossierError):
    """Someone else changed the dossier first: reload and try again."""

    code = "conflict"
    status = 409


class NotAllowed(DossierError):
    """The action is not allowed in the dossier's state or at this moment."""

    code = "not_allowed"
    status = 409


class Forbidden(DossierError):
    code = "forbidden"
    status = 403


class InvalidInput(DossierError):
    code = "invalid"
    status = 400


class NotFound(DossierError):
    code = "not_found"
    status = 404

    def __init__(self, message: str | None = None, **kwargs) -> None:
        message = message or str(_("Không tìm thấy hồ sơ (hoặc hồ sơ ngoài phạm vi của bạn)."))
        super().__init__(message, **kwargs)
