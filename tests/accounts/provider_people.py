"""What the test OpenID Connect provider knows about its users (by username), VNeID-style.

Kept apart from the provider's code: importing django-oauth-toolkit needs its app installed,
which only the OIDC tests do (see test_oidc.py)."""

from __future__ import annotations

PEOPLE: dict[str, dict] = {}
