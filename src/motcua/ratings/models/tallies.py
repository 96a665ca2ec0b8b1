"""Running totals of ratings per unit, day, criterion and officer (bảng tổng hợp).

The aggregate pages read these, so their cost grows with units × days, never with the
number of ratings (ARCHITECTURE rule 7). :mod:`motcua.ratings.tallying` adds to them in the
rating's transaction and can rebuild them from the ratings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Unit


class UnitTally(models.Model):
    """Ratings of one unit on one day (local date of the rating)."""

    class Kind(models.TextChoices):
        RECEIVING = "receiving", _("Bộ phận tiếp nhận")  # one row a rating: totals add up
        HANDLED = "handled", _("Đơn vị đã xử lý")  # every unit that acted on the dossier

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị."),
    )
    day = models.DateField(_("ngày"), help_text=_("Ngày đánh giá (giờ Việt Nam)."))
    kind = models.CharField(
        _("vai trò"), max_length=10, choices=Kind.choices, help_text=_("Tiếp nhận hay xử lý.")
    )
    ratings = models.PositiveIntegerField(_("số phiếu"), default=0, help_text=_("Số phiếu."))
    satisfied = models.PositiveIntegerField(
        _("số phiếu hài lòng"), default=0, help_text=_("Số phiếu hài lòng.")
    )

    class Meta:
        verbose_name = _("tổng hợp theo đơn vị")
        verbose_name_plural = _("tổng hợp theo đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "kind"], name="unit_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.kind}: {self.satisfied}/{self.ratings}"


class AnswerTally(models.Model):
    """How many ratings of dossiers a unit handled gave ``value`` to ``criterion`` on a day."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị đã xử lý hồ sơ."),
    )
    day = models.DateField(_("ngày"), help_text=_("Ngày đánh giá (giờ Việt Nam)."))
    criterion = models.ForeignKey(
        "ratings.Criterion",
        verbose_name=_("tiêu chí"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tiêu chí."),
    )
    value = models.PositiveSmallIntegerField(_("giá trị"), help_text=_("Câu trả lời."))
    answers = models.PositiveIntegerField(_("số lượt"), default=0, help_text=_("Số lượt chọn."))

    class Meta:
        verbose_name = _("tổng hợp theo tiêu chí")
        verbose_name_plural = _("tổng hợp theo tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "criterion", "value"], name="answer_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.criterion_id}={self.value}: {self.answers}"


class OfficerTally(models.Model):
    """Ratings of dossiers an officer acted on, for one unit, on one day."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị mà cán bộ thao tác thay mặt."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cán bộ."),
    )
    day = models.DateField(_("ngày"), help_text=_("Ngày đánh giá (giờ Việt Nam)."))
    ratings = models.PositiveIntegerField(_("số phiếu"), default=0, help_text=_("Số phiếu."))
    satisfied = models.PositiveIntegerField(
        _("số phiếu hài lòng"), default=0, help_text=_("Số phiếu hài lòng.")
    )

    class Meta:
        verbose_name = _("tổng hợp theo cán bộ")
        verbose_name_plural = _("tổng hợp theo cán bộ")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user", "day"], name="officer_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.user_id} {self.day}: {self.satisfied}/{self.ratings}"
