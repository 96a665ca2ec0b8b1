"""The shipped channels: real SMTP to a local server, the SMS/Zalo files, the registry."""

import email
import email.header
import email.policy
import json
import socket

import pytest

from motcua.notify import services
from motcua.notify.base import EMAIL, Channel, Registry, check_channels
from motcua.notify.models import ChannelPreference, OutboxMessage

from .conftest import APPLICANT, FakeChannel, at

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """An aiosmtpd handler keeping what it receives; ``unknown@…`` is refused (550)."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("unknown@"):
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """Point Django's SMTP backend at 127.0.0.1:<free port>; ``start()`` runs a server."""
    controller_mod = pytest.importorskip(
        "aiosmtpd.controller", reason="aiosmtpd runs the local SMTP server of this test"
    )
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.NOTIFY_SEND_TIMEOUT = 5
    sink, controllers = Sink(), []

    def start():
        controller = controller_mod.Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return sink

    yield start
    for controller in controllers:
        controller.stop()


def _decoded(raw: bytes, name: str) -> str:
    """A header decoded per RFC 2047 (Django folds long encoded headers)."""
    value = email.message_from_bytes(raw)[name]
    return str(email.header.make_header(email.header.decode_header(value)))


def _email_of(dossier) -> OutboxMessage:
    return OutboxMessage.objects.get(dossier=dossier, channel="email")


def test_real_smtp_delivery_in_vietnamese(smtp, intake):
    sink = smtp()
    d = intake()
    m = _email_of(d)
    assert services.deliver(m.pk, now=at("2026-03-02 09:01")) == "sent"
    [envelope] = sink.envelopes
    assert envelope.rcpt_tos == ["an@example.vn"]
    mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert _decoded(envelope.content, "Subject") == f"Hồ sơ {d.code} đã được tiếp nhận"
    assert _decoded(envelope.content, "From") == "Một Cửa <no-reply@localhost>"
    assert mail["To"] == "an@example.vn"
    assert mail.get_content_charset() == "utf-8"
    body = mail.get_content()
    assert "Kính gửi Ông/Bà Nguyễn Văn An" in body
    assert "Thời gian hẹn trả kết quả: 17:00 ngày 05/03/2026" in body
    assert "Thủ tục: Đăng ký thường trú" in body
    assert APPLICANT.id_number not in body
    m.refresh_from_db()
    assert m.status == "sent"


def test_smtp_server_down_delays_the_message_and_loses_nothing(smtp, intake):
    d = intake()
    m = _email_of(d)
    assert services.deliver(m.pk, now=at("2026-03-02 09:01")) == "failed"  # nothing listens
    m.refresh_from_db()
    assert m.status == "failed" and "Không kết nối được máy chủ thư" in m.last_error
    assert m.next_attempt_at == at("2026-03-02 09:02")
    sink = smtp()  # the server is back
    assert services.deliver_due(now=at("2026-03-02 09:02")) == {"sent": 2}  # e-mail and SMS
    assert len(sink.envelopes) == 1
    m.refresh_from_db()
    assert (m.status, m.attempts) == ("sent", 2)


def test_an_address_the_server_refuses_is_dead_at_once(smtp, make_message, settings):
    settings.NOTIFY_CHANNELS = ["email"]
    smtp()
    m = make_message(channel="email", recipient="unknown@example.vn")
    assert services.deliver(m.pk, now=at("2026-03-02 09:01")) == "dead"
    m.refresh_from_db()
    assert "550" in m.last_error


def test_the_sms_and_zalo_channels_write_a_json_line(tmp_path, intake):
    d = intake()
    sms = OutboxMessage.objects.get(dossier=d, channel="sms")
    assert services.deliver(sms.pk, now=at("2026-03-02 09:01")) == "sent"
    [line] = (tmp_path / "outbox" / "sms.log").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["to"] == "0903123456" and record["channel"] == "sms"
    assert record["body"] == sms.body and record["dossier"] == d.code
    assert record["message"] == sms.pk and record["template"] == "received"
    ChannelPreference.objects.create(
        id_number=APPLICANT.id_number, email=False, sms=False, zalo=True
    )
    d2 = intake("2026-03-02 10:00")
    zalo = OutboxMessage.objects.get(dossier=d2)
    assert services.deliver(zalo.pk, now=at("2026-03-02 10:01")) == "sent"
    record = json.loads((tmp_path / "outbox" / "zalo.log").read_text(encoding="utf-8"))
    assert record["channel"] == "zalo" and "đã được tiếp nhận" in record["body"]


def test_a_file_channel_that_cannot_write_retries(settings, tmp_path, make_message):
    (tmp_path / "outbox").write_text("a file where the folder should be")
    settings.NOTIFY_CHANNELS = ["sms"]
    m = make_message(channel="sms", recipient="0903123456")
    assert services.deliver(m.pk, now=at("2026-03-02 09:01")) == "failed"
    m.refresh_from_db()
    assert "Không ghi được" in m.last_error


def test_the_registry_refuses_duplicates_and_unknown_media():
    registry = Registry()
    registry.register(FakeChannel)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(FakeChannel)

    class Pigeon(Channel):
        id, label, medium = "pigeon", "Bồ câu", "pigeon"

        def send(self, message):
            raise NotImplementedError

    with pytest.raises(ValueError, match="medium"):
        registry.register(Pigeon)


def test_the_system_check_names_unknown_and_clashing_channels(settings):
    settings.NOTIFY_CHANNELS = ["email", "fax"]
    assert [e.id for e in check_channels()] == ["notify.E001"]
    from motcua.notify.base import registry

    class OtherEmail(FakeChannel):
        id, medium = "other-email", EMAIL

    registry.register(OtherEmail)
    try:
        settings.NOTIFY_CHANNELS = ["email", "other-email"]
        assert [e.id for e in check_channels()] == ["notify.E002"]
    finally:
        registry._channels.pop("other-email")
    settings.NOTIFY_CHANNELS = ["email", "sms", "zalo"]
    assert check_channels() == []
