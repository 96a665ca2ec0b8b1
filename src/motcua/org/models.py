"""Divisions (đơn vị hành chính), agencies (cơ quan), units, counters (quầy) and roles."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _


class Division(models.Model):
    """An administrative division after the 2025 reform: a province or a commune-level unit."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    code = models.CharField(
        _("mã"),
        max_length=10,
        unique=True,
        help_text=_("Mã đơn vị hành chính theo danh mục quốc gia (tỉnh 2 số, xã 5 số)."),
    )
    name = models.CharField(_("tên"), max_length=200, help_text=_("Tên đầy đủ, có dấu."))
    division_type = models.CharField(
        _("loại"),
        max_length=40,
        help_text=_("Loại đơn vị: tỉnh, thành phố trực thuộc trung ương, xã, phường, đặc khu."),
    )
    level = models.CharField(
        _("cấp"), max_length=10, choices=Level.choices, help_text=_("Cấp tỉnh hoặc cấp xã.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc tỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Tỉnh/thành phố chứa đơn vị cấp xã này."),
    )
    codename = models.SlugField(
        _("tên mã"), max_length=100, blank=True, help_text=_("Tên không dấu dùng trong mã máy.")
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


AGENCY_IDENTIFIER_VALIDATOR = RegexValidator(
    r"^[A-Z0-9]{1,4}(\.[A-Z0-9]{1,4}){2,4}$",
    _("Mã định danh có dạng như 000.00.21.H42 (các nhóm chữ in hoa/số, cách nhau bởi dấu chấm)."),
)


class Agency(models.Model):
    """A state agency (cơ quan) with its electronic identifier (mã định danh điện tử).

    Agencies carry validity dates and a successor so that old dossiers keep the agency they
    were received by after a reorganisation (Decree 118/2025, two-tier local government).
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Bộ, cơ quan ngang bộ")
        MINISTRY_UNIT = "ministry_unit", _("Đơn vị thuộc bộ")
        PROVINCIAL_COMMITTEE = "provincial_committee", _("UBND cấp tỉnh")
        PROVINCIAL_CENTRE = "provincial_centre", _("Trung tâm Phục vụ hành chính công tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
        COMMUNE_COMMITTEE = "commune_committee", _("UBND cấp xã")
        COMMUNE_CENTRE = "commune_centre", _("Trung tâm Phục vụ hành chính công cấp xã")
        POLICE = "police", _("Cơ quan công an")
        OTHER = "other", _("Cơ quan khác")

    identifier = models.CharField(
        _("mã định danh"),
        max_length=40,
        unique=True,
        validators=[AGENCY_IDENTIFIER_VALIDATOR],
        help_text=_("Mã định danh điện tử của cơ quan, ví dụ 000.00.21.H42; dùng trong mã hồ sơ."),
    )
    name = models.CharField(_("tên cơ quan"), max_length=255, help_text=_("Tên đầy đủ, có dấu."))
    short_name = models.CharField(
        _("tên viết tắt"), max_length=80, blank=True, help_text=_("Tên ngắn hiển thị trên phiếu.")
    )
    kind = models.CharField(
        _("loại cơ quan"), max_length=30, choices=Kind.choices, help_text=_("Loại cơ quan.")
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("Đơn vị hành chính nơi cơ quan quản lý (nếu có)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Cơ quan quản lý trực tiếp; dùng để xác định phạm vi giám sát."),
    )
    path = models.CharField(
        _("đường dẫn phân cấp"),
        max_length=255,
        editable=False,
        db_index=True,
        default="",
        help_text=_("Chuỗi mã định danh từ gốc, do hệ thống tính; dùng để kiểm tra phạm vi."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True, help_text=_("Trụ sở."))
    phone = models.CharField(
        _("điện thoại"), max_length=40, blank=True, help_text=_("Số điện thoại liên hệ.")
    )
    email = models.EmailField(_("thư điện tử"), blank=True, help_text=_("Địa chỉ e-mail."))
    valid_from = models.DateField(
        _("hiệu lực từ"),
        default=dt.date(2025, 7, 1),
        help_text=_("Ngày cơ quan bắt đầu hoạt động (theo quyết định thành lập)."),
    )
    valid_to = models.DateField(
        _("hiệu lực đến"),
        null=True,
        blank=True,
        help_text=_("Ngày cơ quan chấm dứt hoạt động; để trống nếu còn hoạt động."),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("Cơ quan tiếp nhận nhiệm vụ khi cơ quan này chấm dứt hoạt động."),
    )

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["identifier"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"

    def save(self, *args, **kwargs) -> None:
        """Keep ``path`` (ancestors' identifiers) right for this agency and, when it moves or
        its identifier changes, for every agency below it: scopes and inherited templates
        compare paths, so a stale one would hand a moved ward to its old province."""
        old = None
        if self.pk:
            old = type(self).objects.filter(pk=self.pk).values_list("path", flat=True).first()
        self.path = self.compute_path()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old and old != self.path:
                type(self).objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old) + 1))
                )

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Cơ quan không thể là cấp trên của chính nó.")})
        if self.parent_id and self.pk and self.path and self.parent.path.startswith(self.path):
            raise ValidationError(
                {"parent": _("Cơ quan cấp trên không thể là cơ quan trực thuộc của chính nó.")}
            )
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("Cơ quan không thể kế thừa chính nó.")})
        if self.successor_id and not self.valid_to:
            raise ValidationError(
                {"valid_to": _("Có cơ quan kế thừa thì phải có ngày hết hiệu lực.")}
            )

    def compute_path(self) -> str:
        parent_path = self.parent.path if self.parent_id else "/"
        return f"{parent_path}{self.identifier}/"

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Unit(models.Model):
    """A unit inside an agency (phòng, bộ phận); the one-stop unit is of kind ``one_stop``."""

    class Kind(models.TextChoices):
        ONE_STOP = "one_stop", _("Bộ phận một cửa")
        PROCESSING = "processing", _("Đơn vị chuyên môn")
        LEADERSHIP = "leadership", _("Lãnh đạo")
        OTHER = "other", _("Khác")

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("Cơ quan chứa đơn vị."),
    )
    code = models.SlugField(
        _("mã đơn vị"), max_length=40, help_text=_("Mã ngắn, duy nhất trong cơ quan (không dấu).")
    )
    name = models.CharField(_("tên đơn vị"), max_length=255, help_text=_("Tên đầy đủ, có dấu."))
    kind = models.CharField(
        _("loại đơn vị"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.PROCESSING,
        help_text=_("Bộ phận một cửa tiếp nhận hồ sơ; đơn vị chuyên môn thẩm định, xử lý."),
    )
    is_active = models.BooleanField(
        _("đang hoạt động"), default=True, help_text=_("Bỏ chọn khi giải thể.")
    )

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["agency__identifier", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.agency.short_name or self.agency.name}"


class Counter(models.Model):
    """A reception counter (quầy tiếp nhận và trả kết quả) in a one-stop unit."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("bộ phận một cửa"),
        on_delete=models.PROTECT,
        related_name="counters",
        help_text=_("Bộ phận một cửa có quầy này."),
    )
    number = models.PositiveSmallIntegerField(_("số quầy"), help_text=_("Số hiệu quầy, ví dụ 1."))
    name = models.CharField(
        _("tên quầy"), max_length=120, help_text=_("Ví dụ: Quầy Tư pháp – Hộ tịch.")
    )
    fields_served = models.CharField(
        _("lĩnh vực tiếp nhận"),
        max_length=255,
        blank=True,
        help_text=_("Các lĩnh vực thủ tục quầy tiếp nhận, cách nhau bởi dấu phẩy."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True, help_text=_("Quầy đang mở."))

    class Meta:
        verbose_name = _("quầy tiếp nhận")
        verbose_name_plural = _("quầy tiếp nhận")
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="counter_number_per_unit")
        ]

    def __str__(self) -> str:
        return f"Quầy {self.number} — {self.name}"

    def clean(self) -> None:
        if self.unit_id and self.unit.kind != Unit.Kind.ONE_STOP:
            raise ValidationError({"unit": _("Quầy chỉ thuộc bộ phận một cửa.")})


class Role(models.TextChoices):
    """Staff roles; what each may do is declared once in ``motcua.org.permissions``."""

    RECEPTION_OFFICER = "reception_officer", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo (phê duyệt, ký)")
    SUPERVISOR = "supervisor", _("Giám sát (chỉ xem)")
    ADMINISTRATOR = "administrator", _("Quản trị")


class RoleAssignment(models.Model):
    """A role given to a user over a scope: a whole agency, or one unit of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
        help_text=_("Cán bộ được phân quyền."),
    )
    role = models.CharField(
        _("vai trò"), max_length=30, choices=Role.choices, help_text=_("Vai trò.")
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
        help_text=_("Phạm vi: cơ quan."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        help_text=_("Giới hạn trong một đơn vị của cơ quan; để trống là toàn cơ quan."),
    )
    include_subordinates = models.BooleanField(
        _("gồm cơ quan cấp dưới"),
        default=False,
        help_text=_("Áp dụng cả cho các cơ quan cấp dưới (ví dụ giám sát cấp tỉnh xem cấp xã)."),
    )
    valid_from = models.DateField(
        _("từ ngày"), null=True, blank=True, help_text=_("Để trống: ngay.")
    )
    valid_to = models.DateField(
        _("đến ngày"), null=True, blank=True, help_text=_("Để trống: không thời hạn.")
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency", "unit"],
                name="role_assignment_unique_unit",
                condition=Q(unit__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                name="role_assignment_unique_agency",
                condition=Q(unit__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else self.agency.name
        return f"{self.get_role_display()} — {where}"

    def clean(self) -> None:
        if self.unit_id and self.agency_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("Đơn vị phải thuộc cơ quan đã chọn.")})
