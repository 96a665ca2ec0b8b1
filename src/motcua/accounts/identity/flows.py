"""Sign-in flows in progress, kept in the browser's session under their one-time ``state``.

A flow is started by :func:`start` (fresh ``state`` and ``nonce``) and consumed exactly once by
:func:`take`: an unknown, replayed or stale ``state`` is refused before the provider is
asked anything (CSRF on the callback, replayed links). At most ``MAX_FLOWS`` are kept, so a
citizen can have several tabs open.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict

from django.utils.translation import gettext as _

from motcua.accounts.identity.base import IdentityError, IdentityProvider, PendingFlow

SESSION_KEY = "identity_flows"
MAX_FLOWS = 5
MAX_AGE_SECONDS = 15 * 60


def start(request, provider: IdentityProvider, next_url: str = "") -> str:
    """Remember a new flow in the session; the provider URL to send the browser to."""
    flow = PendingFlow(
        provider=provider.id,
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        started_at=time.time(),
        next_url=next_url,
    )
    url = provider.authorization_url(request, flow.state, flow.nonce)
    flows = dict(request.session.get(SESSION_KEY, {}))
    flows[flow.state] = asdict(flow)
    newest = sorted(flows.items(), key=lambda item: item[1]["started_at"])[-MAX_FLOWS:]
    request.session[SESSION_KEY] = dict(newest)
    return url


def take(request) -> PendingFlow:
    """The flow named by the callback's ``state``, removed from the session (single use)."""
    state = request.GET.get("state", "")
    flows = dict(request.session.get(SESSION_KEY, {}))
    data = flows.pop(state, None) if state else None
    request.session[SESSION_KEY] = flows
    if data is None:
        raise IdentityError(
            _(
                "Phiên đăng nhập không hợp lệ hoặc đã được dùng (state không khớp). Có thể bạn "
                "đã mở một đường dẫn cũ hoặc đường dẫn đã bị sửa. Vui lòng bắt đầu đăng nhập lại."
            ),
            code="state",
        )
    flow = PendingFlow(**data)
    if time.time() - flow.started_at > MAX_AGE_SECONDS:
        raise IdentityError(
            _("Phiên đăng nhập đã quá 15 phút. Vui lòng bắt đầu đăng nhập lại."), code="stale"
        )
    return flow
