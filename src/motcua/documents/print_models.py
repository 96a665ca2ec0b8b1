"""Models of the printed forms (Mẫu 01–07 of Circular 03/2025 Annex I): template versions,
each agency's letterhead and numbering, the record of each form issued, and register prints.

Imported by :mod:`motcua.documents.models` so that Django finds them; the rules that use
them are in :mod:`motcua.documents.templating` and :mod:`motcua.documents.register`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class FormNumber(models.TextChoices):
    """The forms of Circular 03/2025 Annex I that the software prints."""

    F01 = "01", _("Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    F02 = "02", _("Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    F03 = "03", _("Mẫu 03 – Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    F04 = "04", _("Mẫu 04 – Văn bản xin lỗi và hẹn lại ngày trả kết quả")
    F05 = "05", _("Mẫu 05 – Thông báo dừng giải quyết hồ sơ")
    F06 = "06", _("Mẫu 06 – Phiếu kiểm soát quá trình giải quyết hồ sơ")
    F07 = "07", _("Mẫu 07 – Sổ theo dõi hồ sơ")


class DocumentTemplate(models.Model):
    """One version of a printed form's template (phiên bản mẫu in).

    A published version is read-only; a dossier's form prints with the version in force when
    the form was issued (recorded in :class:`IssuedForm`), so publishing a new version never
    changes a document already issued. Without any published version the template shipped
    with the software (``backoffice/print/mau<NN>.html``) is used.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã ban hành")

    form = models.CharField(
        _("mẫu"), max_length=2, choices=FormNumber.choices, help_text=_("Mẫu in áp dụng.")
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: áp dụng chung cho mọi cơ quan chưa có mẫu riêng."),
    )
    version = models.PositiveIntegerField(
        _("phiên bản"), editable=False, help_text=_("Số thứ tự phiên bản, tự tăng.")
    )
    source = models.TextField(
        _("nội dung mẫu"),
        help_text=_(
            "Mẫu HTML theo cú pháp Django template; thường bắt đầu bằng "
            '{% extends "backoffice/print/base.html" %} như mẫu gốc của phần mềm.'
        ),
    )
    valid_from = models.DateTimeField(
        _("hiệu lực từ"),
        help_text=_(
            "Văn bản ban hành từ thời điểm này dùng phiên bản này (không được lùi về trước)."
        ),
    )
    decision = models.CharField(
        _("căn cứ ban hành"),
        max_length=255,
        blank=True,
        help_text=_("Số, ký hiệu văn bản quy định mẫu, ví dụ Thông tư 03/2025/TT-VPCP."),
    )
    note = models.TextField(_("ghi chú"), blank=True, help_text=_("Điểm thay đổi so với trước."))
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Bản đã ban hành không sửa được; muốn thay đổi, tạo phiên bản mới."),
    )
    published_at = models.DateTimeField(
        _("ban hành lúc"), null=True, blank=True, help_text=_("Thời điểm ban hành.")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Tài khoản đã ban hành phiên bản."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, help_text=_("Lúc tạo."))

    class Meta:
        verbose_name = _("phiên bản mẫu in")
        verbose_name_plural = _("phiên bản mẫu in")
        ordering = ["form", "agency_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "agency", "version"],
                condition=Q(agency__isnull=False),
                name="doctemplate_agency_version",
            ),
            models.UniqueConstraint(
                fields=["form", "version"],
                condition=Q(agency__isnull=True),
                name="doctemplate_general_version",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Mẫu %(form)s v%(version)s") % {"form": self.form, "version": self.version}

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class AgencyLetterhead(models.Model):
    """An agency's own letterhead and numbering on the forms it issues (tiêu đề, số văn bản).

    Blank fields keep the defaults: the agency's and the unit's names, the place of the
    agency's administrative division, and the dossier code as the number (or the nearest
    agency above's number format, unless ``own_numbering``).

    The heading of the one-stop forms (``parent_line``, ``name_line``: often the service
    centre) is not that of a result: a result is a decision of the competent authority, so it
    carries ``result_parent_line`` and ``result_name_line`` when set, else the agency's own
    name under its parent's (Decree 30/2020, Appendix I).
    """

    agency = models.OneToOneField(
        "org.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="letterhead",
        help_text=_("Cơ quan ban hành các phiếu."),
    )
    parent_line = models.CharField(
        _("tên cơ quan chủ quản"),
        max_length=255,
        blank=True,
        help_text=_("Dòng trên của tiêu đề, ví dụ ỦY BAN NHÂN DÂN PHƯỜNG SÀI GÒN."),
    )
    name_line = models.CharField(
        _("tên cơ quan ban hành"),
        max_length=255,
        blank=True,
        help_text=_("Dòng dưới (in đậm), ví dụ TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG."),
    )
    result_parent_line = models.CharField(
        _("tên cơ quan chủ quản trên văn bản kết quả"),
        max_length=255,
        blank=True,
        help_text=_(
            "Dòng trên của tiêu đề văn bản kết quả giải quyết (do cơ quan có thẩm quyền ký), "
            "ví dụ UBND THÀNH PHỐ HỒ CHÍ MINH. Để trống cả hai dòng của văn bản kết quả: tên "
            "cơ quan cấp trên và tên của cơ quan."
        ),
    )
    result_name_line = models.CharField(
        _("tên cơ quan ban hành văn bản kết quả"),
        max_length=255,
        blank=True,
        help_text=_(
            "Dòng dưới (in đậm) của tiêu đề văn bản kết quả: cơ quan có thẩm quyền quyết định, "
            "ví dụ ỦY BAN NHÂN DÂN PHƯỜNG SÀI GÒN (không phải bộ phận một cửa)."
        ),
    )
    place = models.CharField(
        _("địa danh"),
        max_length=100,
        blank=True,
        help_text=_("Địa danh ở dòng ngày tháng, ví dụ Sài Gòn."),
    )
    number_format = models.CharField(
        _("cách ghi số"),
        max_length=100,
        blank=True,
        help_text=_(
            "Để trống: cách ghi số của cơ quan cấp trên gần nhất, nếu không có thì số là mã hồ "
            "sơ. Có thể dùng {seq} (số thứ tự trong năm, ví dụ {seq:04d}), {year}, {form} (số "
            "mẫu), {code} (mã hồ sơ). Ví dụ: {seq:04d}/{year}/PTN-{form}."
        ),
    )
    own_numbering = models.BooleanField(
        _("không kế thừa cách ghi số"),
        default=False,
        help_text=_(
            "Chọn để cơ quan không dùng cách ghi số của cơ quan cấp trên: số theo cách ghi số "
            "ở trên, để trống thì số là mã hồ sơ. Không chọn và để trống cách ghi số: dùng "
            "cách ghi số của cơ quan cấp trên gần nhất (nếu có)."
        ),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True, help_text=_("Lúc sửa."))

    class Meta:
        verbose_name = _("tiêu đề và cách ghi số của cơ quan")
        verbose_name_plural = _("tiêu đề và cách ghi số của cơ quan")

    def __str__(self) -> str:
        return str(self.agency)


class IssuedForm(models.Model):
    """A form issued for a dossier by a lifecycle event, with what its print must show for
    ever: the template version, the letterhead and the number at the moment of issue."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="issued_forms",
        help_text=_("Hồ sơ của phiếu."),
    )
    form = models.CharField(
        _("mẫu"), max_length=2, choices=FormNumber.choices, help_text=_("Mẫu đã ban hành.")
    )
    event = models.ForeignKey(
        "dossiers.DossierEvent",
        verbose_name=_("sự kiện"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Thao tác đã ban hành phiếu."),
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan đứng tên trên phiếu."),
    )
    template = models.ForeignKey(
        DocumentTemplate,
        verbose_name=_("phiên bản mẫu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_forms",
        help_text=_("Trống: mẫu gốc của phần mềm."),
    )
    letterhead = models.JSONField(
        pgettext_lazy("letterhead of a document", "tiêu đề"),
        default=dict,
        help_text=_("Các dòng tiêu đề và địa danh khi ban hành."),
    )
    number = models.CharField(_("số"), max_length=100, blank=True, help_text=_("Số của phiếu."))
    issued_at = models.DateTimeField(_("ban hành lúc"), help_text=_("Thời điểm của thao tác."))

    class Meta:
        verbose_name = _("phiếu đã ban hành")
        verbose_name_plural = _("phiếu đã ban hành")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "form"], name="issuedform_event_form")
        ]

    def __str__(self) -> str:
        return gettext("Mẫu %(form)s – %(number)s") % {
            "form": self.form,
            "number": self.number or self.dossier_id,
        }


class FormNumberCounter(models.Model):
    """The yearly sequence behind ``{seq}`` in an agency's number format (row-locked)."""

    agency = models.ForeignKey(
        "org.Agency", on_delete=models.CASCADE, related_name="+", help_text=_("Cơ quan.")
    )
    form = models.CharField(max_length=2, help_text=_("Mẫu."))
    year = models.PositiveSmallIntegerField(help_text=_("Năm."))
    last = models.PositiveIntegerField(default=0, help_text=_("Số đã cấp gần nhất."))

    class Meta:
        verbose_name = _("bộ đếm số phiếu")
        verbose_name_plural = _("bộ đếm số phiếu")
        constraints = [
            models.UniqueConstraint(fields=["agency", "form", "year"], name="formnumber_unique")
        ]

    def __str__(self) -> str:
        return gettext("Mẫu %(form)s/%(year)s: %(last)s") % {
            "form": self.form,
            "year": self.year,
            "last": self.last,
        }


class RegisterPrint(models.Model):
    """One request to print the register (Mẫu 07) as PDF, rendered by a background task
    when it is large; the officer follows its progress and downloads the file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    uid = models.UUIDField(
        _("mã"), default=uuid.uuid4, unique=True, editable=False, help_text=_("Mã trong đường dẫn.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Chỉ người này tải được tệp."),
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("bộ phận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Bộ phận một cửa; trống: mọi bộ phận người yêu cầu được phân quyền."),
    )
    day_from = models.DateField(_("từ ngày"), help_text=_("Ngày tiếp nhận đầu tiên."))
    day_to = models.DateField(_("đến ngày"), help_text=_("Ngày tiếp nhận cuối cùng."))
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        help_text=_("Tiến trình tạo tệp."),
    )
    rows_total = models.PositiveIntegerField(_("tổng số dòng"), default=0, help_text=_("Số hồ sơ."))
    rows_done = models.PositiveIntegerField(_("số dòng đã tạo"), default=0, help_text=_("Tiến độ."))
    stored_file = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("tệp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Tệp PDF đã tạo (mã hóa khi lưu)."),
    )
    error = models.TextField(_("lỗi"), blank=True, help_text=_("Lý do không tạo được tệp."))
    created_at = models.DateTimeField(_("yêu cầu lúc"), help_text=_("Thời điểm yêu cầu."))
    finished_at = models.DateTimeField(
        _("xong lúc"), null=True, blank=True, help_text=_("Thời điểm tạo xong hoặc lỗi.")
    )

    class Meta:
        verbose_name = _("lượt in sổ theo dõi hồ sơ")
        verbose_name_plural = _("lượt in sổ theo dõi hồ sơ")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return gettext("Sổ theo dõi %(start)s–%(end)s") % {
            "start": f"{self.day_from:%d/%m/%Y}",
            "end": f"{self.day_to:%d/%m/%Y}",
        }

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.finished else 0
        return min(100, self.rows_done * 100 // self.rows_total)
