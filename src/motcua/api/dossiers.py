"""Dossier API (hồ sơ): create with an idempotency key, list work queues, read one, take
actions, read the event log. Thin: every decision is made in ``motcua.dossiers``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.responses import Response as JSONResponse

from motcua.api.auth import auth
from motcua.catalog.models import Channel
from motcua.dossiers import queries
from motcua.dossiers.errors import InvalidInput, NotFound
from motcua.dossiers.intake import offering_for_intake
from motcua.dossiers.lifecycle import ACTIONS, State
from motcua.dossiers.models import ApplicantKind, Dossier, ResultDelivery
from motcua.dossiers.services import (
    Applicant,
    NewDossier,
    available_actions,
    create_dossier,
)
from motcua.org import permissions
from motcua.postal import services as postal
from motcua.postal.models import Carrier

router = Router(tags=["Hồ sơ / Dossiers"], auth=auth)


class ErrorOut(Schema):
    code: str = Field(description="Mã lỗi: invalid, forbidden, not_allowed, conflict, not_found.")
    message: str = Field(description="Thông báo tiếng Việt: sai ở đâu và cần làm gì.")
    details: dict = Field(default_factory=dict, description="Lỗi theo từng trường, nếu có.")


class ApplicantIn(Schema):
    kind: ApplicantKind = Field(ApplicantKind.PERSON, description="`person` hoặc `organisation`.")
    name: str = Field(description="Họ tên người nộp hoặc tên tổ chức.")
    id_number: str = Field(description="Số định danh 12 chữ số (CCCD) hoặc mã số thuế.")
    birth_date: dt.date | None = Field(None, description="Ngày sinh (cá nhân).")
    phone: str = Field("", description="Điện thoại.")
    email: str = Field("", description="Thư điện tử.")
    address: str = Field("", description="Địa chỉ liên hệ.")
    representative_name: str = Field("", description="Người nộp thay theo ủy quyền.")
    representative_id_number: str = Field("", description="Số định danh người nộp thay.")


class ComponentIn(Schema):
    spec_id: int | None = Field(None, description="Mã thành phần hồ sơ trong danh mục.")
    name: str = Field(description="Tên giấy tờ.")
    originals: int = Field(0, ge=0, description="Số bản chính.")
    copies: int = Field(0, ge=0, description="Số bản sao.")


class PostalIn(Schema):
    """A handover with the post (Decision 45/2016/QĐ-TTg)."""

    carrier: Carrier = Field(description="vnpost, viettel_post hoặc other.")
    carrier_other: str = Field("", description="Tên doanh nghiệp bưu chính khác (khi other).")
    tracking_number: str = Field(description="Mã bưu gửi (số vận đơn), tối đa 40 ký tự.")
    handed_over_at: dt.datetime = Field(
        description="Lúc giao nhận với nhân viên bưu chính (có múi giờ; không ở tương lai). "
        "Hồ sơ nộp qua bưu chính được tính tiếp nhận từ thời điểm này."
    )
    fee: int = Field(0, description="Cước bưu chính (đồng), tách riêng với phí, lệ phí.")
    postal_employee: str = Field("", description="Nhân viên bưu chính (nếu có).")

    def handover(self) -> postal.Handover:
        return postal.Handover(**self.dict())


class DossierIn(Schema):
    agency: str = Field(description="Mã định danh cơ quan tiếp nhận, ví dụ 000.21.26.H29.")
    procedure: str = Field(description="Mã thủ tục, ví dụ 1.001193.")
    channel: Channel = Field(Channel.COUNTER, description="counter, online hoặc postal.")
    case_id: int | None = Field(None, description="Trường hợp của thủ tục.")
    applicant: ApplicantIn
    components: list[ComponentIn] = Field(default_factory=list, description="Giấy tờ đã nhận.")
    result_delivery: ResultDelivery = Field(ResultDelivery.COUNTER, description="Nơi nhận kết quả.")
    receive: bool = Field(False, description="Tiếp nhận ngay (tại quầy): cấp mã và hẹn trả.")
    postal: PostalIn | None = Field(
        None,
        description="Nhân viên bưu chính giao hồ sơ: bắt buộc với channel postal, chỉ dùng khi "
        "đó. Hồ sơ được tính nộp và tiếp nhận từ thời điểm giao nhận này.",
    )


class QueueFiltersIn(Schema):
    procedure: str = Field("", description="Mã thủ tục.")
    state: State | None = Field(None, description="Trạng thái hồ sơ.")
    channel: Channel | None = Field(None, description="Hình thức nộp.")
    received_from: dt.date | None = Field(None, description="Tiếp nhận từ ngày.")
    received_to: dt.date | None = Field(None, description="Tiếp nhận đến ngày.")
    request: queries.RequestFilter | None = Field(
        None,
        description="Hồ sơ có đề nghị của công dân đang chờ xử lý: any (dừng hoặc rút), stop "
        "(đề nghị dừng giải quyết), withdraw (đề nghị rút hồ sơ).",
    )

    def to_filters(self) -> queries.QueueFilters:
        return queries.QueueFilters(
            procedure_code=self.procedure,
            state=self.state or "",
            channel=self.channel or "",
            received_from=self.received_from,
            received_to=self.received_to,
            request=self.request or "",
        )


class DossierRowOut(Schema):
    code: str | None = Field(description="Mã hồ sơ (có sau khi tiếp nhận).")
    reference: str = Field(description="Mã tra cứu tạm trước khi tiếp nhận.")
    version: int = Field(description="Phiên bản bản ghi; gửi lại khi thao tác.")
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_masked: str = Field(description="Số định danh đã che, chỉ còn 4 số cuối.")
    channel: str
    state: str
    state_label: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    urgency: str = Field(description="on_track, warn, due_soon, overdue hoặc none.")
    working_minutes_left: int | None = Field(description="Số phút làm việc còn lại (âm: quá).")
    current_step: str | None
    assignee: str | None
    stop_requested: bool = Field(False, description="Công dân đề nghị dừng giải quyết.")
    withdrawal_requested: bool = Field(False, description="Công dân đề nghị rút hồ sơ.")


class DossierOut(DossierRowOut):
    applicant_id_number: str
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    result_code: str
    timeliness: str
    apologised: bool
    actions: list[str] = Field(description="Các thao tác người dùng được làm lúc này.")


class DossierPageOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[DossierRowOut]


class ActionIn(Schema):
    expected_version: int | None = Field(None, description="Phiên bản đã xem; khác thì 409.")
    reason: str = Field("", description="Lý do, nội dung (bắt buộc với một số thao tác).")
    assignee_id: int | None = Field(None, description="Cán bộ được giao (assign).")
    override: bool = Field(False, description="Xác nhận yêu cầu bổ sung lần hai.")
    new_due_at: dt.datetime | None = Field(None, description="Ngày hẹn mới (apologise).")
    deficiencies: list[str] = Field(default_factory=list, description="Nội dung cần bổ sung.")
    returned_to: str = Field("", description="Người nhận kết quả.")
    method: str = Field("", description="Hình thức trả: counter, post, online.")
    request: str = Field(
        "",
        description="decline_request: đề nghị bị từ chối, stop hoặc withdraw (để trống: mọi "
        "đề nghị đang chờ).",
    )
    postal: PostalIn | None = Field(
        None,
        description="Giao kết quả cho bưu chính: bắt buộc khi return_result với method post "
        "(hoặc nơi nhận kết quả là post), chỉ dùng khi đó.",
    )


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    reason: str
    payload: dict


def _row(d: Dossier, now) -> dict:
    level, left = queries.urgency(d, now)
    return {
        "code": d.code,
        "reference": d.reference,
        "version": d.version,
        "procedure_code": d.procedure_version.procedure.code,
        "procedure_name": d.procedure_version.name,
        "applicant_name": d.applicant_name,
        "applicant_id_masked": d.masked_id(),
        "channel": d.channel,
        "state": d.state,
        "state_label": str(State(d.state).label),
        "received_at": d.received_at,
        "due_at": d.due_at,
        "urgency": str(level),
        "working_minutes_left": left,
        "current_step": d.current_step.name if d.current_step else None,
        "assignee": str(d.assignee) if d.assignee_id else None,
        "stop_requested": bool(getattr(d, "stop_requested", False)),
        "withdrawal_requested": bool(getattr(d, "withdrawal_requested", False)),
    }


def _detail(d: Dossier, user) -> dict:
    return {
        **_row(d, timezone.now()),
        "applicant_id_number": d.applicant_id_number,
        "applicant_phone": d.applicant_phone,
        "applicant_email": d.applicant_email,
        "applicant_address": d.applicant_address,
        "result_code": d.result_code,
        "timeliness": d.timeliness,
        "apologised": d.apologised,
        "actions": [a.name for a in available_actions(d, user)],
    }


def _visible(d: Dossier, user) -> bool:
    return permissions.can(user, "dossier.view", d.permission_scope()) or permissions.can(
        user, "dossier.view", d.receiving_scope()
    )


def _get(code: str, user) -> Dossier:
    d = queries.dossier_detail(code)
    if d is None or not _visible(d, user):
        raise NotFound()
    return d


@router.post(
    "/dossiers",
    response={200: DossierOut, 201: DossierOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
)
def create(
    request, body: DossierIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
):
    """Tạo hồ sơ; gửi lại cùng `Idempotency-Key` trả về hồ sơ đã tạo (200), không tạo mới."""
    offering = offering_for_intake(body.agency, body.procedure, body.channel, body.case_id)
    if offering is None:
        raise InvalidInput(
            gettext("Cơ quan này không cung cấp thủ tục đã chọn."),
            details={"procedure": "not_offered"},
        )
    a = body.applicant
    data = NewDossier(
        offering=offering,
        channel=body.channel,
        case_id=body.case_id,
        applicant=Applicant(**a.dict()),
        components=tuple((c.spec_id, c.name, c.originals, c.copies) for c in body.components),
        result_delivery=body.result_delivery,
    )
    action, key = ("receive" if body.receive else None), idempotency_key
    if body.channel == Channel.POSTAL or body.postal is not None:  # the handover is required
        handover = body.postal.handover() if body.postal is not None else None
        dossier, created = postal.intake_by_post(
            request.user, data, handover, idempotency_key=key, action=action
        )
    else:
        dossier, created = create_dossier(request.user, data, idempotency_key=key, action=action)
    if not created:
        return Status(200, _detail(_get(dossier.reference, request.user), request.user))
    return Status(201, _detail(dossier, request.user))  # answered from what was just written


@router.get("/dossiers", response={200: DossierPageOut, 400: ErrorOut})
def list_dossiers(
    request,
    filters: Query[QueueFiltersIn],
    queue: queries.Queue = queries.Queue.UNIT,
    limit: int = Query(50, ge=1, le=100),
    offset: int = Query(0, ge=0),
):
    """Hàng đợi công việc của người dùng, hồ sơ gấp nhất trước."""
    qs = queries.queue(request.user, queue, filters=filters.to_filters())
    now = timezone.now()
    page = list(qs[offset : offset + limit])
    data = {
        "total": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [_row(d, now) for d in page],
    }
    # The rows are built here to the schema above (the OpenAPI document keeps it); sending
    # them as they are spares re-validating 100 rows field by field, a quarter of the CPU.
    return JSONResponse(data)


@router.get("/dossiers/{code}", response={200: DossierOut, 404: ErrorOut})
def retrieve(request, code: str):
    """Một hồ sơ với dữ liệu đầy đủ (chỉ trong phạm vi quyền của người dùng)."""
    return _detail(_get(code, request.user), request.user)


@router.post(
    "/dossiers/{code}/actions/{action}",
    response={200: DossierOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def act(request, code: str, action: str, body: ActionIn):
    """Thực hiện một thao tác của quy trình hồ sơ (xem danh sách `actions` của hồ sơ)."""
    if action not in ACTIONS:
        message = gettext("Thao tác không tồn tại: %(action)s.") % {"action": action}
        raise InvalidInput(message, details={"action": "unknown"})
    d = _get(code, request.user)
    params = body.dict(exclude={"expected_version", "postal"})
    handover = body.postal.handover() if body.postal is not None else None
    # a receipt from the post dates from the handover; a return by post records one
    d = postal.act(
        d, action, request.user, handover=handover, expected_version=body.expected_version, **params
    )
    return _detail(_get(d.code or d.reference, request.user), request.user)


@router.get("/dossiers/{code}/events", response={200: list[EventOut], 404: ErrorOut})
def events(request, code: str):
    """Nhật ký sự kiện của hồ sơ (chỉ thêm, không sửa)."""
    d = _get(code, request.user)
    return [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor_name,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "reason": e.reason,
            "payload": e.payload,
        }
        for e in queries.history(d)
    ]
