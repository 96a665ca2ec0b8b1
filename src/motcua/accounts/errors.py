"""The error the account services raise: a message for people, and the form field it is about."""

from __future__ import annotations


class AccountError(Exception):
    """A refusal that speaks to the citizen (ARCHITECTURE rule 9).

    ``field`` names the form field the message belongs next to (``None``: the whole form);
    ``code`` is a stable machine name for tests and logs."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class LoginThrottled(AccountError):
    """Too many failed sign-ins from one client address (HTTP 429)."""
