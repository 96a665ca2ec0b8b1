"""A local identity provider for the demo and development (never in production).

Its "provider page" is a form on the portal itself where anyone types an ID number and a
name; the answer comes back to the callback signed with the site's key, carrying the nonce.
``motcua check`` refuses it when ``MOTCUA_ENV=production``.
"""

from __future__ import annotations

import datetime as dt
import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.identity.base import (
    Identity,
    IdentityError,
    IdentityProvider,
    PendingFlow,
    registry,
)

SALT = "motcua.accounts.identity.demo"
MAX_AGE_SECONDS = 300


class DemoProvider(IdentityProvider):
    id = "demo"
    label = gettext_lazy("Định danh thử nghiệm (demo)")

    def authorization_url(self, request, state: str, nonce: str) -> str:
        query = urlencode({"state": state, "nonce": nonce})
        return f"{reverse('portal:account_demo_identity')}?{query}"

    def answer(self, identity: Identity, *, state: str, nonce: str) -> str:
        """The callback URL the demo page sends the browser to."""
        payload = {
            "sub": identity.subject,
            "id_number": identity.id_number,
            "name": identity.full_name,
            "birthdate": identity.birth_date.isoformat() if identity.birth_date else "",
            "nonce": nonce,
        }
        code = signing.dumps(payload, salt=SALT, compress=True)
        query = urlencode({"code": code, "state": state})
        return f"{reverse('portal:account_oidc_callback')}?{query}"

    def complete(self, request, flow: PendingFlow) -> Identity:
        try:
            data = signing.loads(request.GET.get("code", ""), salt=SALT, max_age=MAX_AGE_SECONDS)
        except signing.BadSignature as exc:
            raise IdentityError(
                _("Kết quả định danh thử nghiệm không hợp lệ hoặc đã quá 5 phút. Thử lại."),
                code="signature",
            ) from exc
        if not hmac.compare_digest(str(data.get("nonce", "")), flow.nonce):
            raise IdentityError(_("Phiên đăng nhập không khớp (nonce). Thử lại."), code="nonce")
        birth = data.get("birthdate") or ""
        return Identity(
            subject=str(data["sub"]),
            id_number=str(data["id_number"]),
            full_name=str(data.get("name", "")),
            birth_date=dt.date.fromisoformat(birth) if birth else None,
        )

    def configuration_errors(self) -> list[str]:
        if settings.PRODUCTION:
            return ["The demo identity provider must not be switched on in production."]
        return []


registry.register(DemoProvider)
