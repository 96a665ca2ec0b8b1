"""Delivery through channel plugins: sent, retried with growing delays, dead, sent again."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from motcua.notify import queries, services
from motcua.notify.base import ChannelError
from motcua.notify.models import OutboxMessage
from motcua.notify.tasks import deliver_due_messages

from .conftest import at, down

pytestmark = pytest.mark.django_db


def test_a_working_channel_sends_and_marks_sent(fake, make_message):
    m = make_message()
    assert services.deliver(m.pk, now=at("2026-03-02 09:01"), channels=fake) == "sent"
    m.refresh_from_db()
    assert (m.status, m.attempts, m.sent_at) == ("sent", 1, at("2026-03-02 09:01"))
    assert fake["fake-email"].sent == [(m.pk, "an@example.vn", m.subject, m.body)]
    # sent once: a second pass does nothing
    assert services.deliver(m.pk, now=at("2026-03-02 10:00"), channels=fake) == "skipped"
    assert len(fake["fake-email"].sent) == 1


def test_a_channel_that_is_down_delays_with_growing_gaps_then_dead(fake, make_message):
    channel = fake["fake-email"]
    channel.fail_with = down()
    m = make_message()
    now, gaps = at("2026-03-02 09:00"), []
    for attempt in range(1, 9):
        assert services.deliver(m.pk, now=now, channels=fake) in {"failed", "dead"}
        m.refresh_from_db()
        assert m.attempts == attempt and m.last_error == "Máy chủ không phản hồi"
        if m.status == "dead":
            break
        gaps.append((m.next_attempt_at - now).total_seconds())
        early = m.next_attempt_at - dt.timedelta(seconds=1)
        assert services.deliver(m.pk, now=early, channels=fake) == "skipped"  # not due yet
        now = m.next_attempt_at
    assert gaps == [60, 120, 240, 480, 960, 1920, 3600]  # doubling, capped at an hour
    assert (m.status, m.attempts) == ("dead", 8)
    assert queries.dead_count() == 1
    # nothing is lost: the provider is back and an administrator sends it again
    channel.fail_with = None
    assert services.requeue([m], now=now) == 1
    assert services.deliver(m.pk, now=now, channels=fake) == "sent"
    assert [s[0] for s in channel.sent] == [m.pk]


def test_a_permanent_failure_is_dead_at_once(fake, make_message):
    fake["fake-email"].fail_with = ChannelError("550 mailbox unknown", permanent=True)
    m = make_message()
    assert services.deliver(m.pk, now=at("2026-03-02 09:00"), channels=fake) == "dead"
    m.refresh_from_db()
    assert (m.status, m.attempts, m.last_error) == ("dead", 1, "550 mailbox unknown")


def test_a_crashing_plugin_is_a_temporary_failure(fake, make_message):
    fake["fake-email"].fail_with = RuntimeError("bug in the plugin")
    m = make_message()
    assert services.deliver(m.pk, now=at("2026-03-02 09:00"), channels=fake) == "failed"
    m.refresh_from_db()
    assert "bug in the plugin" in m.last_error
    assert m.next_attempt_at == at("2026-03-02 09:01")


def test_a_message_for_a_switched_off_channel_waits(settings, fake, make_message):
    settings.NOTIFY_CHANNELS = ["fake-sms"]
    m = make_message(channel="fake-email")
    assert services.deliver(m.pk, now=at("2026-03-02 09:00"), channels=fake) == "failed"
    m.refresh_from_db()
    assert "chưa được bật" in m.last_error and m.status == "failed"


def test_a_claimed_message_is_not_sent_twice(fake, make_message):
    m = make_message()
    now = at("2026-03-02 09:00")
    assert services._claim(m.pk, now) is not None  # another worker holds it
    assert services.deliver(m.pk, now=now, channels=fake) == "skipped"
    assert fake["fake-email"].sent == []
    # a worker that died mid-send frees it when the lease ends
    later = now + services.lease()
    assert services.deliver(m.pk, now=later, channels=fake) == "sent"


def test_a_pass_sends_what_is_due_oldest_first(fake, make_message):
    first = make_message(when="2026-03-02 09:00")
    second = make_message(recipient="binh@example.vn", when="2026-03-02 09:05")
    make_message(recipient="later@example.vn", when="2026-03-02 12:00")
    make_message(channel="fake-sms", recipient="0903123456", when="2026-03-02 09:02")
    counts = services.deliver_due(now=at("2026-03-02 10:00"), channels=fake)
    assert counts == {"sent": 3}
    assert [s[0] for s in fake["fake-email"].sent] == [first.pk, second.pk]
    assert len(fake["fake-sms"].sent) == 1
    assert OutboxMessage.objects.filter(status="pending").count() == 1


def test_the_task_and_the_command_run_a_pass(settings, make_message, mailoutbox):
    settings.NOTIFY_CHANNELS = ["email", "sms"]
    make_message(channel="email")
    assert deliver_due_messages.call() == {"sent": 1}
    make_message(channel="sms", recipient="0903123456")
    out = io.StringIO()
    call_command("deliver_messages", stdout=out)
    assert "Đã xử lý 1 thông báo (sent: 1)." in out.getvalue()
    assert len(mailoutbox) == 1


def test_the_task_runs_on_the_immediate_backend(settings, make_message, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    m = make_message(channel="email")
    result = deliver_due_messages.enqueue()
    assert result.status == "SUCCESSFUL" and result.return_value == {"sent": 1}
    m.refresh_from_db()
    assert m.status == "sent" and mailoutbox[0].subject == m.subject


def test_retries_are_deferred_tasks_on_the_database_backend(
    fake, make_message, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    fake["fake-email"].fail_with = down()
    m = make_message()
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver(m.pk, now=at("2026-03-02 09:00"), channels=fake)
    [task] = DBTaskResult.objects.all()
    assert task.run_after == at("2026-03-02 09:01")
