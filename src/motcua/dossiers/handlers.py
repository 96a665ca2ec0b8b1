"""What each lifecycle action does to a locked dossier (called only by ``services.perform``).

Each handler changes the dossier and its steps and pauses, sets the target state when the
lifecycle table leaves it open, and fills the event payload. Legal rules are cited where
they bind.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from motcua.dossiers import clock
from motcua.dossiers.codes import issue_code, result_code
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.lifecycle import State
from motcua.dossiers.models import Pause, StepInstance
from motcua.dossiers.services import Context, handler
from motcua.org import permissions
from motcua.org.models import Role


def _iso(value) -> str | None:
    return value.isoformat() if value else None


@handler("receive")
def receive(ctx: Context) -> None:
    """Receipt (Mẫu 01): the code is issued and the due date-time computed (Art. 15–17)."""
    d = ctx.dossier
    # ``received_at``: a receipt earlier than the action, e.g. the post's handover
    # (Decision 45/2016/QĐ-TTg, passed by ``postal.services``); never before the submission.
    earlier = ctx.params.get("received_at")
    received = earlier or ctx.now
    if received > ctx.now:
        raise InvalidInput(_("Thời điểm tiếp nhận không được ở tương lai."))
    if earlier and earlier < d.submitted_at:
        raise InvalidInput(_("Thời điểm tiếp nhận không được trước thời điểm nộp hồ sơ."))
    cal = clock.calendar_of(d)
    d.received_at = received
    d.due_at = d.original_due_at = clock.due_from(d, received)
    d.code = issue_code(d.receiving_agency, cal.receipt_day(received))
    d.current_unit_id, d.current_agency = d.receiving_unit_id, d.receiving_agency  # until transfer
    ctx.payload = {
        "code": d.code,
        "due_at": _iso(d.due_at),
        "limit": f"{d.limit_value or ''} {d.limit_unit}".strip(),
    }
    # Components digitised or reused from a data store (Decision 766, indicators 4.2–4.4).
    from motcua.documents.datastore import intake_counts

    if d.pk is None:  # created and received at once: its components are not even saved yet
        ctx.payload.update(digitised_components=0, reused_components=0)
    else:
        ctx.payload.update(intake_counts(d))


@handler("request_completion")
def request_completion(ctx: Context) -> None:
    """Mẫu 02: every deficiency in one notice (Decree 118 Art. 15)."""
    items = [i.strip() for i in ctx.params.get("deficiencies") or [] if str(i).strip()]
    if not items:
        raise InvalidInput(_("Liệt kê đầy đủ các nội dung cần bổ sung, hoàn thiện trong một lần."))
    ctx.payload = {"deficiencies": items}


@handler("refuse")
def refuse(ctx: Context) -> None:
    """Mẫu 03: refusal with the specific reasons."""
    ctx.payload = {}


def _specs(d):
    workflow = getattr(d.offering, "workflow", None) if d.offering_id else None
    if workflow is None:
        raise InvalidInput(
            _("Thủ tục chưa có quy trình nội bộ tại cơ quan: không chuyển xử lý được.")
        )
    return list(workflow.steps.select_related("owner_unit__agency", "owner_agency"))


def _start_step(ctx: Context, spec, start) -> StepInstance:
    d = ctx.dossier
    agency = spec.owner_agency or spec.owner_unit.agency
    step = StepInstance.objects.create(
        dossier=d,
        order=spec.order,
        name=spec.name,
        owner_unit=spec.owner_unit,
        owner_agency=agency,
        role=spec.role,
        started_at=start,
        due_at=clock.step_due(d, start, spec.budget_value, spec.budget_unit),
    )
    d.current_step, d.current_unit, d.current_agency = step, spec.owner_unit, agency
    d.assignee = None
    if spec.owner_unit is None:  # interconnected step at another agency: its one-stop unit
        d.current_unit = agency.units.filter(kind="one_stop").first()
    ctx.step = step
    return step


def _finish_step(ctx: Context) -> StepInstance | None:
    step = ctx.dossier.current_step
    if step is None:
        return None
    # A step reached after hours starts at the next working instant; work done before then
    # is recorded as finishing when it started, never before.
    step.finished_at = max(ctx.now, step.started_at)
    step.timeliness = (
        "late" if ctx.now > step.due_at else ("on_time" if ctx.now == step.due_at else "early")
    )
    step.save(update_fields=["finished_at", "timeliness"])
    return step


@handler("transfer")
def transfer(ctx: Context) -> None:
    """To the first step: at once, or the next working day after the cut-off (Art. 18)."""
    specs = _specs(ctx.dossier)
    if not specs:
        raise InvalidInput(_("Quy trình nội bộ chưa có bước nào."))
    start = clock.transfer_start(ctx.dossier, ctx.now)
    step = _start_step(ctx, specs[0], start)
    ctx.payload = {"step": step.name, "starts_at": _iso(start), "step_due": _iso(step.due_at)}


@handler("assign")
def assign(ctx: Context) -> None:
    d = ctx.dossier
    user = get_user_model().objects.filter(pk=ctx.params.get("assignee_id"), is_active=True).first()
    if user is None:
        raise InvalidInput(_("Chọn cán bộ được giao."))
    action = (
        "dossier.approve" if d.current_step.role == Role.UNIT_LEADER else "dossier.complete_step"
    )
    if not permissions.can(user, action, d.permission_scope()):
        raise InvalidInput(_("%(user)s không thuộc đơn vị đang xử lý bước này.") % {"user": user})
    d.assignee = user
    d.current_step.assignee = user
    d.current_step.save(update_fields=["assignee"])
    ctx.step = d.current_step
    ctx.payload = {"assignee": user.pk, "assignee_name": str(user)}


def _advance(ctx: Context) -> None:
    """Finish the current step and hand over to the next, or resolve after the last."""
    d = ctx.dossier
    done = _finish_step(ctx)
    ctx.payload.update({"step": done.name, "step_timeliness": done.timeliness})
    following = [s for s in _specs(d) if s.order > done.order]
    if following:
        step = _start_step(ctx, following[0], done.finished_at)
        ctx.to_state = State.IN_PROCESS
        ctx.payload.update({"next_step": step.name, "step_due": _iso(step.due_at)})
        return
    if not d.result_code:
        _record_result(ctx)
    ctx.step = done
    _end_processing(ctx)
    d.current_step, d.current_unit_id = None, d.receiving_unit_id
    d.current_agency = d.receiving_agency
    d.assignee = None
    ctx.to_state = State.RESOLVED


def _record_result(ctx: Context) -> None:
    d = ctx.dossier
    d.result_count += 1
    d.result_code = result_code(d.code, d.result_count)
    d.decided_at = ctx.now
    ctx.payload["result_code"] = d.result_code


def _end_processing(ctx: Context) -> None:
    """The first end state ends processing: classify it against the due date."""
    d = ctx.dossier
    if d.finished_at is None:
        d.finished_at = ctx.now
        if d.due_at:
            d.timeliness = clock.timeliness(d, ctx.now)
        ctx.payload["timeliness"] = d.timeliness


@handler("complete_step")
def complete_step(ctx: Context) -> None:
    if ctx.dossier.current_step.role == Role.UNIT_LEADER:
        raise NotAllowed(_("Bước này là bước phê duyệt: lãnh đạo dùng thao tác “Phê duyệt, ký”."))
    _advance(ctx)


@handler("approve")
def approve(ctx: Context) -> None:
    """The leader approves and signs: the result is recorded as ``<code>-KQ<n>``."""
    d = ctx.dossier
    if d.current_step.role != Role.UNIT_LEADER:
        raise NotAllowed(_("Hồ sơ chưa đến bước phê duyệt của lãnh đạo."))
    _record_result(ctx)
    d.signer = ctx.actor
    _advance(ctx)


@handler("send_back")
def send_back(ctx: Context) -> None:
    d = ctx.dossier
    current = d.current_step
    earlier = [s for s in _specs(d) if s.order < current.order]
    if not earlier:
        raise NotAllowed(_("Đây là bước đầu tiên: không có bước trước để trả lại."))
    done = _finish_step(ctx)
    step = _start_step(ctx, earlier[-1], done.finished_at)
    ctx.payload = {"from_step": current.name, "to_step": step.name}


def _open_pause(ctx: Context, kind: str) -> None:
    Pause.objects.create(
        dossier=ctx.dossier,
        kind=kind,
        started_at=ctx.now,
        reason=(ctx.params.get("reason") or "").strip(),
    )


@handler("request_supplement")
def request_supplement(ctx: Context) -> None:
    """One consolidated request; the clock pauses. A second request needs an explicit
    override and makes the dossier count as late (Decision 766, indicator 2.1)."""
    d = ctx.dossier
    if d.supplement_requests >= 1:
        if not ctx.params.get("override"):
            raise NotAllowed(
                _(
                    "Hồ sơ đã được yêu cầu bổ sung một lần. Yêu cầu lần nữa cần xác nhận ngoại "
                    "lệ và hồ sơ sẽ bị tính là trễ hạn."
                )
            )
        d.late_by_rule = True
    d.supplement_requests += 1
    _open_pause(ctx, Pause.Kind.SUPPLEMENT)
    ctx.step = d.current_step
    ctx.payload = {"request_no": d.supplement_requests, "late_by_rule": d.late_by_rule}


def _close_pause(ctx: Context, kind: str | None = None) -> Pause | None:
    d = ctx.dossier
    pauses = Pause.objects.filter(dossier=d, ended_at__isnull=True)
    if kind:
        pauses = pauses.filter(kind=kind)
    pause = pauses.order_by("-started_at").first()
    if pause is None:
        return None
    pause.ended_at = ctx.now
    pause.save(update_fields=["ended_at"])
    return pause


def _resume(ctx: Context, kind: str) -> None:
    """The pause ends: the clock resumes with the paused working time added back, or
    restarts when the procedure says so (DOMAIN.md "Supplement during processing")."""
    d = ctx.dossier
    pause = _close_pause(ctx, kind)
    if pause is None:
        return
    if kind == Pause.Kind.SUPPLEMENT and d.procedure_version.supplement_restarts_clock:
        d.due_at = clock.due_from(d, ctx.now)
    else:
        d.due_at = clock.extend_by_pause(d, pause.started_at, ctx.now, d.due_at)
    if d.current_step:
        step = d.current_step
        step.due_at = clock.extend_by_pause(d, pause.started_at, ctx.now, step.due_at)
        step.save(update_fields=["due_at"])
        ctx.step = step
    ctx.payload = {"paused_from": _iso(pause.started_at), "due_at": _iso(d.due_at)}


@handler("receive_supplement")
def receive_supplement(ctx: Context) -> None:
    _resume(ctx, Pause.Kind.SUPPLEMENT)


@handler("await_obligation")
def await_obligation(ctx: Context) -> None:
    _open_pause(ctx, Pause.Kind.OBLIGATION)
    ctx.step = ctx.dossier.current_step


@handler("end_obligation")
def end_obligation(ctx: Context) -> None:
    _resume(ctx, Pause.Kind.OBLIGATION)


def _close(ctx: Context) -> None:
    d = ctx.dossier
    _close_pause(ctx)
    if d.current_step:
        ctx.step = _finish_step(ctx)
    _end_processing(ctx)
    d.current_step, d.current_unit_id = None, d.receiving_unit_id
    d.current_agency = d.receiving_agency
    d.assignee = None


@handler("reject")
def reject(ctx: Context) -> None:
    """Not eligible on the merits: a written reason is sent to the applicant."""
    _close(ctx)


@handler("stop")
def stop(ctx: Context) -> None:
    """Stop at the applicant's request, while no decision has been issued (Art. 21)."""
    if ctx.dossier.decided_at:
        raise NotAllowed(_("Đã có kết quả giải quyết: không thể dừng theo yêu cầu."))
    _close(ctx)


@handler("withdraw")
def withdraw(ctx: Context) -> None:
    if ctx.dossier.decided_at:
        raise NotAllowed(_("Đã có kết quả giải quyết: không thể rút hồ sơ."))
    _close(ctx)


@handler("apologise")
def apologise(ctx: Context) -> None:
    """Apology and new appointment (Mẫu 04): by the processing agency, once, no later than
    1 working day before the due date, with a reason and a later date (Decree 118/2025)."""
    d = ctx.dossier
    if d.apologised:
        raise NotAllowed(_("Hồ sơ đã xin lỗi, hẹn lại một lần; không được hẹn lại lần nữa."))
    if d.state == State.RECEIVED or d.current_step is None:
        raise NotAllowed(_("Hồ sơ chưa được chuyển đến cơ quan xử lý."))
    if ctx.now > clock.latest_apology(d):
        raise NotAllowed(
            _("Đã quá thời điểm xin lỗi, hẹn lại: chậm nhất 01 ngày làm việc trước ngày hẹn trả.")
        )
    new_due = ctx.params.get("new_due_at")
    if new_due is None or new_due <= d.due_at:
        raise InvalidInput(
            _("Ngày hẹn trả mới phải sau ngày hẹn hiện tại."), details={"new_due_at": "after_due"}
        )
    ctx.payload = {"old_due_at": _iso(d.due_at), "new_due_at": _iso(new_due)}
    d.due_at = new_due
    d.apologised = True
    ctx.to_state = d.state
    ctx.step = d.current_step


@handler("return_result")
def return_result(ctx: Context) -> None:
    """Hand the result over (counter or post); delivery time is kept apart from decision.

    A return by post takes ``returned_at``, the handover to the post, which only
    ``postal.services.return_by_post`` gives, with the carrier and tracking number it records
    (Decision 45/2016/QĐ-TTg): without it the return is refused. The return is early, on
    time or late from the instant the result was handed over."""
    d = ctx.dossier
    method = ctx.params.get("method") or d.result_delivery
    if method not in ("counter", "post", "online"):
        raise InvalidInput(_("Hình thức trả kết quả không hợp lệ."))
    given = ctx.params.get("returned_at")
    if method == "post" and not given:
        raise InvalidInput(
            _(
                "Trả kết quả qua bưu chính cần ghi nhận việc giao kết quả cho bưu chính: doanh "
                "nghiệp bưu chính, mã bưu gửi, thời điểm giao."
            ),
            details={"postal": "required"},
        )
    ready = d.finished_at.replace(second=0, microsecond=0) if d.finished_at else None
    if given and (given > ctx.now or (ready and given < ready)):
        raise InvalidInput(_("Thời điểm trả kết quả phải sau khi có kết quả, không ở tương lai."))
    d.returned_at = returned = given or ctx.now
    d.return_method = method
    d.returned_to = (ctx.params.get("returned_to") or d.applicant_name).strip()
    d.current_unit = d.current_agency = None
    ctx.payload = {"method": method, "returned_to": d.returned_to, "timeliness": d.timeliness}
    ctx.payload["return_timeliness"] = clock.timeliness(d, returned) if d.due_at else ""


@handler("archive")
def archive(ctx: Context) -> None:
    ctx.dossier.current_unit = ctx.dossier.current_agency = None
