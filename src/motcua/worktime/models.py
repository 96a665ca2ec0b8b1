"""Working calendars (lịch làm việc) and the override table (điều chỉnh ngày nghỉ/làm bù).

The arithmetic lives in ``engine`` (pure Python); these rows only describe a calendar.
``queries.calendar_for`` turns them, with the ``holidays`` library, into an engine calendar.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

#: Monday … Sunday (Python's numbering), translated when shown.
WEEKDAY_NAMES = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)

WEEKDAY_PATTERN_VALIDATOR = RegexValidator(
    r"^(?=.*1)[01]{7}$",
    _("Nhập 7 ký tự 0/1 từ thứ Hai đến Chủ nhật, có ít nhất một ngày làm việc (vd. 1111100)."),
)
COUNTRY_VALIDATOR = RegexValidator(
    r"^[A-Z]{2}$", _("Mã quốc gia gồm 2 chữ in hoa theo ISO 3166-1, ví dụ VN.")
)


def _country_field() -> models.CharField:
    return models.CharField(
        _("mã quốc gia"),
        max_length=2,
        default="VN",
        validators=[COUNTRY_VALIDATOR],
        help_text=_(
            "Mã quốc gia ISO 3166-1 dùng để lấy ngày lễ từ thư viện holidays (mặc định VN)."
        ),
    )


class WorkCalendar(models.Model):
    """A working calendar: weekly pattern, working hours, cut-off, Saturday reception.

    The row without an agency is the national default (lịch chung); an agency's own row
    replaces it for that agency. Days off and make-up days come from the ``holidays``
    library corrected by :class:`CalendarOverride`.
    """

    name = models.CharField(
        _("tên lịch"),
        max_length=200,
        help_text=_("Tên gọi, ví dụ “Lịch làm việc chung” hoặc “Lịch TTPVHCC phường Bến Thành”."),
    )
    agency = models.OneToOneField(
        "org.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="work_calendar",
        help_text=_(
            "Cơ quan làm việc theo lịch này. Để trống: lịch chung, áp dụng cho mọi cơ quan "
            "chưa có lịch riêng."
        ),
    )
    country = _country_field()
    working_weekdays = models.CharField(
        _("ngày làm việc trong tuần"),
        max_length=7,
        default="1111100",
        validators=[WEEKDAY_PATTERN_VALIDATOR],
        help_text=_(
            "Bảy ký tự 0/1 từ thứ Hai đến Chủ nhật; mặc định 1111100 (thứ Hai – thứ Sáu, "
            "Bộ luật Lao động 2019 Điều 111)."
        ),
    )
    morning_start = models.TimeField(
        _("sáng bắt đầu"), default=dt.time(7, 30), help_text=_("Giờ bắt đầu làm việc buổi sáng.")
    )
    morning_end = models.TimeField(
        _("sáng kết thúc"), default=dt.time(11, 30), help_text=_("Giờ nghỉ trưa.")
    )
    afternoon_start = models.TimeField(
        _("chiều bắt đầu"),
        default=dt.time(13, 0),
        help_text=_("Giờ làm việc lại buổi chiều."),
    )
    afternoon_end = models.TimeField(
        _("chiều kết thúc"),
        default=dt.time(17, 0),
        help_text=_("Giờ kết thúc ngày làm việc; hạn tính bằng ngày kết thúc vào giờ này."),
    )
    cutoff = models.TimeField(
        _("giờ chốt tiếp nhận"),
        default=dt.time(15, 0),
        help_text=_(
            "Hồ sơ tiếp nhận sau giờ này được tính như tiếp nhận đầu ngày làm việc tiếp theo "
            "(Nghị định 118/2025/NĐ-CP, Điều 18: sau 15 giờ)."
        ),
    )
    saturday_reception = models.BooleanField(
        _("tiếp nhận thứ Bảy"),
        default=False,
        help_text=_(
            "Quầy có tiếp nhận hồ sơ sáng thứ Bảy. Thứ Bảy vẫn không phải ngày làm việc: thời "
            "hạn tính từ đầu ngày làm việc tiếp theo."
        ),
    )
    saturday_reception_start = models.TimeField(
        _("thứ Bảy bắt đầu"),
        default=dt.time(7, 30),
        help_text=_("Giờ bắt đầu tiếp nhận ngày thứ Bảy."),
    )
    saturday_reception_end = models.TimeField(
        _("thứ Bảy kết thúc"),
        default=dt.time(11, 30),
        help_text=_("Giờ kết thúc tiếp nhận ngày thứ Bảy."),
    )
    updated_at = models.DateTimeField(
        _("cập nhật lúc"), auto_now=True, help_text=_("Thời điểm sửa đổi gần nhất.")
    )

    class Meta:
        verbose_name = _("lịch làm việc")
        verbose_name_plural = _("lịch làm việc")
        ordering = ["agency__identifier", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                condition=Q(agency__isnull=True),
                name="worktime_one_default_calendar_per_country",
                violation_error_message=_("Mỗi quốc gia chỉ có một lịch chung."),
            ),
            models.CheckConstraint(
                condition=Q(morning_start__lt=F("morning_end"))
                & Q(morning_end__lte=F("afternoon_start"))
                & Q(afternoon_start__lt=F("afternoon_end")),
                name="worktime_windows_ordered",
                violation_error_message=_(
                    "Giờ làm việc phải theo thứ tự: sáng bắt đầu < sáng kết thúc ≤ chiều bắt "
                    "đầu < chiều kết thúc."
                ),
            ),
            models.CheckConstraint(
                condition=Q(saturday_reception_start__lt=F("saturday_reception_end")),
                name="worktime_saturday_window_ordered",
                violation_error_message=_("Giờ tiếp nhận thứ Bảy: bắt đầu phải trước kết thúc."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.saturday_reception and self.working_weekdays[5:6] == "1":
            raise ValidationError(
                {"saturday_reception": _("Thứ Bảy đã là ngày làm việc; bỏ chọn tiếp nhận thứ Bảy.")}
            )

    @property
    def weekdays(self) -> frozenset[int]:
        """The working weekdays, Monday 0 … Sunday 6."""
        return frozenset(i for i, flag in enumerate(self.working_weekdays) if flag == "1")

    def weekday_names(self) -> str:
        return ", ".join(str(WEEKDAY_NAMES[i]) for i in sorted(self.weekdays))

    def permission_scope(self):
        """Scope for ``org.permissions``: the agency's; the national default is above all."""
        from motcua.org.permissions import Scope

        return Scope(self.agency.path if self.agency_id else "/")


class CalendarOverride(models.Model):
    """An extra day off or an extra working day (make-up Saturday), with its legal basis.

    Without a calendar it applies to every calendar of the country (a government decision);
    with one it applies to that calendar only and wins over a national row of the same day.
    An extra working day on a library holiday cancels that holiday (e.g. 24/11 if not
    adopted).
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ thêm")
        WORKING_DAY = "working_day", _("Ngày làm việc thêm (làm bù)")

    calendar = models.ForeignKey(
        WorkCalendar,
        verbose_name=_("lịch làm việc"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="overrides",
        help_text=_(
            "Để trống: áp dụng cho mọi lịch của quốc gia (quyết định của Chính phủ). Chọn một "
            "lịch: chỉ áp dụng cho lịch đó."
        ),
    )
    country = _country_field()
    date = models.DateField(_("ngày"), help_text=_("Ngày được điều chỉnh."))
    kind = models.CharField(
        _("loại điều chỉnh"),
        max_length=20,
        choices=Kind.choices,
        help_text=_(
            "Nghỉ thêm (ngày làm việc thành ngày nghỉ) hoặc làm bù (ngày nghỉ thành ngày làm việc)."
        ),
    )
    legal_reference = models.CharField(
        _("căn cứ pháp lý"),
        max_length=300,
        help_text=_("Văn bản quyết định việc điều chỉnh: số, ngày, cơ quan ban hành."),
    )
    note = models.TextField(_("ghi chú"), blank=True, help_text=_("Giải thích thêm, nếu cần."))
    updated_at = models.DateTimeField(
        _("cập nhật lúc"), auto_now=True, help_text=_("Thời điểm sửa đổi gần nhất.")
    )

    class Meta:
        verbose_name = _("điều chỉnh ngày làm việc")
        verbose_name_plural = _("điều chỉnh ngày làm việc")
        ordering = ["-date"]
        indexes = [models.Index(fields=["country", "date"], name="worktime_override_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "date"],
                condition=Q(calendar__isnull=True),
                name="worktime_one_national_override_per_day",
                violation_error_message=_("Ngày này đã có một điều chỉnh chung."),
            ),
            models.UniqueConstraint(
                fields=["calendar", "date"],
                condition=Q(calendar__isnull=False),
                name="worktime_one_override_per_calendar_day",
                violation_error_message=_("Lịch này đã có một điều chỉnh cho ngày này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}"

    def clean(self) -> None:
        if self.calendar_id and self.calendar.country != self.country:
            raise ValidationError(
                {"country": _("Mã quốc gia phải trùng với mã quốc gia của lịch đã chọn.")}
            )

    def permission_scope(self):
        """Scope for ``org.permissions``: that of the calendar; national rows are above all."""
        from motcua.org.permissions import Scope

        return self.calendar.permission_scope() if self.calendar_id else Scope("/")
