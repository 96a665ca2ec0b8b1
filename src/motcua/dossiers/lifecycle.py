"""The one dossier lifecycle, declared as data (Decree 118/2025 Art. 15–21; Circular 03/2025).

States, the actions allowed in each, who may take them, where the permission scope is read
(the receiving point or the current step), what each does to the deadline clock and whether
the law requires a written reason. :mod:`motcua.dossiers.services` is the only code that
applies it; pages and the API only ask it which actions a user may take now.

Staff act through their roles in a scope. The applicant holds no role: an action's
``applicant_sources`` are the states in which the dossier's own applicant (or the
representative who filed it) may take it from their account (:func:`is_applicant`):

* answering a supplement request online (``receive_supplement``): the supplement reaches the
  agency the moment it is sent, so the pause ends then and the clock resumes, or restarts
  when the procedure says so (DOMAIN.md "Supplement during processing");
* withdrawing a dossier not yet received (``withdraw`` from ``submitted`` or
  ``needs_completion``): nothing has been accepted yet, so no officer decision is needed;
* after receipt, withdrawing or stopping is the agency's act: a stop needs the stop notice
  (Mẫu 05, Decree 118/2025 Art. 21, only while no decision has been issued) and a withdrawal
  the return of the paper originals. The applicant therefore only *asks*
  (``request_stop``, ``request_withdrawal``: the dossier keeps its state, the request is
  recorded on it) and the one-stop officer records ``stop`` or ``withdraw``, or declines
  the request in writing (``decline_request``: the state and the clock do not change, the
  applicant is told why; Decree 118/2025 Art. 21 lets the agency stop only while no decision
  has been issued, and a withdrawal needs the originals back).

Labels are Vietnamese source texts marked for translation (lazy: the table is built once, at
import, and shown in the language of each request).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org import permissions
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
    label: str  # a lazy translation of the Vietnamese label
    sources: frozenset[str]
    target: str | None  # None: decided by the handler (e.g. next step or resolved)
    roles: frozenset[str]
    scope: ScopeAt = ScopeAt.CURRENT
    clock: Clock = Clock.NONE
    reason_required: bool = False
    #: States in which the dossier's applicant may take the action themselves.
    applicant_sources: frozenset[str] = frozenset()
    #: Offered only while the applicant has an open request to stop or withdraw (the
    #: handler refuses otherwise; pages ask :func:`motcua.dossiers.queries.offered`).
    needs_open_request: bool = False

    @property
    def permission(self) -> str:
        return f"dossier.{self.name}"


def _spec(name, label, sources, target, roles, *, applicant=(), **kw) -> ActionSpec:
    return ActionSpec(
        name,
        label,
        frozenset(sources),
        target,
        frozenset(roles),
        applicant_sources=frozenset(applicant),
        **kw,
    )


R, S, L = Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER
WORKING = (State.IN_PROCESS,)
OPEN = tuple(OPEN_STATES)
#: Received and not decided: where a stop at the applicant's request applies (Art. 21).
STOPPABLE = (
    State.RECEIVED,
    State.IN_PROCESS,
    State.SUPPLEMENT_REQUESTED,
    State.AWAITING_OBLIGATION,
)
#: Received dossiers that may still be withdrawn.
RECEIVED_WITHDRAWABLE = (State.RECEIVED, State.IN_PROCESS, State.SUPPLEMENT_REQUESTED)

ACTIONS: dict[str, ActionSpec] = {
    a.name: a
    for a in [
        _spec(
            "receive",
            _("Tiếp nhận hồ sơ"),
            [State.SUBMITTED],
            State.RECEIVED,
            [R],
            scope=ScopeAt.RECEIVING,
            clock=Clock.START,
        ),
        _spec(
            "request_completion",
            _("Yêu cầu bổ sung, hoàn thiện (Mẫu 02)"),
            [State.SUBMITTED],
            State.NEEDS_COMPLETION,
            [R],
            scope=ScopeAt.RECEIVING,
            reason_required=True,
        ),
        _spec(
            "refuse",
            _("Từ chối tiếp nhận (Mẫu 03)"),
            [State.SUBMITTED],
            State.REFUSED,
            [R],
            scope=ScopeAt.RECEIVING,
            reason_required=True,
        ),
        _spec(
            "transfer",
            _("Chuyển xử lý"),
            [State.RECEIVED],
            State.IN_PROCESS,
            [R],
            scope=ScopeAt.RECEIVING,
        ),
        _spec("assign", _("Phân công xử lý"), WORKING, State.IN_PROCESS, [L, S]),
        _spec("complete_step", _("Hoàn thành bước, chuyển bước tiếp"), WORKING, None, [R, S]),
        _spec(
            "send_back",
            _("Trả lại bước trước"),
            WORKING,
            State.IN_PROCESS,
            [R, S, L],
            reason_required=True,
        ),
        _spec(
            "request_supplement",
            _("Yêu cầu bổ sung hồ sơ"),
            WORKING,
            State.SUPPLEMENT_REQUESTED,
            [S, L],
            clock=Clock.PAUSE,
            reason_required=True,
        ),
        _spec(
            "receive_supplement",
            _("Nhận hồ sơ bổ sung"),
            [State.SUPPLEMENT_REQUESTED],
            State.IN_PROCESS,
            [R, S],
            scope=ScopeAt.EITHER,
            clock=Clock.RESUME,
            applicant=[State.SUPPLEMENT_REQUESTED],  # answered online
        ),
        _spec(
            "await_obligation",
            _("Chờ thực hiện nghĩa vụ tài chính"),
            WORKING,
            State.AWAITING_OBLIGATION,
            [R, S],
            clock=Clock.PAUSE,
            reason_required=True,
        ),
        _spec(
            "end_obligation",
            _("Đã thực hiện nghĩa vụ tài chính"),
            [State.AWAITING_OBLIGATION],
            State.IN_PROCESS,
            [R, S],
            scope=ScopeAt.EITHER,
            clock=Clock.RESUME,
        ),
        _spec("approve", _("Phê duyệt, ký kết quả"), WORKING, None, [L]),
        _spec(
            "reject",
            _("Không đủ điều kiện giải quyết"),
            WORKING,
            State.NOT_ELIGIBLE,
            [L],
            clock=Clock.STOP,
            reason_required=True,
        ),
        _spec(
            "stop",
            _("Dừng giải quyết theo yêu cầu (Mẫu 05)"),
            STOPPABLE,
            State.STOPPED,
            [R],
            scope=ScopeAt.RECEIVING,
            clock=Clock.STOP,
            reason_required=True,
        ),
        _spec(
            "withdraw",
            _("Rút hồ sơ"),
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
            applicant=[State.SUBMITTED, State.NEEDS_COMPLETION],  # not yet received
        ),
        _spec(
            "request_stop",
            _("Người nộp đề nghị dừng giải quyết"),
            STOPPABLE,
            None,  # the state stays; the officer records "stop" (Mẫu 05)
            [],
            scope=ScopeAt.RECEIVING,
            reason_required=True,
            applicant=STOPPABLE,
        ),
        _spec(
            "request_withdrawal",
            _("Người nộp đề nghị rút hồ sơ"),
            RECEIVED_WITHDRAWABLE,
            None,  # the state stays; the officer records "withdraw"
            [],
            scope=ScopeAt.RECEIVING,
            reason_required=True,
            applicant=RECEIVED_WITHDRAWABLE,
        ),
        _spec(
            "decline_request",
            _("Không chấp thuận đề nghị dừng, rút hồ sơ của người nộp"),
            STOPPABLE,  # every state in which a request may be open
            None,  # the state and the clock stay; the request is closed
            [R],  # whoever may record the stop or the withdrawal
            scope=ScopeAt.RECEIVING,
            reason_required=True,
            needs_open_request=True,
        ),
        _spec(
            "apologise",
            _("Xin lỗi và hẹn lại ngày trả (Mẫu 04)"),
            OPEN,
            None,
            [S, L],
            reason_required=True,
        ),
        _spec(
            "return_result",
            _("Trả kết quả"),
            [State.RESOLVED],
            State.RETURNED,
            [R],
            scope=ScopeAt.RECEIVING,
        ),
        _spec(
            "archive",
            _("Lưu trữ"),
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


#: Actions the applicant takes from their account, for their pages.
APPLICANT_ACTIONS = tuple(a.name for a in ACTIONS.values() if a.applicant_sources)
_APPLICANT_IDS = "_motcua_applicant_ids"


def applicant_ids(user) -> frozenset[str]:
    """The ID numbers (or tax code) ``user`` files under: their citizen profile's; one query
    the first time, then kept on the user object for the request (staff have none)."""
    cached = getattr(user, _APPLICANT_IDS, None)
    if cached is not None:
        return cached
    ids: frozenset[str] = frozenset()
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active:
        from motcua.accounts.models import CitizenProfile

        ids = frozenset(
            CitizenProfile.objects.filter(user_id=user.pk).values_list("id_number", flat=True)
        )
        ids = frozenset(i for i in ids if i)
    setattr(user, _APPLICANT_IDS, ids)
    return ids


def is_applicant(user, dossier) -> bool:
    """Whether ``user`` is the dossier's applicant, or the representative who filed it.

    A staff account (one holding roles) never acts as an applicant: officers who file their
    own dossiers do so from a citizen account, which keeps the two apart in the event log
    (and costs staff pages no query: their grants are already loaded)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_staff", False) or permissions.grants_of(user):
        return False
    ids = applicant_ids(user)
    return bool(ids) and (
        dossier.applicant_id_number in ids
        or bool(dossier.representative_id_number and dossier.representative_id_number in ids)
    )


def applicant_may(user, spec: ActionSpec, dossier) -> bool:
    """The applicant's own permission: the action allows it in the dossier's state."""
    return dossier.state in spec.applicant_sources and is_applicant(user, dossier)
