"""Procedures and their versions: what a procedure says, per version (draft → published →
retired), with its channels, fees, cases, components and forms."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Agency


class TimeUnit(models.TextChoices):
    """Units of a processing-time limit (same values as ``worktime.engine``)."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    DAYS = "days", _("ngày")
    MONTHS = "months", _("tháng")
    WITHIN_DAY = "within_day", _("trong ngày")


class Channel(models.TextChoices):
    """How a dossier reaches the agency (hình thức nộp)."""

    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính")


class OnlineClass(models.TextChoices):
    """Online service class under Decree 42/2022 (dịch vụ công trực tuyến)."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không có dịch vụ công trực tuyến")


class Level(models.TextChoices):
    """Levels of government that carry out a procedure (cấp thực hiện)."""

    MINISTRY = "ministry", _("Cấp bộ")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 1/7/2025)")
    COMMUNE = "commune", _("Cấp xã")
    OTHER = "other", _("Cơ quan khác")


def encode_levels(levels) -> str:
    """``["province", "commune"]`` → ``",province,commune,"`` (filterable with ``contains``)."""
    codes = [lv for lv in Level.values if lv in set(levels)]
    return f",{','.join(codes)}," if codes else ""


class Field(models.Model):
    """A field of procedures (lĩnh vực), e.g. Hộ tịch, Chứng thực."""

    name = models.CharField(
        _("tên lĩnh vực"),
        max_length=255,
        unique=True,
        help_text=_("Tên lĩnh vực như trong danh mục quốc gia."),
    )
    code = models.SlugField(
        _("mã"), max_length=120, unique=True, help_text=_("Mã không dấu, dùng trong đường dẫn.")
    )
    name_folded = models.CharField(
        _("tên không dấu"),
        max_length=255,
        editable=False,
        db_index=True,
        help_text=_("Dùng cho tìm kiếm."),
    )

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính), identified by its national code."""

    code = models.CharField(
        _("mã thủ tục"),
        max_length=40,
        unique=True,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia, ví dụ 1.001193."),
    )
    created_at = models.DateTimeField(
        _("tạo lúc"), auto_now_add=True, help_text=_("Thời điểm đưa vào hệ thống.")
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ProcedureVersion(models.Model):
    """One version of what a procedure says; published versions are read-only."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã công bố")
        RETIRED = "retired", _("Hết hiệu lực")

    class Source(models.TextChoices):
        NATIONAL = "national", _("Nhập từ CSDL quốc gia")
        STARTER = "starter", _("Danh mục khởi tạo")
        MANUAL = "manual", _("Nhập tay")

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="versions",
        help_text=_("Thủ tục của phiên bản."),
    )
    number = models.PositiveIntegerField(
        _("phiên bản số"), default=1, help_text=_("Tăng dần mỗi lần sửa đổi thủ tục.")
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Bản đã công bố chỉ đọc; sửa đổi tạo bản nháp mới."),
    )
    valid_from = models.DateField(
        _("hiệu lực từ"), null=True, blank=True, help_text=_("Ngày bắt đầu áp dụng phiên bản.")
    )
    valid_to = models.DateField(
        _("hiệu lực đến"),
        null=True,
        blank=True,
        help_text=_("Ngày hết áp dụng; để trống nếu đang áp dụng."),
    )
    decision_number = models.CharField(
        _("quyết định công bố"),
        max_length=120,
        blank=True,
        help_text=_("Số quyết định công bố, ví dụ 2628/QĐ-BTC."),
    )
    decision_date = models.DateField(
        _("ngày ban hành quyết định công bố"),
        null=True,
        blank=True,
        help_text=_(
            "Ngày ký ban hành quyết định công bố TTHC; dùng để tính chỉ số 1.1 và 1.2 "
            "(Quyết định 766/QĐ-TTg)."
        ),
    )
    published_at = models.DateTimeField(
        _("công bố lúc"), null=True, blank=True, help_text=_("Thời điểm phiên bản được công bố.")
    )
    name = models.TextField(_("tên thủ tục"), help_text=_("Tên đầy đủ của thủ tục."))
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="versions",
        help_text=_("Lĩnh vực của thủ tục."),
    )
    levels = models.CharField(
        _("cấp thực hiện"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_(
            "Các cấp thực hiện, dạng mã ,ministry,province,commune,other, (có dấu phẩy "
            "hai đầu để lọc)."
        ),
    )
    procedure_type = models.CharField(
        _("loại thủ tục"),
        max_length=255,
        blank=True,
        help_text=_("Loại thủ tục theo danh mục quốc gia."),
    )
    applicant_types = models.JSONField(
        _("đối tượng thực hiện"),
        default=list,
        blank=True,
        help_text=_("Công dân Việt Nam, doanh nghiệp, …"),
    )
    competent_agency_text = models.TextField(
        _("cơ quan có thẩm quyền"), blank=True, help_text=_("Văn bản như công bố.")
    )
    implementing_agency_text = models.TextField(
        _("cơ quan thực hiện"), blank=True, help_text=_("Văn bản như công bố.")
    )
    delegated_agency_text = models.TextField(
        _("cơ quan được ủy quyền"), blank=True, help_text=_("Văn bản như công bố.")
    )
    coordinating_agency_text = models.TextField(
        _("cơ quan phối hợp"), blank=True, help_text=_("Văn bản như công bố.")
    )
    receiving_address_text = models.TextField(
        _("địa chỉ tiếp nhận"), blank=True, help_text=_("Nơi tiếp nhận hồ sơ như công bố.")
    )
    competent_agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("cơ quan có thẩm quyền (đã đối chiếu)"),
        blank=True,
        related_name="competent_for",
        help_text=_("Cơ quan trong hệ thống khớp với văn bản."),
    )
    summary = models.TextField(
        _("mô tả ngắn"),
        blank=True,
        help_text=_("Giới thiệu thủ tục bằng lời dễ hiểu cho người dân."),
    )
    steps_text = models.TextField(
        _("trình tự thực hiện"), blank=True, help_text=_("Các bước thực hiện, như công bố.")
    )
    conditions_text = models.TextField(
        _("yêu cầu, điều kiện"), blank=True, help_text=_("Yêu cầu, điều kiện thực hiện.")
    )
    legal_basis = models.JSONField(
        _("căn cứ pháp lý"),
        default=list,
        blank=True,
        help_text=_("Danh sách văn bản: số hiệu và trích yếu."),
    )
    legal_basis_text = models.TextField(
        _("căn cứ pháp lý (nguyên văn)"), blank=True, help_text=_("Văn bản nguyên văn như công bố.")
    )
    results = models.JSONField(
        _("kết quả thực hiện"),
        default=list,
        blank=True,
        help_text=_("Tên và mã giấy tờ kết quả, ví dụ KQ.G12.000327."),
    )
    online_class = models.CharField(
        _("mức dịch vụ công trực tuyến"),
        max_length=10,
        choices=OnlineClass.choices,
        default=OnlineClass.NONE,
        help_text=_("Toàn trình, một phần hay không (Nghị định 42/2022)."),
    )
    online_class_by_rule = models.BooleanField(
        _("mức DVC do quy tắc gán"),
        default=True,
        help_text=_("Đánh dấu khi mức dịch vụ được gán theo quy tắc mặc định, chưa ai xác nhận."),
    )
    supplement_restarts_clock = models.BooleanField(
        _("bổ sung thì tính lại từ đầu"),
        default=False,
        help_text=_(
            "Khi người nộp bổ sung xong: bỏ chọn là tiếp tục tính thời hạn (mặc định); "
            "chọn là tính lại toàn bộ thời hạn từ lúc nhận đủ bổ sung."
        ),
    )
    source = models.CharField(
        _("nguồn"),
        max_length=10,
        choices=Source.choices,
        default=Source.MANUAL,
        help_text=_("Nguồn dữ liệu của phiên bản."),
    )
    source_url = models.URLField(
        _("trang gốc"),
        max_length=500,
        blank=True,
        help_text=_("Trang chi tiết trên Cổng Dịch vụ công quốc gia."),
    )
    source_hash = models.CharField(
        _("mã băm nguồn"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("SHA-256 của bản ghi gốc; nhập lại bản ghi không đổi thì bỏ qua."),
    )
    raw = models.JSONField(
        _("dữ liệu gốc"),
        default=dict,
        blank=True,
        help_text=_("Các trường văn bản gốc khi nhập, giữ nguyên."),
    )
    warnings = models.JSONField(
        _("cảnh báo khi nhập"),
        default=list,
        blank=True,
        help_text=_("Các điểm đáng ngờ phát hiện khi nhập dữ liệu."),
    )
    flagged = models.BooleanField(
        _("bị gắn cờ"),
        default=False,
        db_index=True,
        help_text=_("Dữ liệu nghi mang nội dung của thủ tục khác."),
    )
    flag_reason = models.TextField(_("lý do gắn cờ"), blank=True, help_text=_("Vì sao gắn cờ."))
    search_text = models.TextField(
        _("chuỗi tìm kiếm"),
        blank=True,
        editable=False,
        help_text=_("Tên, mã, lĩnh vực đã bỏ dấu; dùng cho tìm kiếm."),
    )

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(status="draft"),
                name="one_draft_per_procedure",
            ),
        ]
        indexes = [models.Index(fields=["status", "flagged"], name="version_status_flag")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} — {self.name[:80]}"

    @property
    def level_list(self) -> list[str]:
        return [code for code in self.levels.split(",") if code]

    @property
    def level_labels(self) -> list[str]:
        return [str(Level(code).label) for code in self.level_list if code in Level.values]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class ChannelOption(models.Model):
    """Processing time and description for one channel of a version (cách thức thực hiện)."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("phiên bản"),
        on_delete=models.CASCADE,
        related_name="channels",
        help_text=_("Phiên bản thủ tục."),
    )
    order = models.PositiveSmallIntegerField(
        _("thứ tự"),
        default=0,
        help_text=_("Một hình thức nộp có thể có nhiều dòng (thời hạn khác nhau theo trường hợp)."),
    )
    channel = models.CharField(
        _("hình thức nộp"),
        max_length=10,
        choices=Channel.choices,
        help_text=_("Trực tiếp, trực tuyến hoặc bưu chính."),
    )
    time_value = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Giá trị thời hạn; để trống khi không công bố."),
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"),
        max_length=14,
        choices=TimeUnit.choices,
        blank=True,
        help_text=_("Ngày làm việc, giờ làm việc, …"),
    )
    time_text = models.CharField(
        _("thời hạn (nguyên văn)"),
        max_length=255,
        blank=True,
        help_text=_("Văn bản thời hạn như công bố."),
    )
    description = models.TextField(_("mô tả"), blank=True, help_text=_("Mô tả cách thức."))

    class Meta:
        verbose_name = _("cách thức thực hiện")
        verbose_name_plural = _("cách thức thực hiện")
        ordering = ["version", "channel", "order"]

    def __str__(self) -> str:
        return self.get_channel_display()

    def limit_text(self) -> str:
        if self.time_unit == TimeUnit.WITHIN_DAY:
            return str(TimeUnit.WITHIN_DAY.label)
        if self.time_value is None:
            return ""
        value = self.time_value.normalize()
        return f"{value:f} {TimeUnit(self.time_unit).label}" if self.time_unit else f"{value:f}"


class Fee(models.Model):
    """A fee (phí) or charge (lệ phí) of a channel; amounts in VND."""

    class Kind(models.TextChoices):
        FEE = "fee", _("Phí")
        CHARGE = "charge", _("Lệ phí")
        FREE = "free", _("Miễn phí")
        TEXT = "text", _("Chỉ có mô tả")
        UNSPECIFIED = "unspecified", _("Khoản thu (không ghi rõ phí hay lệ phí)")

    option = models.ForeignKey(
        ChannelOption,
        verbose_name=_("cách thức"),
        on_delete=models.CASCADE,
        related_name="fees",
        help_text=_("Cách thức thực hiện áp dụng khoản thu."),
    )
    kind = models.CharField(
        _("loại"),
        max_length=12,
        choices=Kind.choices,
        help_text=_("Phí, lệ phí, miễn phí hay chỉ có mô tả."),
    )
    amount = models.PositiveBigIntegerField(
        _("số tiền (đồng)"),
        null=True,
        blank=True,
        help_text=_("Số tiền bằng đồng; trống nếu không rõ."),
    )
    text = models.TextField(_("mô tả"), blank=True, help_text=_("Văn bản như công bố."))

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        if self.amount is not None:
            return f"{self.get_kind_display()}: {self.amount:,} đồng".replace(",", ".")
        return self.text or self.get_kind_display()


class ProcedureCase(models.Model):
    """A case (trường hợp) of a procedure with its own list of components."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("phiên bản"),
        on_delete=models.CASCADE,
        related_name="cases",
        help_text=_("Phiên bản thủ tục."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0, help_text=_("Thứ tự."))
    name = models.TextField(_("trường hợp"), help_text=_("Tên trường hợp, hoặc “Hồ sơ gồm”."))

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name[:100]


class ComponentSpec(models.Model):
    """A required document (thành phần hồ sơ) of a case, with originals and copies."""

    case = models.ForeignKey(
        ProcedureCase,
        verbose_name=_("trường hợp"),
        on_delete=models.CASCADE,
        related_name="components",
        help_text=_("Trường hợp chứa giấy tờ này."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0, help_text=_("Thứ tự."))
    name = models.TextField(_("tên giấy tờ"), help_text=_("Tên giấy tờ như công bố."))
    originals = models.PositiveSmallIntegerField(
        _("bản chính"), default=0, help_text=_("Số bản chính phải nộp.")
    )
    copies = models.PositiveSmallIntegerField(
        _("bản sao"), default=0, help_text=_("Số bản sao phải nộp.")
    )
    required = models.BooleanField(
        _("bắt buộc"), default=True, help_text=_("Bỏ chọn với giấy tờ chỉ nộp khi có.")
    )
    datastore_substitutable = models.BooleanField(
        _("dùng lại từ kho dữ liệu"),
        default=False,
        help_text=_("Bản số hóa trong kho dữ liệu của người nộp có thể thay thế giấy tờ này."),
    )
    raw_text = models.TextField(_("nguyên văn"), blank=True, help_text=_("Văn bản gốc khi nhập."))

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["case", "order"]

    def __str__(self) -> str:
        return self.name[:100]


class FormTemplate(models.Model):
    """A form (mẫu đơn, tờ khai) attached to a component: its file name and, once uploaded,
    the file."""

    component = models.ForeignKey(
        ComponentSpec,
        verbose_name=_("thành phần hồ sơ"),
        on_delete=models.CASCADE,
        related_name="forms",
        help_text=_("Giấy tờ dùng mẫu này."),
    )
    file_name = models.CharField(
        _("tên tệp"), max_length=255, help_text=_("Tên tệp như công bố, ví dụ Mẫu số 01.docx.")
    )
    file = models.FileField(
        _("tệp mẫu"),
        upload_to="catalog/forms/",
        blank=True,
        help_text=_("Tệp mẫu tải lên để người dân tải về."),
    )

    class Meta:
        verbose_name = _("mẫu đơn, tờ khai")
        verbose_name_plural = _("mẫu đơn, tờ khai")

    def __str__(self) -> str:
        return self.file_name
