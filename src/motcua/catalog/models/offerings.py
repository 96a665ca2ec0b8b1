"""Offerings: which agency offers which procedure version, its internal workflow (quy trình
nội bộ) and delegations (ủy quyền)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models.procedures import Procedure, ProcedureVersion, TimeUnit
from motcua.org.models import Agency, Role, Unit


class Offering(models.Model):
    """An agency's offering of a procedure version, with local overrides."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="offerings",
        help_text=_("Cơ quan tiếp nhận."),
    )
    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("phiên bản thủ tục"),
        on_delete=models.PROTECT,
        related_name="offerings",
        help_text=_("Phiên bản thủ tục được cung cấp."),
    )
    receiving_address = models.TextField(
        _("địa chỉ tiếp nhận"), blank=True, help_text=_("Để trống: dùng địa chỉ cơ quan.")
    )
    fee_override = models.PositiveBigIntegerField(
        _("phí, lệ phí tại địa phương (đồng)"),
        null=True,
        blank=True,
        help_text=_("Mức thu do địa phương quy định; để trống: theo danh mục."),
    )
    time_value = models.DecimalField(
        _("thời hạn tại địa phương"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Thời hạn rút ngắn tại địa phương, nếu có."),
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"),
        max_length=14,
        choices=TimeUnit.choices,
        blank=True,
        help_text=_("Đơn vị của thời hạn tại địa phương."),
    )
    is_active = models.BooleanField(
        _("đang cung cấp"), default=True, help_text=_("Bỏ chọn để ngừng tiếp nhận.")
    )

    class Meta:
        verbose_name = _("thủ tục cung cấp tại cơ quan")
        verbose_name_plural = _("thủ tục cung cấp tại cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "version"], name="one_offering_per_agency_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version.procedure.code} @ {self.agency.identifier}"


class WorkflowTemplate(models.Model):
    """The internal workflow (quy trình nội bộ) of an offering: ordered steps with budgets."""

    offering = models.OneToOneField(
        Offering,
        verbose_name=_("thủ tục tại cơ quan"),
        on_delete=models.CASCADE,
        related_name="workflow",
        help_text=_("Thủ tục tại cơ quan áp dụng quy trình."),
    )
    name = models.CharField(
        _("tên quy trình"),
        max_length=255,
        help_text=_("Ví dụ: Quy trình nội bộ đăng ký khai sinh."),
    )
    decision_number = models.CharField(
        _("quyết định phê duyệt"),
        max_length=120,
        blank=True,
        help_text=_("Số quyết định phê duyệt quy trình."),
    )

    class Meta:
        verbose_name = _("quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")

    def __str__(self) -> str:
        return self.name


class StepSpec(models.Model):
    """One step of a workflow, owned by a unit (or another agency: liên thông)."""

    template = models.ForeignKey(
        WorkflowTemplate,
        verbose_name=_("quy trình"),
        on_delete=models.CASCADE,
        related_name="steps",
        help_text=_("Quy trình chứa bước."),
    )
    order = models.PositiveSmallIntegerField(_("bước"), help_text=_("Thứ tự bước, từ 1."))
    name = models.CharField(_("tên bước"), max_length=255, help_text=_("Ví dụ: Thẩm định hồ sơ."))
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị thực hiện bước trong cơ quan."),
    )
    owner_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan liên thông"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan khác thực hiện bước (liên thông)."),
    )
    role = models.CharField(
        _("vai trò"),
        max_length=30,
        choices=Role.choices,
        help_text=_("Vai trò người thực hiện bước."),
    )
    budget_value = models.DecimalField(
        _("thời gian"), max_digits=8, decimal_places=2, help_text=_("Thời gian dành cho bước.")
    )
    budget_unit = models.CharField(
        _("đơn vị"),
        max_length=14,
        choices=[
            (TimeUnit.WORKING_HOURS, TimeUnit.WORKING_HOURS.label),
            (TimeUnit.WORKING_DAYS, TimeUnit.WORKING_DAYS.label),
        ],
        default=TimeUnit.WORKING_HOURS,
        help_text=_("Giờ làm việc hoặc ngày làm việc."),
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="step_order_unique"),
            models.CheckConstraint(
                condition=models.Q(owner_unit__isnull=False) | models.Q(owner_agency__isnull=False),
                name="step_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Delegation(models.Model):
    """A delegation of competence (ủy quyền) for a procedure, with dates."""

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="delegations",
        help_text=_("Thủ tục ủy quyền."),
    )
    from_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan ủy quyền"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
        help_text=_("Cơ quan có thẩm quyền."),
    )
    to_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan được ủy quyền"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
        help_text=_("Cơ quan nhận ủy quyền."),
    )
    decision_number = models.CharField(
        _("văn bản ủy quyền"), max_length=120, help_text=_("Số văn bản ủy quyền.")
    )
    valid_from = models.DateField(_("từ ngày"), help_text=_("Ngày bắt đầu ủy quyền."))
    valid_to = models.DateField(
        _("đến ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày kết thúc; để trống nếu không thời hạn."),
    )

    class Meta:
        verbose_name = _("ủy quyền")
        verbose_name_plural = _("ủy quyền")

    def __str__(self) -> str:
        return f"{self.procedure.code}: {self.from_agency} → {self.to_agency}"
