"""One-time codes (mã xác nhận): issued, sent through the outbox, checked, throttled.

A code is 6 random digits; only its HMAC-SHA256 (keyed with ``SECRET_KEY``) is stored. It is
valid for ``ACCOUNT_CODE_TTL_MINUTES``, allows ``ACCOUNT_CODE_MAX_ATTEMPTS`` wrong tries, and
a new code for the same address and purpose replaces the old one. Sending is throttled per
address (``ACCOUNT_CODE_RESEND_SECONDS`` between two codes, ``ACCOUNT_CODE_MAX_PER_HOUR``) and
per client address (``ACCOUNT_CODE_IP_LIMIT`` an hour). Every function takes ``now``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import math
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.accounts import messaging
from motcua.accounts.errors import AccountError
from motcua.accounts.models import CodePurpose, OneTimeCode
from motcua.core import ratelimit

HOUR = dt.timedelta(hours=1)


def _hash(code: str) -> str:
    return salted_hmac("motcua.accounts.one-time-code", code, algorithm="sha256").hexdigest()


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def check_throttle(recipient: str, *, now: dt.datetime) -> None:
    """Raise ``AccountError`` when another code may not be sent to ``recipient`` yet."""
    recent = list(
        OneTimeCode.objects.filter(recipient=recipient, created_at__gt=now - HOUR)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    if recent:
        wait = settings.ACCOUNT_CODE_RESEND_SECONDS - (now - recent[0]).total_seconds()
        if wait > 0:
            seconds = math.ceil(wait)
            raise AccountError(
                ngettext(
                    "Mã vừa được gửi. Vui lòng chờ %(seconds)s giây rồi yêu cầu mã mới.",
                    "Mã vừa được gửi. Vui lòng chờ %(seconds)s giây rồi yêu cầu mã mới.",
                    seconds,
                )
                % {"seconds": seconds},
                code="resend_wait",
            )
    if len(recent) >= settings.ACCOUNT_CODE_MAX_PER_HOUR:
        again = recent[settings.ACCOUNT_CODE_MAX_PER_HOUR - 1] + HOUR
        limit = settings.ACCOUNT_CODE_MAX_PER_HOUR
        raise AccountError(
            ngettext(
                "Đã gửi %(n)s mã tới địa chỉ này trong một giờ. Vui lòng thử lại sau %(time)s.",
                "Đã gửi %(n)s mã tới địa chỉ này trong một giờ. Vui lòng thử lại sau %(time)s.",
                limit,
            )
            % {"n": limit, "time": _local(again)},
            code="resend_hourly",
        )


def _check_client(ip: str) -> None:
    if not ratelimit.hit(f"account-code:{ip}", limit=settings.ACCOUNT_CODE_IP_LIMIT, window=3600):
        raise AccountError(
            _("Máy của bạn đã yêu cầu quá nhiều mã xác nhận trong một giờ. Vui lòng thử lại sau."),
            code="resend_client",
        )


@transaction.atomic
def issue(
    purpose: str, medium: str, recipient: str, *, user=None, ip: str, now: dt.datetime
) -> OneTimeCode:
    """Create a code for ``recipient`` and write its message to the outbox.

    Earlier live codes for the same address and purpose stop working."""
    check_throttle(recipient, now=now)
    _check_client(ip)
    try:
        messaging.channel_for(medium)
    except messaging.NoChannel as exc:
        raise AccountError(
            _(
                "Hệ thống chưa bật kênh gửi tin này. Hãy dùng cách liên lạc khác hoặc liên hệ "
                "bộ phận một cửa."
            ),
            code="no_channel",
        ) from exc
    for old in OneTimeCode.objects.filter(recipient=recipient, purpose=purpose, used_at=None):
        old.used_at = now
        old.save(update_fields=["used_at"])
        messaging.redact(old.message_id)
    code = f"{secrets.randbelow(10**6):06d}"
    row = OneTimeCode.objects.create(
        purpose=purpose,
        medium=medium,
        recipient=recipient,
        user=user,
        code_hash=_hash(code),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.ACCOUNT_CODE_TTL_MINUTES),
    )
    label = str(CodePurpose(purpose).label)
    message = messaging.send_code(medium, recipient, code, label, now=now)
    OneTimeCode.objects.filter(pk=row.pk).update(message_id=message.pk)
    row.message_id = message.pk
    return row


def live(code_id: int | None, *, now: dt.datetime) -> OneTimeCode | None:
    """The code if it can still be tried (not used, not expired, tries left)."""
    row = OneTimeCode.objects.filter(pk=code_id).first() if code_id else None
    if row is None or row.used_at or row.expires_at <= now:
        return None
    return row if row.attempts < settings.ACCOUNT_CODE_MAX_ATTEMPTS else None


def verify(code_id: int | None, typed: str, *, now: dt.datetime) -> OneTimeCode:
    """Check ``typed`` against the code; raise ``AccountError`` with what to do otherwise.

    A wrong try is counted (committed) before the error is raised."""
    with transaction.atomic():
        row, error = _check(code_id, typed, now)
    if error is not None:
        raise error
    return row


def _check(code_id: int | None, typed: str, now: dt.datetime):
    row = OneTimeCode.objects.select_for_update().filter(pk=code_id).first() if code_id else None
    limit = settings.ACCOUNT_CODE_MAX_ATTEMPTS
    if row is None or row.used_at:
        message = _("Mã này không còn dùng được (đã dùng hoặc đã có mã mới). Bấm “Gửi lại mã”.")
        return row, AccountError(message, code="code_used", field="code")
    if row.expires_at <= now:
        ttl = settings.ACCOUNT_CODE_TTL_MINUTES
        message = ngettext(
            "Mã đã hết hạn (mã chỉ có hiệu lực %(minutes)s phút). Bấm “Gửi lại mã” để nhận mã mới.",
            "Mã đã hết hạn (mã chỉ có hiệu lực %(minutes)s phút). Bấm “Gửi lại mã” để nhận mã mới.",
            ttl,
        ) % {"minutes": ttl}
        return row, AccountError(message, code="code_expired", field="code")
    if row.attempts >= limit:
        return row, AccountError(_too_many(limit), code="code_locked", field="code")
    if not hmac.compare_digest(row.code_hash, _hash((typed or "").strip())):
        OneTimeCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        left = limit - row.attempts - 1
        if left <= 0:
            return row, AccountError(_too_many(limit), code="code_locked", field="code")
        message = ngettext(
            "Mã không đúng. Bạn còn %(n)s lần thử.", "Mã không đúng. Bạn còn %(n)s lần thử.", left
        ) % {"n": left}
        return row, AccountError(message, code="code_wrong", field="code")
    row.used_at = now
    row.save(update_fields=["used_at"])
    messaging.redact(row.message_id)
    return row, None


def _too_many(limit: int) -> str:
    return ngettext(
        "Bạn đã nhập sai %(n)s lần nên mã này đã bị hủy. Bấm “Gửi lại mã” để nhận mã mới.",
        "Bạn đã nhập sai %(n)s lần nên mã này đã bị hủy. Bấm “Gửi lại mã” để nhận mã mới.",
        limit,
    ) % {"n": limit}
