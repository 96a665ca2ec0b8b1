"""What writing messages costs the dossier action: templates kept per process (and seen
again after an edit), no work for an event without a template, one delivery task per
second of commits rather than one per dossier event."""

import datetime as dt
import logging

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.notify import services, templatecache
from motcua.notify.models import MessageTemplate, OutboxMessage

pytestmark = pytest.mark.django_db


def _sms_body(dossier) -> str:
    return OutboxMessage.objects.get(dossier=dossier, channel="sms").body


def _sms_template() -> MessageTemplate:
    return MessageTemplate.objects.get(key="received", kind="sms", language="vi")


def test_an_admin_edit_is_used_by_the_next_message_of_this_process(intake):
    intake()  # the templates are now kept
    template = _sms_template()
    template.body = "Đã nhận hồ sơ {{ code }}."
    template.save()  # as the admin does
    d = intake()
    assert _sms_body(d) == f"Đã nhận hồ sơ {d.code}."
    template.is_active = False
    template.save()
    d = intake()
    assert not OutboxMessage.objects.filter(dossier=d, channel="sms").exists()


def test_an_edit_made_elsewhere_is_seen_within_the_time_bound(intake, monkeypatch):
    """Another process's edit sends no signal here: a bulk update stands in for it."""
    now = [1000.0]
    monkeypatch.setattr(templatecache, "clock", lambda: now[0])
    before = intake()
    old = _sms_body(before)
    MessageTemplate.objects.filter(pk=_sms_template().pk).update(body="Mới: {{ code }}")
    now[0] += templatecache.TTL_SECONDS - 0.5
    d = intake()
    assert _sms_body(d) == old.replace(before.code, d.code)  # still the kept text
    now[0] += 0.5
    d = intake()
    assert _sms_body(d) == f"Mới: {d.code}"


def test_a_load_that_races_with_an_edit_keeps_nothing(db, monkeypatch):
    def clock_with_an_edit_meanwhile():
        templatecache.forget()  # an edit committed while the rows were being read
        return 0.0

    monkeypatch.setattr(templatecache, "clock", clock_with_an_edit_meanwhile)
    loaded = templatecache.active()
    assert loaded.has("received", "sms")
    assert templatecache._kept is None  # the next event reads again


def test_templates_are_read_once_per_process(intake, django_assert_num_queries):
    d = intake()
    receipt = d.events.get(action="receive")
    OutboxMessage.objects.all().delete()
    with django_assert_num_queries(2):  # the citizen's preference, the insert
        services.on_dossier_event(receipt)
    templatecache.forget()
    with django_assert_num_queries(3):  # and the templates, read again
        services.on_dossier_event(receipt)


def test_an_event_whose_templates_are_all_off_costs_nothing(intake, django_assert_num_queries):
    for template in MessageTemplate.objects.filter(key="received"):
        template.is_active = False
        template.save()
    d = intake()
    assert not OutboxMessage.objects.filter(dossier=d).exists()
    receipt = d.events.get(action="receive")
    with django_assert_num_queries(0):
        services.on_dossier_event(receipt)


def test_a_bug_in_notifications_never_blocks_the_dossier(intake, monkeypatch, caplog):
    def broken(dossier, enabled):
        raise KeyError("a bug")

    monkeypatch.setattr(services, "_recipients", broken)
    with caplog.at_level(logging.ERROR, logger="motcua.notify.services"):
        d = intake()
    assert d.state == "received" and not OutboxMessage.objects.filter(dossier=d).exists()
    assert "no message written for dossier event" in caplog.text


def test_an_address_too_long_for_the_outbox_is_left_out(world, monkeypatch):
    from motcua.dossiers.services import NewDossier, create_dossier
    from motcua.notify.base import registry

    from .conftest import APPLICANT, at

    email = registry.get("email")
    monkeypatch.setattr(type(email), "address_of", lambda self, d: "a" * 250 + "@example.vn")
    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)
    d, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"), action="receive")
    assert [m.channel for m in OutboxMessage.objects.filter(dossier=d)] == ["sms"]


def test_one_delivery_task_covers_the_commits_of_a_second(
    intake, django_capture_on_commit_callbacks, monkeypatch
):
    start = timezone.now()
    clock = [start]
    monkeypatch.setattr(services.timezone, "now", lambda: clock[0])
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            intake()
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "motcua.notify.tasks.deliver_due_messages"
    assert task.run_after == start + dt.timedelta(seconds=services.DELIVERY_BATCH_SECONDS)
    clock[0] = task.run_after - dt.timedelta(milliseconds=100)  # about to start: not relied on
    with django_capture_on_commit_callbacks(execute=True):
        intake()
    assert DBTaskResult.objects.count() == 2


def test_a_failed_enqueue_lets_the_next_commit_try_again(
    intake, django_capture_on_commit_callbacks, monkeypatch
):
    from motcua.notify.tasks import deliver_due_messages

    real = deliver_due_messages.using

    def down(**kwargs):
        raise ConnectionError("the task queue is down")

    monkeypatch.setattr(type(deliver_due_messages), "using", lambda self, **kw: down(**kw))
    with django_capture_on_commit_callbacks(execute=True):
        intake()
    assert not DBTaskResult.objects.exists()
    monkeypatch.setattr(type(deliver_due_messages), "using", lambda self, **kw: real(**kw))
    with django_capture_on_commit_callbacks(execute=True):
        intake()
    assert DBTaskResult.objects.count() == 1


def test_the_preference_is_read_before_the_daily_number_is_taken(world):
    """The number's row stays locked until commit: the read is made before it, once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers.services import NewDossier, create_dossier
    from motcua.notify.models import ChannelPreference

    from .conftest import APPLICANT, at

    ChannelPreference.objects.create(
        id_number=APPLICANT.id_number, email=False, sms=True, zalo=False, language="en"
    )
    templatecache.active()
    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)
    with CaptureQueriesContext(connection) as captured:
        d, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"), action="receive")
    sql = [q["sql"].lower() for q in captured.captured_queries]
    number = next(i for i, s in enumerate(sql) if "dailysequence" in s)
    reads = [i for i, s in enumerate(sql) if "notify_channelpreference" in s]
    assert len(reads) == 1 and reads[0] < number
    [sms] = OutboxMessage.objects.filter(dossier=d)
    assert (sms.channel, sms.language) == ("sms", "en") and d.code in sms.body
