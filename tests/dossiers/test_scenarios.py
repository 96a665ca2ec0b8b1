"""Whole dossier journeys through the services, with the legal rules they must respect."""

import datetime as dt

import pytest

from motcua.dossiers.errors import Conflict, Forbidden, InvalidInput, NotAllowed
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import perform

from .conftest import at

pytestmark = pytest.mark.django_db


def test_counter_intake_three_steps_supplement_resume_approval_return_on_time(world, intake):
    d = intake("2026-03-02 09:00")  # Monday
    assert d.code == "000.21.26.H29-260302-0001"
    assert d.due_at == at("2026-03-05 17:00")  # 3 working days from the next day
    officer, specialist, leader = world["officer"], world["specialist"], world["leader"]
    d, _ = perform(d, "transfer", officer, now=at("2026-03-02 09:10"))
    assert d.state == "in_process" and d.current_unit == world["processing"]
    d, _ = perform(d, "assign", specialist, now=at("2026-03-02 10:00"), assignee_id=specialist.pk)
    d, _ = perform(
        d,
        "request_supplement",
        specialist,
        now=at("2026-03-02 14:00"),
        reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp",
    )
    assert d.state == "supplement_requested"
    # the applicant brings it one working day later: the due date moves by the pause
    d, _ = perform(d, "receive_supplement", officer, now=at("2026-03-03 14:00"))
    assert d.state == "in_process"
    assert d.due_at == at("2026-03-06 17:00")
    d, _ = perform(d, "complete_step", specialist, now=at("2026-03-04 10:00"))
    assert d.current_step.name == "Phê duyệt, ký"
    d, _ = perform(d, "approve", leader, now=at("2026-03-04 15:00"))
    assert d.result_code == f"{d.code}-KQ1" and d.signer == leader
    d, _ = perform(d, "complete_step", officer, now=at("2026-03-05 08:00"))
    assert d.state == "resolved" and d.timeliness == "early"
    d, _ = perform(
        d,
        "return_result",
        officer,
        now=at("2026-03-05 09:00"),
        returned_to="Nguyễn Văn An",
        method="counter",
    )
    assert d.state == "returned" and d.returned_at == at("2026-03-05 09:00")
    actions = list(d.events.values_list("action", flat=True))
    assert actions == [
        "submit",
        "receive",
        "transfer",
        "assign",
        "request_supplement",
        "receive_supplement",
        "complete_step",
        "approve",
        "complete_step",
        "return_result",
    ]


def test_late_dossier_apologises_once_and_a_second_apology_is_refused(world, intake):
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    new_due = at("2026-03-10 17:00")
    d, event = perform(
        d,
        "apologise",
        world["specialist"],
        now=at("2026-03-04 09:00"),
        reason="Cần xác minh thêm tại Công an",
        new_due_at=new_due,
    )
    assert d.apologised and d.due_at == new_due and d.original_due_at == at("2026-03-05 17:00")
    assert dt.datetime.fromisoformat(event.payload["old_due_at"]) == at("2026-03-05 17:00")
    with pytest.raises(NotAllowed, match="một lần"):
        perform(
            d,
            "apologise",
            world["specialist"],
            now=at("2026-03-05 09:00"),
            reason="Lần hai",
            new_due_at=at("2026-03-20 17:00"),
        )


def test_apology_after_the_legal_moment_is_refused(world, intake):
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    with pytest.raises(NotAllowed, match="01 ngày làm việc"):
        perform(
            d,
            "apologise",
            world["specialist"],
            now=at("2026-03-04 17:01"),
            reason="Muộn",
            new_due_at=at("2026-03-10 17:00"),
        )


def test_intake_after_cut_off_on_the_friday_before_tet(world, intake):
    d = intake("2026-02-13 16:20")  # Friday, after 15:00; Tết 16–20/2
    assert d.code.startswith("000.21.26.H29-260223-")  # counted as received Mon 23/2
    assert d.due_at == at("2026-02-26 17:00")
    d, event = perform(d, "transfer", world["officer"], now=at("2026-02-13 16:25"))
    assert d.current_step.started_at == at("2026-02-23 07:30")


def test_second_supplement_needs_override_and_marks_late(world, intake):
    d = intake()
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(
        d,
        "request_supplement",
        world["specialist"],
        now=at("2026-03-02 10:00"),
        reason="Thiếu tờ khai",
    )
    d, _ = perform(d, "receive_supplement", world["officer"], now=at("2026-03-02 11:00"))
    with pytest.raises(NotAllowed, match="một lần"):
        perform(
            d,
            "request_supplement",
            world["specialist"],
            now=at("2026-03-02 14:00"),
            reason="Thiếu bản sao",
        )
    d, _ = perform(
        d,
        "request_supplement",
        world["specialist"],
        now=at("2026-03-02 14:00"),
        reason="Thiếu bản sao",
        override=True,
    )
    assert d.late_by_rule and d.supplement_requests == 2


def test_stop_at_request_and_not_after_a_decision(world, intake):
    d = intake()
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    stopped, _ = perform(
        d, "stop", world["officer"], now=at("2026-03-02 10:00"), reason="Công dân xin dừng"
    )
    assert stopped.state == "stopped" and stopped.finished_at == at("2026-03-02 10:00")
    other = intake("2026-03-02 09:30")
    other, _ = perform(other, "transfer", world["officer"], now=at("2026-03-02 09:40"))
    other, _ = perform(other, "complete_step", world["specialist"], now=at("2026-03-02 11:00"))
    other, _ = perform(other, "approve", world["leader"], now=at("2026-03-02 14:00"))
    with pytest.raises(NotAllowed, match="Đã có kết quả"):
        perform(other, "stop", world["officer"], now=at("2026-03-02 15:00"), reason="Xin dừng")


def test_permissions_other_unit_and_supervisor(world, intake):
    d = intake()
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    with pytest.raises(Forbidden):
        perform(d, "complete_step", world["other_specialist"], now=at("2026-03-02 10:00"))
    with pytest.raises(Forbidden):
        perform(d, "complete_step", world["supervisor"], now=at("2026-03-02 10:00"))
    with pytest.raises(Forbidden):  # a specialist cannot approve
        perform(d, "approve", world["specialist"], now=at("2026-03-02 10:00"))


def test_wrong_state_stale_version_and_missing_reason(world, intake):
    d = intake()
    with pytest.raises(NotAllowed, match="tải lại"):
        perform(d, "approve", world["leader"], now=at("2026-03-02 10:00"))
    with pytest.raises(Conflict):
        perform(
            d,
            "transfer",
            world["officer"],
            now=at("2026-03-02 10:00"),
            expected_version=d.version - 1,
        )
    d, _ = perform(
        d, "transfer", world["officer"], now=at("2026-03-02 10:00"), expected_version=d.version
    )
    with pytest.raises(InvalidInput, match="lý do"):
        perform(d, "send_back", world["specialist"], now=at("2026-03-02 11:00"), reason=" ")


def test_idempotent_creation_and_daily_sequence(world, intake):
    first = intake("2026-03-02 09:00", key="abc-1")
    from motcua.dossiers.services import NewDossier, create_dossier

    from .conftest import APPLICANT

    data = NewDossier(offering=world["offering"], channel="counter", applicant=APPLICANT)
    same, created = create_dossier(
        world["officer"], data, idempotency_key="abc-1", now=at("2026-03-02 09:01")
    )
    assert same.pk == first.pk and not created
    second = intake("2026-03-02 10:00")
    assert second.code.endswith("-0002")
    next_day = intake("2026-03-03 08:00")
    assert next_day.code == "000.21.26.H29-260303-0001"
    assert Dossier.objects.count() == 3


def test_events_are_append_only(world, intake):
    d = intake()
    event = DossierEvent.objects.filter(dossier=d).first()
    event.reason = "sửa"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_invalid_applicant_is_refused_with_field_messages(world):
    from motcua.dossiers.services import Applicant, NewDossier, create_dossier

    bad = Applicant(name="", id_number="12345", birth_date=dt.date(1990, 1, 1))
    with pytest.raises(InvalidInput) as info:
        create_dossier(
            world["officer"],
            NewDossier(offering=world["offering"], channel="counter", applicant=bad),
        )
    assert set(info.value.details) == {"applicant_name", "applicant_id_number"}


def test_steps_after_an_after_hours_transfer_never_start_before_it(world, intake):
    d = intake("2026-03-06 16:30")  # Friday after the cut-off
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-07 09:00"))  # Saturday
    first = d.current_step
    assert first.started_at == at("2026-03-09 07:30")
    d, _ = perform(d, "complete_step", world["specialist"], now=at("2026-03-07 10:00"))
    first.refresh_from_db()
    assert first.finished_at == at("2026-03-09 07:30")
    assert d.current_step.started_at == at("2026-03-09 07:30")
