"""API authentication: a bearer token (machine clients) or the browser session."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from motcua.accounts.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class StaffSession(SessionAuth):
    """The logged-in user of the site (CSRF-checked for unsafe methods)."""


auth = [TokenAuth(), StaffSession()]
