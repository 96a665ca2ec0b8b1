"""Account messages (one-time codes, security notices) written to the notification outbox.

``motcua.notify.services`` writes messages for dossier events only, so this adapter writes an
``OutboxMessage`` row itself, the documented way (docs/notifications.md): the row is written
in the caller's transaction on a switched-on channel of the right medium, and
``services.schedule_delivery`` is enqueued on commit. Delivery, retries and dead letters are
then notify's, unchanged. The rows have no dossier and ``template_key`` ``account_code`` or
``account_notice``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.notify import services as notify_services
from motcua.notify.base import EMAIL, registry
from motcua.notify.models import OutboxMessage
from motcua.notify.rendering import strip_diacritics

CODE_KEY, NOTICE_KEY = "account_code", "account_notice"
#: What a sent code is replaced with in the outbox once it has been used.
REDACTED = "[Mã xác nhận đã dùng — đã xóa khỏi hộp thư đi]"


class NoChannel(Exception):
    """No notification channel is switched on for this medium (NOTIFY_CHANNELS)."""


def channel_for(medium: str):
    """The switched-on channel for ``email`` or ``sms`` (Zalo never carries codes)."""
    for channel in registry.enabled():
        if channel.medium == medium:
            return channel
    raise NoChannel(medium)


def _texts(purpose_label: str, code: str, minutes: int) -> tuple[str, str, str]:
    """(subject, e-mail body, short text) in the active language (the short text is plain
    ASCII, whatever the language: it must fit one SMS)."""
    values = {"code": code, "purpose": purpose_label, "minutes": minutes}
    subject = _("Mã xác nhận Một Cửa: %(code)s") % values
    body = ngettext(
        "Mã xác nhận (%(purpose)s) của bạn là %(code)s.\n"
        "Mã có hiệu lực %(minutes)s phút. Không đưa mã cho bất kỳ ai, kể cả cán bộ.\n"
        "Nếu bạn không yêu cầu mã này, hãy bỏ qua tin nhắn.",
        "Mã xác nhận (%(purpose)s) của bạn là %(code)s.\n"
        "Mã có hiệu lực %(minutes)s phút. Không đưa mã cho bất kỳ ai, kể cả cán bộ.\n"
        "Nếu bạn không yêu cầu mã này, hãy bỏ qua tin nhắn.",
        minutes,
    )
    short = ngettext(
        "Ma xac nhan Mot Cua: %(code)s (hieu luc %(minutes)s phut). Khong chia se ma nay.",
        "Ma xac nhan Mot Cua: %(code)s (hieu luc %(minutes)s phut). Khong chia se ma nay.",
        minutes,
    )
    return subject, body % values, short % values


def write(
    medium: str, recipient: str, subject: str, body: str, *, key: str, now: dt.datetime
) -> OutboxMessage:
    """Write one message to the outbox and schedule its delivery after commit."""
    channel = channel_for(medium)
    if channel.medium != EMAIL:
        subject = ""
        if settings.NOTIFY_SMS_ASCII:
            body = strip_diacritics(body)
    message = OutboxMessage.objects.create(
        channel=channel.id,
        recipient=recipient,
        subject=subject[:255],
        body=body,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        template_key=key,
        next_attempt_at=now,
        created_at=now,
    )
    transaction.on_commit(notify_services.schedule_delivery, robust=True)
    return message


def send_code(
    medium: str, recipient: str, code: str, purpose_label: str, *, now: dt.datetime
) -> OutboxMessage:
    """The message carrying a one-time code (e-mail: subject + body; SMS: a short text)."""
    minutes = settings.ACCOUNT_CODE_TTL_MINUTES
    subject, body, short = _texts(purpose_label, code, minutes)
    text = body if medium == EMAIL else short
    return write(medium, recipient, subject, text, key=CODE_KEY, now=now)


def send_notice(medium: str, recipient: str, subject: str, body: str, *, now: dt.datetime):
    """A security notice (e.g. "your phone number was changed") to an old address."""
    return write(medium, recipient, subject, body, key=NOTICE_KEY, now=now)


def redact(message_id: int | None) -> None:
    """Blank a code out of the outbox once it is used or replaced (if already sent)."""
    if message_id:
        OutboxMessage.objects.filter(
            pk=message_id, status__in=(OutboxMessage.Status.SENT, OutboxMessage.Status.DEAD)
        ).update(body=REDACTED, subject="")
