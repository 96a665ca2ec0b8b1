"""Messages are written in the dossier action's transaction, once per event/channel/recipient."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import events
from motcua.dossiers.services import perform
from motcua.notify import services
from motcua.notify.models import ChannelPreference, MessageTemplate, OutboxMessage

from .conftest import APPLICANT, at

pytestmark = pytest.mark.django_db


def _messages(dossier, **filters):
    return list(OutboxMessage.objects.filter(dossier=dossier, **filters).order_by("channel"))


def test_receipt_writes_an_email_and_an_sms_in_vietnamese(intake):
    d = intake("2026-03-02 09:00")
    email, sms = _messages(d)
    assert (email.channel, email.recipient) == ("email", "an@example.vn")
    assert (sms.channel, sms.recipient) == ("sms", "0903123456")
    assert email.subject == f"Hồ sơ {d.code} đã được tiếp nhận"
    assert "Thời gian hẹn trả kết quả: 17:00 ngày 05/03/2026" in email.body
    assert "Kính gửi Ông/Bà Nguyễn Văn An" in email.body
    assert f"https://motcua.example.gov.vn/tra-cuu/{d.code}/?t=" in email.body  # QR-style link
    assert sms.body == f"Hồ sơ {d.code} đã được tiếp nhận. Hẹn trả kết quả: 17:00 ngày 05/03/2026."
    assert sms.subject == ""
    for m in (email, sms):
        assert m.status == "pending" and m.attempts == 0
        assert m.template_key == "received" and m.language == "vi"
        assert m.event.action == "receive" and m.next_attempt_at == at("2026-03-02 09:00")
        assert APPLICANT.id_number not in m.body + m.subject


def test_an_action_that_fails_after_the_notify_subscriber_leaves_no_message(world, intake):
    d = intake()
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    before = OutboxMessage.objects.count()

    seen = []

    def boom(event):  # runs after the notify subscriber, in the same transaction
        seen.append(OutboxMessage.objects.filter(event=event).count())
        raise RuntimeError("a later subscriber fails")

    events.subscribe(boom, in_transaction=True)
    try:
        with pytest.raises(RuntimeError):
            perform(
                d,
                "apologise",
                world["specialist"],
                now=at("2026-03-04 09:00"),
                reason="Cần xác minh",
                new_due_at=at("2026-03-10 17:00"),
            )
    finally:
        events.unsubscribe(boom)
    assert seen == [2]  # written (e-mail and SMS) …
    d.refresh_from_db()  # … and gone with the rolled-back action
    assert not d.apologised
    assert OutboxMessage.objects.count() == before
    assert not OutboxMessage.objects.filter(template_key="apology").exists()


def test_a_rolled_back_transaction_takes_its_messages_with_it(world, intake):
    d = intake()
    with pytest.raises(ValueError), transaction.atomic():
        perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
        perform(
            d,
            "request_supplement",
            world["specialist"],
            now=at("2026-03-02 14:00"),
            reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp",
        )
        assert OutboxMessage.objects.filter(template_key="supplement_requested").count() == 2
        raise ValueError("the caller rolls back")
    assert not OutboxMessage.objects.filter(template_key="supplement_requested").exists()
    d.refresh_from_db()
    assert d.state == "received"


def test_one_message_per_event_channel_and_recipient(intake):
    d = intake()
    event = d.events.get(action="receive")
    services.on_dossier_event(event)  # dispatched again (e.g. a replay)
    services.write_messages(event, services.keys_for(event))
    assert len(_messages(d)) == 2
    keys = set(OutboxMessage.objects.values_list("dedup_key", flat=True))
    assert len(keys) == 2 and all(k.startswith(f"{event.pk}:received:") for k in keys)


def test_which_events_notify_the_applicant(world, intake):
    officer, specialist, leader = world["officer"], world["specialist"], world["leader"]
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", officer, now=at("2026-03-02 09:10"))
    d, _ = perform(d, "request_supplement", specialist, now=at("2026-03-02 14:00"), reason="Thiếu")
    d, _ = perform(d, "receive_supplement", officer, now=at("2026-03-03 14:00"))
    d, _ = perform(
        d,
        "apologise",
        specialist,
        now=at("2026-03-04 09:00"),
        reason="Cần xác minh thêm tại Công an",
        new_due_at=at("2026-03-10 17:00"),
    )
    d, _ = perform(d, "complete_step", specialist, now=at("2026-03-04 10:00"))
    d, _ = perform(d, "approve", leader, now=at("2026-03-04 15:00"))
    d, _ = perform(d, "complete_step", officer, now=at("2026-03-05 08:00"))
    d, _ = perform(d, "return_result", officer, now=at("2026-03-05 09:00"), method="counter")
    keys = list(
        OutboxMessage.objects.filter(dossier=d, channel="email")
        .order_by("event__seq", "pk")
        .values_list("template_key", flat=True)
    )
    assert keys == [
        "received",
        "supplement_requested",
        "apology",
        "result_ready",
        "returned",
        "rating_invitation",
    ]
    apology = OutboxMessage.objects.get(dossier=d, channel="email", template_key="apology")
    assert "Thời gian hẹn trả kết quả mới: 17:00 ngày 10/03/2026" in apology.body
    assert "Lý do: Cần xác minh thêm tại Công an" in apology.body
    ready = OutboxMessage.objects.get(dossier=d, channel="sms", template_key="result_ready")
    assert ready.body.startswith(f"Hồ sơ {d.code} đã có kết quả.")
    rating = OutboxMessage.objects.get(dossier=d, channel="sms", template_key="rating_invitation")
    assert f"https://motcua.example.gov.vn/danh-gia/{d.code}/" in rating.body


def test_completion_request_lists_every_deficiency(world):
    from motcua.dossiers.services import NewDossier, create_dossier

    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)
    d, _ = create_dossier(world["officer"], data, now=at("2026-03-02 09:00"))
    perform(
        d,
        "request_completion",
        world["officer"],
        now=at("2026-03-02 09:05"),
        reason="Hồ sơ thiếu giấy tờ",
        deficiencies=["Bản sao giấy khai sinh", "Giấy tờ chứng minh chỗ ở hợp pháp"],
    )
    email = OutboxMessage.objects.get(dossier=d, channel="email")
    assert email.subject == f"Hồ sơ {d.reference} cần bổ sung, hoàn thiện"
    assert "1. Bản sao giấy khai sinh\n2. Giấy tờ chứng minh chỗ ở hợp pháp" in email.body
    sms = OutboxMessage.objects.get(dossier=d, channel="sms")
    assert "Bản sao giấy khai sinh; Giấy tờ" in sms.body


def test_a_citizen_preference_chooses_channels_and_language(intake):
    ChannelPreference.objects.create(
        id_number=APPLICANT.id_number, email=False, sms=False, zalo=True, language="en"
    )
    d = intake()
    [zalo] = _messages(d)
    assert (zalo.channel, zalo.recipient, zalo.language) == ("zalo", "0903123456", "en")
    assert zalo.body == f"Application {d.code} received. Result due 17:00, 05/03/2026."


def test_only_switched_on_channels_get_messages(settings, intake):
    settings.NOTIFY_CHANNELS = ["email"]
    d = intake()
    assert [m.channel for m in _messages(d)] == ["email"]


def test_a_broken_template_never_blocks_the_dossier(intake):
    MessageTemplate.objects.filter(key="received", kind="sms", language="vi").update(
        body="{{ due_at|date:'nonsense' }} {% for x in %}"
    )
    d = intake()
    assert d.state == "received"
    sms = OutboxMessage.objects.get(dossier=d, channel="sms")
    assert sms.status == "dead" and "Lỗi mẫu thông báo" in sms.last_error
    assert OutboxMessage.objects.get(dossier=d, channel="email").status == "pending"


def test_a_switched_off_template_sends_nothing(intake):
    MessageTemplate.objects.filter(key="received", kind="sms").update(is_active=False)
    d = intake()
    assert [m.channel for m in _messages(d)] == ["email"]


def test_delivery_is_enqueued_after_commit(world, intake, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        intake()
    assert DBTaskResult.objects.count() == 0  # nothing before the commit
    for callback in callbacks:
        callback()
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "motcua.notify.tasks.deliver_due_messages"


def test_with_the_immediate_backend_messages_go_out_at_commit(
    settings, tmp_path, intake, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        d = intake()
    assert {m.status for m in _messages(d)} == {"sent"}
    [mail] = mailoutbox
    assert mail.subject == f"Hồ sơ {d.code} đã được tiếp nhận" and mail.to == ["an@example.vn"]
    assert (tmp_path / "outbox" / "sms.log").read_text(encoding="utf-8").count("\n") == 1


def test_the_cost_on_the_dossier_action_is_fixed(world, intake, django_assert_num_queries):
    d = intake()
    receipt = d.events.get(action="receive")
    OutboxMessage.objects.all().delete()
    # the citizen's preference, one insert for every message (templates kept per process,
    # no savepoint)
    with django_assert_num_queries(2):
        services.on_dossier_event(receipt)
    assert OutboxMessage.objects.count() == 2
    d, transfer = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    with django_assert_num_queries(0):  # internal hand-offs tell the applicant nothing
        services.on_dossier_event(transfer)
