"""Admin: template preview and validation, the outbox with its dead messages, preferences."""

import pytest
from django.urls import reverse

from motcua.notify.models import ChannelPreference, MessageTemplate, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "qt@example.vn", "x-pass-123456")
    client.force_login(user)
    return client


def test_template_preview_renders_the_sample_dossier(admin):
    template = MessageTemplate.objects.get(key="received", kind="email", language="vi")
    change = admin.get(reverse("admin:notify_messagetemplate_change", args=[template.pk]))
    assert change.status_code == 200
    url = reverse("admin:notify_messagetemplate_preview", args=[template.pk])
    assert url in change.content.decode()
    page = admin.get(url).content.decode()
    assert "Hồ sơ 000.21.26.H29-260302-0001 đã được tiếp nhận" in page
    assert "Thời gian hẹn trả kết quả: 17:00 ngày 05/03/2026" in page
    assert "Kính gửi Ông/Bà Nguyễn Văn An" in page


def test_sms_preview_shows_the_length(admin):
    template = MessageTemplate.objects.get(key="apology", kind="sms", language="vi")
    page = admin.get(reverse("admin:notify_messagetemplate_preview", args=[template.pk]))
    assert page.status_code == 200 and "ký tự" in page.content.decode()


def test_a_template_with_bad_syntax_is_refused(admin):
    template = MessageTemplate.objects.get(key="received", kind="sms", language="vi")
    url = reverse("admin:notify_messagetemplate_change", args=[template.pk])
    response = admin.post(
        url,
        {"key": "received", "kind": "sms", "language": "vi", "subject": "", "body": "{% if %}"},
    )
    assert response.status_code == 200 and "Mẫu sai cú pháp" in response.content.decode()
    template.refresh_from_db()
    assert template.body != "{% if %}"


def _message(status, recipient="an.nguyen@example.vn", **kw):
    return OutboxMessage.objects.create(
        channel="email",
        recipient=recipient,
        subject="Hồ sơ đã được tiếp nhận",
        body="…",
        template_key="received",
        status=status,
        created_at="2026-03-02T02:00:00Z",
        next_attempt_at="2026-03-02T02:00:00Z",
        **kw,
    )


def test_outbox_lists_masked_recipients_and_counts_dead_messages(admin):
    _message("sent", recipient="binh@example.vn")
    dead = _message("dead", attempts=8, last_error="Máy chủ không phản hồi")
    page = admin.get(reverse("admin:notify_outboxmessage_changelist")).content.decode()
    assert "an.nguyen@example.vn" not in page and "a••••••••@example.vn" in page
    assert "1 thông báo không gửi được" in page
    page = admin.get(reverse("admin:notify_outboxmessage_changelist") + "?status__exact=dead")
    assert page.status_code == 200
    dead_list = admin.get(reverse("admin:notify_deadmessage_changelist")).content.decode()
    assert f"/{dead.pk}/change/" in dead_list and "a••••••••@example.vn" in dead_list
    assert "b•••@example.vn" not in dead_list  # only the dead one
    index = admin.get(reverse("admin:index")).content.decode()
    assert "thông báo không gửi được (cần xử lý)".capitalize() in index


def test_send_again_puts_dead_messages_back_in_the_queue(admin):
    dead = _message("dead", attempts=8)
    admin.post(
        reverse("admin:notify_deadmessage_changelist"),
        {"action": "send_again", "_selected_action": [dead.pk]},
    )
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == ("pending", 0)


def test_outbox_is_read_only(admin):
    m = _message("sent")
    assert admin.get(reverse("admin:notify_outboxmessage_add")).status_code == 403
    page = admin.get(reverse("admin:notify_outboxmessage_change", args=[m.pk]))
    assert page.status_code == 200 and 'name="recipient"' not in page.content.decode()


def test_preferences_list_masks_the_id_number(admin):
    ChannelPreference.objects.create(id_number="079090001234", zalo=True)
    page = admin.get(reverse("admin:notify_channelpreference_changelist")).content.decode()
    assert "079090001234" not in page and "••••••••1234" in page
