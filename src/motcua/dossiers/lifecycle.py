"""The one dossier lifecycle, declared as data (Decree 118/2025 Art. 15–21; Circular 03/2025).

States, the actions allowed in each, who may take them, where the permission scope is read
(the receiving point or the current step), what each does to the deadline clock and whether
the law requires a written reason. :mod:`motcua.dossiers.services` is the only code that
applies it; pages and the API only ask it which actions a user may take now.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Role
from motcua.org.permissions import register_action


class State(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    NEEDS_COMPLETION = "needs_completion", _("Yêu cầu bổ sung, hoàn thiện (khi tiếp nhận)")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROCESS = "in_process", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Chờ bổ sung hồ sơ")
    AWAITING_OBLIGATION = "awaiting_obligation", _("Chờ thực hiện nghĩa vụ tài chính")
    RESOLVED = "resolved", _("Có kết quả, chờ trả")
    NOT_ELIGIBLE = "not_eligible", _("Không đủ điều kiện giải quyết")
    STOPPED = "stopped", _("Dừng giải quyết theo yêu cầu")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    RETURNED = "returned", _("Đã trả kết quả")
    ARCHIVED = "archived", _("Đã lưu trữ")


#: States in which the processing clock runs or is paused (the dossier is "open").
OPEN_STATES = frozenset(
    {State.RECEIVED, State.IN_PROCESS, State.SUPPLEMENT_REQUESTED, State.AWAITING_OBLIGATION}
)
PAUSED_STATES = frozenset({State.SUPPLEMENT_REQUESTED, State.AWAITING_OBLIGATION})
#: End of processing (DOMAIN.md "Timeliness"): the first of these reached.
END_STATES = frozenset(
    {
        State.RESOLVED,
        State.NOT_ELIGIBLE,
        State.STOPPED,
        State.WITHDRAWN,
        State.REFUSED,
        State.RETURNED,
    }
)


class Clock(StrEnum):
    NONE = "none"
    START = "start"  # receipt: the due date is computed
    PAUSE = "pause"  # a pause opens
    RESUME = "resume"  # the pause closes; the due date moves by the paused working time
    STOP = "stop"  # processing ends; timeliness is classified


class ScopeAt(StrEnum):
    RECEIVING = "receiving"  # the one-stop unit that received the dossier
    CURRENT = "current"  # the unit that owns the current step
    EITHER = "either"  # either of them (e.g. a supplement brought to the counter)


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: decided by the handler (e.g. next step or resolved)
    roles: frozenset[str]
    scope: ScopeAt = ScopeAt.CURRENT
    clock: Clock = Clock.NONE
    reason_required: bool = False

    @property
    def permission(self) -> str:
        return f"dossier.{self.name}"


def _spec(name, label, sources, target, roles, **kw) -> ActionSpec:
    return ActionSpec(name, label, frozenset(sources), target, frozenset(roles), **kw)


R, S, L = Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER
WORKING = (State.IN_PROCESS,)
OPEN = tuple(OPEN_STATES)

ACTIONS: dict[str, ActionSpec] = {
    a.name: a
    for a in [
        _spec(
            "receive",
            "Tiếp nhận hồ sơ",
            [State.SUBMITTED],
            State.RECEIVED,
            [R],
            scope=ScopeAt.RECEIVING,
            clock=Clock.START,
        ),
        _spec(
            "request_completion",
            "Yêu cầu bổ sung, hoàn thiện (Mẫu 02)",
            [State.SUBMITTED],
            State.NEEDS_COMPLETION,
            [R],
            scope=ScopeAt.RECEIVING,
            reason_required=True,
        ),
        _spec(
            "refuse",
            "Từ chối tiếp nhận (Mẫu 03)",
            [State.SUBMITTED],
            State.REFUSED,
            [R],
            scope=ScopeAt.RECEIVING,
            reason_required=True,
        ),
        _spec(
            "transfer",
            "Chuyển xử lý",
            [State.RECEIVED],
            State.IN_PROCESS,
            [R],
            scope=ScopeAt.RECEIVING,
        ),
        _spec("assign", "Phân công xử lý", WORKING, State.IN_PROCESS, [L, S]),
        _spec("complete_step", "Hoàn thành bước, chuyển bước tiếp", WORKING, None, [R, S]),
        _spec(
            "send_back",
            "Trả lại bước trước",
            WORKING,
            State.IN_PROCESS,
            [R, S, L],
            reason_required=True,
        ),
        _spec(
            "request_supplement",
            "Yêu cầu bổ sung hồ sơ",
            WORKING,
            State.SUPPLEMENT_REQUESTED,
            [S, L],
            clock=Clock.PAUSE,
            reason_required=True,
        ),
        _spec(
            "receive_supplement",
            "Nhận hồ sơ bổ sung",
            [State.SUPPLEMENT_REQUESTED],
            State.IN_PROCESS,
            [R, S],
            scope=ScopeAt.EITHER,
            clock=Clock.RESUME,
        ),
        _spec(
            "await_obligation",
            "Chờ thực hiện nghĩa vụ tài chính",
            WORKING,
            State.AWAITING_OBLIGATION,
            [R, S],
            clock=Clock.PAUSE,
            reason_required=True,
        ),
        _spec(
            "end_obligation",
            "Đã thực hiện nghĩa vụ tài chính",
            [State.AWAITING_OBLIGATION],
            State.IN_PROCESS,
            [R, S],
            scope=ScopeAt.EITHER,
            clock=Clock.RESUME,
        ),
        _spec("approve", "Phê duyệt, ký kết quả", WORKING, None, [L]),
        _spec(
            "reject",
            "Không đủ điều kiện giải quyết",
            WORKING,
            State.NOT_ELIGIBLE,
            [L],
            clock=Clock.STOP,
            reason_required=True,
        ),
        _spec(
            "stop",
            "Dừng giải quyết theo yêu cầu (Mẫu 05)",
            [
                State.RECEIVED,
                State.IN_PROCESS,
                State.SUPPLEMENT_REQUESTED,
                State.AWAITING_OBLIGATION,
            ],
            State.STOPPED,
            [R],
            scope=ScopeAt.RECEIVING,
            clock=Clock.STOP,
            reason_required=True,
        ),
        _spec(
            "withdraw",
            "Rút hồ sơ",
            [
                State.SUBMITTED,
                State.NEEDS_COMPLETION,
                State.RECEIVED,
                State.IN_PROCESS,
                State.SUPPLEMENT_REQUESTED,
            ],
            State.WITHDRAWN,
            [R],
            scope=ScopeAt.RECEIVING,
            clock=Clock.STOP,
            reason_required=True,
        ),
        _spec(
            "apologise",
            "Xin lỗi và hẹn lại ngày trả (Mẫu 04)",
            OPEN,
            None,
            [S, L],
            reason_required=True,
        ),
        _spec(
            "return_result",
            "Trả kết quả",
            [State.RESOLVED],
            State.RETURNED,
            [R],
            scope=ScopeAt.RECEIVING,
        ),
        _spec(
            "archive",
            "Lưu trữ",
            [State.RETURNED, State.REFUSED, State.NOT_ELIGIBLE, State.STOPPED, State.WITHDRAWN],
            State.ARCHIVED,
            [R],
            scope=ScopeAt.RECEIVING,
        ),
    ]
}

for _action in ACTIONS.values():
    register_action(_action.permission, _action.roles)
register_action("dossier.view", {R, S, L, Role.SUPERVISOR, Role.ADMINISTRATOR}, read_only=True)


def allowed_in(state: str) -> list[ActionSpec]:
    """The actions whose source states include ``state``, in declaration order."""
    return [a for a in ACTIONS.values() if state in a.sources]
