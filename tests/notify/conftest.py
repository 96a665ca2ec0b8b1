"""Notification tests: the dossier world, a throw-away channel registry and a fake channel."""

from __future__ import annotations

import pytest

from motcua.notify.base import EMAIL, SMS, Channel, ChannelError, Registry
from motcua.notify.models import OutboxMessage
from tests.dossiers.conftest import APPLICANT, at, intake, world  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _notify_settings(settings, tmp_path):
    """Files of the local channels go to a temporary folder; the defaults apply; nothing
    kept by this process from another test (templates, the last delivery pass)."""
    from motcua.notify import services, templatecache

    templatecache.forget()
    services.forget_scheduled()
    settings.DATA_DIR = tmp_path
    settings.NOTIFY_CHANNELS = ["email", "sms", "zalo"]
    settings.NOTIFY_MAX_ATTEMPTS = 8
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    settings.NOTIFY_RETRY_MAX_SECONDS = 3600
    settings.NOTIFY_SMS_ASCII = False
    settings.NOTIFY_SITE_URL = "https://motcua.example.gov.vn"


class FakeChannel(Channel):
    """Records what it is asked to send; ``fail_with`` makes it raise instead."""

    id = "fake-email"
    label = "Fake e-mail"
    medium = EMAIL

    def __init__(self) -> None:
        self.sent: list[tuple[int, str, str, str]] = []
        self.fail_with: Exception | None = None

    def send(self, message) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append((message.pk, message.recipient, message.subject, message.body))


class FakeSms(FakeChannel):
    id = "fake-sms"
    label = "Fake SMS"
    medium = SMS


@pytest.fixture
def fake(settings):
    """A registry with a fake e-mail and a fake SMS channel, both switched on."""
    registry = Registry()
    registry.register(FakeChannel)
    registry.register(FakeSms)
    settings.NOTIFY_CHANNELS = ["fake-email", "fake-sms"]
    return registry


@pytest.fixture
def make_message(db):
    def make(channel="fake-email", recipient="an@example.vn", *, when="2026-03-02 09:00", **kw):
        return OutboxMessage.objects.create(
            channel=channel,
            recipient=recipient,
            subject=kw.pop("subject", "Hồ sơ đã được tiếp nhận"),
            body=kw.pop("body", "Kính gửi Ông/Bà Nguyễn Văn An"),
            template_key=kw.pop("template_key", "received"),
            created_at=at(when),
            next_attempt_at=at(when),
            **kw,
        )

    return make


def down(message: str = "Máy chủ không phản hồi") -> ChannelError:
    return ChannelError(message)
