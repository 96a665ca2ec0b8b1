"""The channels shipped with Một Cửa: e-mail over SMTP and local file stand-ins for SMS/Zalo.

The ``sms`` and ``zalo`` channels write one JSON line per message to
``DATA_DIR/outbox/<channel>.log`` so that the demo and the tests can see what would be sent;
a real gateway is another :class:`~motcua.notify.base.Channel` (see docs/notifications.md).
"""

from __future__ import annotations

import json
import smtplib
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from motcua.notify.base import EMAIL, SMS, ZALO, Channel, ChannelError, registry


@registry.register
class EmailChannel(Channel):
    """Django's mail (``EMAIL_*`` settings): SMTP in production, the console in development."""

    id = "email"
    label = "Thư điện tử"
    medium = EMAIL

    def send(self, message) -> None:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Auto-Submitted": "auto-generated", "X-Motcua-Message": str(message.pk)},
        )
        try:
            with get_connection(timeout=settings.NOTIFY_SEND_TIMEOUT) as connection:
                sent = connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            permanent = bool(codes) and all(code >= 500 for code in codes)
            raise ChannelError(f"Địa chỉ bị từ chối: {codes}", permanent=permanent) from exc
        except smtplib.SMTPResponseException as exc:
            detail = exc.smtp_error.decode("utf-8", "replace") if exc.smtp_error else ""
            raise ChannelError(
                f"Máy chủ thư trả lời {exc.smtp_code}: {detail}", permanent=exc.smtp_code >= 500
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"Không kết nối được máy chủ thư: {exc!r}") from exc
        if not sent:
            raise ChannelError("Máy chủ thư không nhận thư.")


class FileChannel(Channel):
    """Appends a JSON line per message to ``DATA_DIR/outbox/<id>.log`` (demo and tests)."""

    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "outbox" / f"{self.id}.log"

    def send(self, message) -> None:
        record = {
            "message": message.pk,
            "channel": self.id,
            "to": message.recipient,
            "subject": message.subject,
            "body": message.body,
            "dossier": str(message.dossier) if message.dossier_id else None,
            "template": message.template_key,
            "at": timezone.now().isoformat(),
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        path = self.path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as fh:
                fh.write(line)
        except OSError as exc:
            raise ChannelError(f"Không ghi được {path}: {exc}") from exc


@registry.register
class LocalSmsChannel(FileChannel):
    id = "sms"
    label = "Tin nhắn SMS (tệp cục bộ)"
    medium = SMS


@registry.register
class LocalZaloChannel(FileChannel):
    id = "zalo"
    label = "Zalo (tệp cục bộ)"
    medium = ZALO
