"""Postal handovers (giao nhận qua dịch vụ bưu chính công ích, Decision 45/2016/QĐ-TTg).

One row per handover: the post hands a dossier to the one-stop unit (inbound), or the
one-stop unit hands a result to the post (outbound). The carrier, the tracking number, the
instant of the handover and the postal fee are recorded apart from the procedure's fees.
Rows are written only by :mod:`motcua.postal.services`.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier

#: Longest tracking number kept (UPU S10 codes have 13 characters; domestic ones vary).
TRACKING_MAX = 40
_TRACKING = re.compile(r"^[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?$")


def clean_tracking_number(value: str | None) -> str:
    """The tracking number (mã bưu gửi, số vận đơn) trimmed, without inner spaces, in capitals.

    Letters, digits and inner hyphens only, 4 to :data:`TRACKING_MAX` characters, e.g.
    ``EE123456789VN`` (UPU S10) or a carrier's numeric code.
    """
    number = re.sub(r"\s+", "", value or "").upper()
    if not number:
        raise ValidationError(gettext("Nhập mã bưu gửi (số vận đơn)."), code="required")
    if len(number) > TRACKING_MAX:
        raise ValidationError(
            gettext("Mã bưu gửi dài tối đa %(max)s ký tự.") % {"max": TRACKING_MAX},
            code="max_length",
        )
    if len(number) < 4 or not _TRACKING.match(number):
        raise ValidationError(
            gettext(
                "Mã bưu gửi chỉ gồm chữ cái không dấu, chữ số và dấu gạch ngang (ít nhất 4 ký tự)."
            ),
            code="invalid",
        )
    return number


class Carrier(models.TextChoices):
    """Postal operators (doanh nghiệp bưu chính)."""

    VNPOST = "vnpost", _("Bưu điện Việt Nam (VNPost)")
    VIETTEL_POST = "viettel_post", _("Viettel Post")
    OTHER = "other", _("Doanh nghiệp bưu chính khác")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Bưu chính giao hồ sơ cho bộ phận một cửa")
    OUTBOUND = "outbound", _("Bộ phận một cửa giao kết quả cho bưu chính")


class PostalHandover(models.Model):
    """One handover between the post and the one-stop unit (Decision 45/2016/QĐ-TTg)."""

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="postal_handovers",
        help_text=_("Hồ sơ được giao nhận qua dịch vụ bưu chính."),
    )
    direction = models.CharField(
        _("chiều giao nhận"),
        max_length=8,
        choices=Direction.choices,
        help_text=_(
            "Chiều đến: nhân viên bưu chính giao hồ sơ cho bộ phận một cửa; chiều đi: bộ phận "
            "một cửa giao kết quả cho nhân viên bưu chính."
        ),
    )
    carrier = models.CharField(
        _("doanh nghiệp bưu chính"),
        max_length=16,
        choices=Carrier.choices,
        help_text=_("Doanh nghiệp bưu chính chuyển phát hồ sơ hoặc kết quả."),
    )
    carrier_other = models.CharField(
        _("tên doanh nghiệp bưu chính khác"),
        max_length=120,
        blank=True,
        help_text=_("Bắt buộc khi chọn “Doanh nghiệp bưu chính khác”."),
    )
    tracking_number = models.CharField(
        _("mã bưu gửi"),
        max_length=TRACKING_MAX,
        help_text=_("Số hiệu bưu gửi (số vận đơn) do doanh nghiệp bưu chính cấp."),
    )
    handed_over_at = models.DateTimeField(
        _("thời điểm giao nhận"),
        help_text=_(
            "Chiều đến: lúc bộ phận một cửa nhận hồ sơ từ nhân viên bưu chính (thời điểm "
            "tiếp nhận; thời gian chuyển phát không tính vào thời hạn giải quyết). Chiều đi: "
            "lúc giao kết quả cho nhân viên bưu chính."
        ),
    )
    fee = models.PositiveBigIntegerField(
        _("cước bưu chính (đồng)"),
        default=0,
        help_text=_("Cước dịch vụ bưu chính, tách riêng với phí, lệ phí của thủ tục."),
    )
    postal_employee = models.CharField(
        _("nhân viên bưu chính"),
        max_length=255,
        blank=True,
        help_text=_("Họ tên nhân viên bưu chính giao hoặc nhận (nếu có)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Cán bộ bộ phận một cửa ghi nhận việc giao nhận."),
    )
    recorded_at = models.DateTimeField(
        _("ghi nhận lúc"), help_text=_("Thời điểm ghi nhận vào hệ thống.")
    )

    class Meta:
        verbose_name = _("giao nhận bưu chính")
        verbose_name_plural = _("giao nhận bưu chính")
        ordering = ("handed_over_at", "pk")
        indexes = [
            models.Index(fields=["tracking_number"], name="postal_tracking"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(carrier="other") | ~models.Q(carrier_other=""),
                name="postal_other_carrier_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.tracking_number}"

    @property
    def carrier_name(self) -> str:
        if self.carrier == Carrier.OTHER and self.carrier_other:
            return self.carrier_other
        return str(self.get_carrier_display())
