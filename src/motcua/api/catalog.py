"""Public catalogue API (tra cứu thủ tục hành chính): thin callers of ``catalog.queries``.

Only published procedures are visible; no login is needed.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from motcua.catalog import queries
from motcua.catalog.models import Level, OnlineClass

router = Router(tags=["Thủ tục hành chính / Procedures"])


class ErrorOut(Schema):
    """Lỗi trả về / an error answer."""

    code: str = Field(description="Mã lỗi máy đọc được, ví dụ `not_found`.")
    message: str = Field(description="Thông báo cho người dùng (tiếng Việt).")


class FieldRefOut(Schema):
    id: int = Field(description="Số hiệu lĩnh vực trong hệ thống.")
    code: str = Field(description="Mã lĩnh vực không dấu, dùng để lọc (`field=`).")
    name: str = Field(description="Tên lĩnh vực (lĩnh vực), ví dụ Hộ tịch.")


class FieldOut(FieldRefOut):
    procedure_count: int = Field(description="Số thủ tục đã công bố thuộc lĩnh vực.")


class LevelOut(Schema):
    code: Level = Field(description="Mã cấp thực hiện.")
    label: str = Field(description="Tên cấp thực hiện, ví dụ Cấp xã.")


class ProcedureSummaryOut(Schema):
    code: str = Field(description="Mã thủ tục trên CSDL quốc gia, ví dụ 1.001193.")
    name: str = Field(description="Tên thủ tục.")
    field: FieldRefOut | None = Field(description="Lĩnh vực của thủ tục.")
    levels: list[LevelOut] = Field(description="Các cấp thực hiện (cấp thực hiện).")
    online_class: OnlineClass = Field(
        description="Mức dịch vụ công trực tuyến: `full` toàn trình, `partial` một phần, "
        "`none` không có (Nghị định 42/2022)."
    )
    online_class_label: str = Field(description="Tên mức dịch vụ công trực tuyến.")
    processing_time: str = Field(
        description="Thời hạn giải quyết tiêu biểu (nộp trực tiếp, nếu có), "
        "ví dụ “3 ngày làm việc”."
    )


class ProcedurePageOut(Schema):
    total: int = Field(description="Tổng số thủ tục khớp điều kiện.")
    limit: int = Field(description="Số thủ tục tối đa trong trang này.")
    offset: int = Field(description="Vị trí bắt đầu của trang (từ 0).")
    items: list[ProcedureSummaryOut] = Field(description="Thủ tục của trang, phù hợp nhất trước.")


class FeeOut(Schema):
    kind: str = Field(description="`fee` phí, `charge` lệ phí, `free` miễn phí, `text` chỉ mô tả.")
    kind_label: str = Field(description="Tên loại khoản thu.")
    amount: int | None = Field(description="Số tiền (đồng); trống nếu không công bố số tiền.")
    text: str = Field(description="Mô tả như công bố.")
    display: str = Field(description="Dòng hiển thị sẵn, ví dụ “Lệ phí: 50.000 đồng”.")


class ChannelOut(Schema):
    channel: str = Field(
        description="`counter` trực tiếp, `online` trực tuyến, `postal` dịch vụ bưu chính."
    )
    label: str = Field(description="Tên hình thức nộp.")
    time_value: float | None = Field(description="Giá trị thời hạn giải quyết.")
    time_unit: str = Field(
        description="Đơn vị: `working_days`, `working_hours`, `days`, `months`, `within_day`."
    )
    time_display: str = Field(description="Thời hạn dạng chữ, ví dụ “3 ngày làm việc”.")
    description: str = Field(description="Mô tả cách thức thực hiện.")
    fees: list[FeeOut] = Field(description="Phí, lệ phí của hình thức nộp này.")


class FormOut(Schema):
    file_name: str = Field(description="Tên tệp mẫu đơn, tờ khai như công bố.")
    url: str | None = Field(description="Đường dẫn tải tệp mẫu; trống khi chưa tải lên.")


class ComponentOut(Schema):
    name: str = Field(description="Tên giấy tờ (thành phần hồ sơ).")
    originals: int = Field(description="Số bản chính.")
    copies: int = Field(description="Số bản sao.")
    required: bool = Field(description="Bắt buộc; `false` là giấy tờ chỉ nộp khi có.")
    forms: list[FormOut] = Field(description="Mẫu đơn, tờ khai dùng cho giấy tờ này.")


class CaseOut(Schema):
    name: str = Field(description="Tên trường hợp, hoặc “Hồ sơ gồm”.")
    components: list[ComponentOut] = Field(description="Giấy tờ phải nộp trong trường hợp này.")


class PlaceOut(Schema):
    agency_identifier: str = Field(description="Mã định danh điện tử của cơ quan tiếp nhận.")
    agency_name: str = Field(description="Tên cơ quan tiếp nhận.")
    address: str = Field(description="Địa chỉ tiếp nhận hồ sơ.")
    phone: str = Field(description="Điện thoại liên hệ.")


class LegalRefOut(Schema):
    number: str = Field(description="Số hiệu văn bản, ví dụ 123/2015/NĐ-CP.")
    title: str = Field(description="Trích yếu.")
    issued_on: str = Field(description="Ngày ban hành như công bố.")
    issuer: str = Field(description="Cơ quan ban hành.")


class ResultOut(Schema):
    name: str = Field(description="Tên giấy tờ kết quả.")
    code: str = Field(description="Mã kết quả trên Cổng DVC quốc gia, ví dụ KQ.G12.000327.")


class ProcedureDetailOut(ProcedureSummaryOut):
    version_number: int = Field(description="Số phiên bản đang công bố.")
    decision_number: str = Field(description="Số quyết định công bố.")
    valid_from: dt.date | None = Field(description="Ngày bắt đầu áp dụng.")
    procedure_type: str = Field(description="Loại thủ tục.")
    applicant_types: list[str] = Field(description="Đối tượng thực hiện.")
    competent_agency: str = Field(description="Cơ quan có thẩm quyền (như công bố).")
    implementing_agency: str = Field(description="Cơ quan thực hiện (như công bố).")
    receiving_address_text: str = Field(description="Địa chỉ tiếp nhận (như công bố).")
    steps: str = Field(description="Trình tự thực hiện.")
    conditions: str = Field(description="Yêu cầu, điều kiện thực hiện.")
    legal_basis: list[LegalRefOut] = Field(description="Căn cứ pháp lý.")
    legal_basis_text: str = Field(description="Căn cứ pháp lý nguyên văn.")
    results: list[ResultOut] = Field(description="Kết quả thực hiện.")
    channels: list[ChannelOut] = Field(description="Cách thức thực hiện: thời hạn, phí theo kênh.")
    cases: list[CaseOut] = Field(description="Thành phần hồ sơ theo trường hợp.")
    places: list[PlaceOut] = Field(description="Cơ quan tiếp nhận hồ sơ và địa chỉ.")
    online_submission: bool = Field(description="Có dịch vụ công trực tuyến (toàn trình/một phần).")
    source_url: str = Field(description="Trang thủ tục trên Cổng Dịch vụ công quốc gia.")


class ProcedureFilterIn(Schema):
    q: str = Field("", max_length=200, description="Từ khóa: tên hoặc mã, có dấu hay không dấu.")
    field: str = Field("", description="Lĩnh vực: số hiệu hoặc mã (xem /api/v1/fields).")
    level: Level | None = Field(None, description="Cấp thực hiện.")
    agency: str = Field("", description="Mã định danh cơ quan tiếp nhận, ví dụ 000.21.26.H29.")
    online_class: OnlineClass | None = Field(None, description="Mức dịch vụ công trực tuyến.")
    limit: int = Field(20, ge=1, le=100, description="Số thủ tục mỗi trang (1–100).")
    offset: int = Field(0, ge=0, description="Bỏ qua bấy nhiêu thủ tục đầu (phân trang).")

    def to_filters(self) -> queries.CatalogueFilters:
        return queries.CatalogueFilters(
            q=self.q.strip(),
            field=self.field.strip(),
            agency=self.agency.strip(),
            level=self.level.value if self.level else "",
            online_class=self.online_class.value if self.online_class else "",
        )


@router.get("/procedures", response=ProcedurePageOut, summary="Tra cứu thủ tục hành chính")
def list_procedures(request: HttpRequest, params: Query[ProcedureFilterIn]):
    """Thủ tục đã công bố, lọc theo lĩnh vực, cấp, cơ quan, mức DVC trực tuyến; có `q` thì
    xếp theo mức độ phù hợp, không thì theo mã thủ tục."""
    results = queries.find_procedures(params.to_filters())
    items = results[params.offset : params.offset + params.limit]
    return {
        "total": results.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": items,
    }


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetailOut, 404: ErrorOut},
    summary="Chi tiết thủ tục hành chính",
)
def get_procedure(request: HttpRequest, code: str):
    """Toàn bộ nội dung công bố của một thủ tục: hồ sơ, thời hạn, phí, nơi nộp, căn cứ."""
    detail = queries.get_procedure(code)
    if detail is None:
        return Status(404, ErrorOut(code="not_found", message=queries.not_found_message(code)))
    return detail


@router.get("/fields", response=list[FieldOut], summary="Lĩnh vực thủ tục")
def list_fields(request: HttpRequest):
    """Các lĩnh vực có thủ tục đã công bố, kèm số thủ tục, theo tên."""
    return queries.fields_with_counts()
