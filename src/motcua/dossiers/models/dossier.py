"""The dossier (hồ sơ): who applied for what, where it stands, its dates and its result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Channel, Offering, ProcedureCase, ProcedureVersion
from motcua.catalog.models import TimeUnit as LimitUnit
from motcua.dossiers.lifecycle import OPEN_STATES, State
from motcua.org.models import Agency, Counter, Unit
from motcua.org.permissions import Scope

USER = settings.AUTH_USER_MODEL


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class ResultDelivery(models.TextChoices):
    COUNTER = "counter", _("Nhận tại bộ phận một cửa")
    POST = "post", _("Nhận qua dịch vụ bưu chính")
    ONLINE = "online", _("Nhận bản điện tử trực tuyến")


class FeeStatus(models.TextChoices):
    NONE = "none", _("Không thu")
    PENDING = "pending", _("Chưa nộp")
    PAID = "paid", _("Đã nộp")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Dossier(models.Model):
    """One application (hồ sơ) from intake to archive; state changes only through services."""

    code = models.CharField(
        _("mã hồ sơ"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Cấp khi tiếp nhận, không bao giờ đổi (Thông tư 03/2025 Điều 13)."),
    )
    reference = models.CharField(
        _("mã tra cứu tạm"),
        max_length=20,
        unique=True,
        help_text=_("Mã nhận diện hồ sơ trước khi được tiếp nhận (nộp trực tuyến)."),
    )
    idempotency_key = models.CharField(
        _("khóa chống gửi trùng"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Khóa do bên gửi cung cấp; gửi lại cùng khóa không tạo hồ sơ mới."),
    )
    version = models.PositiveIntegerField(
        _("phiên bản bản ghi"),
        default=1,
        help_text=_("Tăng sau mỗi thao tác; dùng phát hiện thao tác đồng thời."),
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("thủ tục (phiên bản)"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text=_("Phiên bản thủ tục áp dụng khi tiếp nhận."),
    )
    case = models.ForeignKey(
        ProcedureCase,
        verbose_name=_("trường hợp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Trường hợp của thủ tục."),
    )
    offering = models.ForeignKey(
        Offering,
        verbose_name=_("thủ tục tại cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text=_("Cung cấp thủ tục của cơ quan tiếp nhận (quy trình nội bộ)."),
    )
    channel = models.CharField(
        _("hình thức nộp"),
        max_length=10,
        choices=Channel.choices,
        help_text=_("Trực tiếp, trực tuyến hoặc bưu chính."),
    )
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan có bộ phận một cửa tiếp nhận hồ sơ; mã hồ sơ theo cơ quan này."),
    )
    receiving_unit = models.ForeignKey(
        Unit,
        verbose_name=_("bộ phận tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Bộ phận một cửa tiếp nhận."),
    )
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("quầy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Quầy tiếp nhận (nộp trực tiếp)."),
    )
    competent_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan có thẩm quyền"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan quyết định giải quyết hồ sơ."),
    )
    # Applicant (người nộp) — personal data, masked wherever not needed in full.
    applicant_kind = models.CharField(
        _("loại người nộp"),
        max_length=12,
        choices=ApplicantKind.choices,
        default=ApplicantKind.PERSON,
        help_text=_("Cá nhân hoặc tổ chức."),
    )
    applicant_name = models.CharField(
        _("họ tên / tên tổ chức"), max_length=255, help_text=_("Người đứng tên hồ sơ.")
    )
    applicant_id_number = models.CharField(
        _("số định danh / mã số thuế"),
        max_length=20,
        db_index=True,
        help_text=_("Số định danh cá nhân 12 chữ số (CCCD) hoặc mã số thuế của tổ chức."),
    )
    applicant_birth_date = models.DateField(
        _("ngày sinh"), null=True, blank=True, help_text=_("Ngày sinh của cá nhân.")
    )
    applicant_phone = models.CharField(
        _("điện thoại"), max_length=20, blank=True, help_text=_("Số điện thoại liên hệ.")
    )
    applicant_email = models.EmailField(
        _("thư điện tử"), blank=True, help_text=_("Địa chỉ nhận thông báo.")
    )
    applicant_address = models.CharField(
        _("địa chỉ"), max_length=255, blank=True, help_text=_("Địa chỉ liên hệ.")
    )
    representative_name = models.CharField(
        _("người được ủy quyền"),
        max_length=255,
        blank=True,
        help_text=_("Người nộp thay theo ủy quyền, nếu có."),
    )
    representative_id_number = models.CharField(
        _("số định danh người được ủy quyền"),
        max_length=20,
        blank=True,
        help_text=_("Số định danh cá nhân của người nộp thay."),
    )
    representative_phone = models.CharField(
        _("điện thoại người được ủy quyền"),
        max_length=20,
        blank=True,
        help_text=_("Số điện thoại."),
    )
    result_delivery = models.CharField(
        _("nơi nhận kết quả"),
        max_length=10,
        choices=ResultDelivery.choices,
        default=ResultDelivery.COUNTER,
        help_text=_("Tại quầy, qua bưu chính hoặc trực tuyến."),
    )
    sets = models.PositiveSmallIntegerField(
        _("số bộ hồ sơ"), default=1, help_text=_("Số bộ hồ sơ nộp.")
    )
    fee_status = models.CharField(
        _("phí, lệ phí"),
        max_length=8,
        choices=FeeStatus.choices,
        default=FeeStatus.NONE,
        help_text=_("Tình trạng nộp phí."),
    )
    fee_amount = models.PositiveBigIntegerField(
        _("số tiền phí (đồng)"), null=True, blank=True, help_text=_("Tổng phí, lệ phí phải nộp.")
    )
    # The clock.
    limit_value = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Thời hạn theo thủ tục khi tiếp nhận."),
    )
    limit_unit = models.CharField(
        _("đơn vị thời hạn"),
        max_length=14,
        choices=LimitUnit.choices,
        blank=True,
        help_text=_("Đơn vị của thời hạn."),
    )
    submitted_at = models.DateTimeField(_("nộp lúc"), help_text=_("Thời điểm hồ sơ được nộp."))
    received_at = models.DateTimeField(
        _("tiếp nhận lúc"),
        null=True,
        blank=True,
        help_text=_("Thời điểm tiếp nhận; bắt đầu tính hạn."),
    )
    due_at = models.DateTimeField(
        _("hẹn trả"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Thời điểm hẹn trả kết quả hiện hành."),
    )
    original_due_at = models.DateTimeField(
        _("hẹn trả ban đầu"),
        null=True,
        blank=True,
        help_text=_("Hẹn trả ghi trên phiếu tiếp nhận, trước khi xin lỗi hẹn lại."),
    )
    state = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=State.choices,
        default=State.SUBMITTED,
        help_text=_("Trạng thái hiện tại."),
    )
    current_step = models.ForeignKey(
        "StepInstance",
        verbose_name=_("bước hiện tại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Bước đang xử lý."),
    )
    current_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị giữ hồ sơ."),
    )
    current_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan giữ hồ sơ."),
    )
    assignee = models.ForeignKey(
        USER,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Cán bộ đang được giao hồ sơ."),
    )
    apologised = models.BooleanField(
        _("đã xin lỗi, hẹn lại"), default=False, help_text=_("Chỉ được xin lỗi, hẹn lại một lần.")
    )
    supplement_requests = models.PositiveSmallIntegerField(
        _("số lần yêu cầu bổ sung"),
        default=0,
        help_text=_("Từ lần thứ hai hồ sơ bị tính là trễ hạn trong Bộ chỉ số 766."),
    )
    late_by_rule = models.BooleanField(
        _("tính là trễ hạn"),
        default=False,
        help_text=_("Đánh dấu khi yêu cầu bổ sung lần thứ hai (Quyết định 766)."),
    )
    result_count = models.PositiveSmallIntegerField(
        _("số kết quả"), default=0, help_text=_("Số văn bản kết quả đã cấp.")
    )
    result_code = models.CharField(
        _("mã kết quả"), max_length=70, blank=True, help_text=_("<mã hồ sơ>-KQ<n>.")
    )
    decided_at = models.DateTimeField(
        _("ký kết quả lúc"), null=True, blank=True, help_text=_("Thời điểm có quyết định/kết quả.")
    )
    signer = models.ForeignKey(
        USER,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Lãnh đạo ký kết quả."),
    )
    finished_at = models.DateTimeField(
        _("kết thúc xử lý lúc"),
        null=True,
        blank=True,
        help_text=_("Lần đầu vào trạng thái kết thúc."),
    )
    timeliness = models.CharField(
        _("kết quả đúng hạn"),
        max_length=8,
        blank=True,
        choices=Timeliness.choices,
        help_text=_("Trước hạn, đúng hạn hoặc quá hạn."),
    )
    returned_at = models.DateTimeField(
        _("trả kết quả lúc"), null=True, blank=True, help_text=_("Thời điểm giao kết quả.")
    )
    returned_to = models.CharField(
        _("người nhận kết quả"),
        max_length=255,
        blank=True,
        help_text=_("Người nhận (chính chủ hoặc người được ủy quyền)."),
    )
    return_method = models.CharField(
        _("hình thức trả"),
        max_length=10,
        blank=True,
        choices=ResultDelivery.choices,
        help_text=_("Tại quầy, bưu chính hoặc trực tuyến."),
    )
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Cán bộ tiếp nhận hoặc công dân nộp."),
    )
    updated_at = models.DateTimeField(
        _("cập nhật lúc"), auto_now=True, help_text=_("Lần thay đổi gần nhất.")
    )

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["current_unit", "state", "due_at"], name="queue_unit"),
            models.Index(fields=["assignee", "state", "due_at"], name="queue_assignee"),
            models.Index(fields=["receiving_unit", "state", "submitted_at"], name="queue_intake"),
            models.Index(fields=["receiving_agency", "received_at"], name="register_agency"),
            models.Index(fields=["state", "due_at"], name="state_due"),
            # The unit queue reads open dossiers of a unit in due order: a partial index
            # serves it without a sort, and stays small however many dossiers are closed.
            # The agency is in the key because the permission filter names it too: the
            # queue's count is then read from the index alone.
            models.Index(
                fields=["current_unit", "current_agency", "due_at", "id"],
                name="queue_unit_open",
                condition=models.Q(state__in=sorted(OPEN_STATES)),
            ),
            # Open dossiers late by a second supplement request (Decision 766, 2.1): the
            # supervision reports read them apart from the overdue ones, from this index.
            models.Index(
                fields=["receiving_agency", "received_at"],
                name="dossier_open_late_by_rule",
                condition=models.Q(late_by_rule=True, state__in=sorted(OPEN_STATES)),
            ),
        ]

    def __str__(self) -> str:
        return self.code or self.reference

    @property
    def display_code(self) -> str:
        return self.code or self.reference

    def masked_id(self) -> str:
        """The ID number with only the last 4 digits shown (Personal Data Protection Law)."""
        number = self.applicant_id_number or ""
        return "•" * max(len(number) - 4, 0) + number[-4:]

    def permission_scope(self) -> Scope:
        """Where the dossier sits now: the unit owning the current step (else receiving)."""
        if self.current_unit_id:
            return Scope(self.current_agency.path, self.current_unit_id)
        return self.receiving_scope()

    def receiving_scope(self) -> Scope:
        return Scope(self.receiving_agency.path, self.receiving_unit_id)
