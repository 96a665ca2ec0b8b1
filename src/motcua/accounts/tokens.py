"""API bearer tokens: issued once, stored hashed, checked in one query."""

from __future__ import annotations

import hashlib
import secrets

from motcua.accounts.models import ApiToken


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user, name: str) -> str:
    """Create a token for ``user`` and return its clear value (shown only now)."""
    key = "mc_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=_hash(key))
    return key


def user_for_token(key: str):
    """The active user owning ``key``, or None."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked=False, user__is_active=True)
        .first()
    )
    return token.user if token else None
