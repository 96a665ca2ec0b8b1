"""The security log of citizen accounts: one ``LoginEvent`` row and one log line per event.

Identifiers are masked before they are stored or logged (Personal Data Protection Law 2025).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
from dataclasses import dataclass

from motcua.accounts.models import LoginEvent
from motcua.core import ratelimit

log = logging.getLogger("motcua.accounts.security")
Kind = LoginEvent.Kind
#: Events logged at WARNING (the rest at INFO).
_WARN = {Kind.LOGIN_FAILED, Kind.LOCKED, Kind.REFUSED_LOCKED, Kind.THROTTLED, Kind.CODE_FAILED}


@dataclass(frozen=True)
class Client:
    """Who is on the other end of a request: address and browser."""

    ip: str
    user_agent: str = ""

    @classmethod
    def of(cls, request) -> Client:
        return cls(ratelimit.client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:200])

    @property
    def ip_or_none(self) -> str | None:
        try:
            return str(ipaddress.ip_address(self.ip))
        except ValueError:
            return None


def record(
    kind: str,
    *,
    client: Client,
    now: dt.datetime,
    user=None,
    identifier: str = "",
    detail: str = "",
) -> LoginEvent:
    """Append one event to the security log (and to the application log)."""
    event = LoginEvent.objects.create(
        at=now,
        kind=kind,
        user=user,
        identifier=identifier[:254],
        ip_address=client.ip_or_none,
        user_agent=client.user_agent[:200],
        detail=detail[:255],
    )
    level = logging.WARNING if kind in _WARN else logging.INFO
    log.log(
        level,
        "account %s user=%s id=%s ip=%s %s",
        kind,
        getattr(user, "pk", None),
        identifier,
        client.ip,
        detail,
    )
    return event
