"""Aggregates read by supervisors and the public, and the Decision 766 points table.

``DailyStat`` holds counters per local day and dimension, maintained incrementally from the
dossier events (:mod:`motcua.supervision.services`); ``StatCursor`` is each dossier's
watermark: the counters contain exactly the dossier's events up to ``last_seq``.
``IndexGroup`` and ``IndexIndicator`` are the editable points of the service-quality index
(Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ, Quyết định 766/QĐ-TTg).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Channel, Field, Level, Procedure
from motcua.dossiers.models import Dossier
from motcua.org.models import Agency, Unit

#: The counters of a ``DailyStat`` row, in table order (docs/supervision.md explains each).
COUNTERS: tuple[str, ...] = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "refused",
    "not_eligible",
    "stopped",
    "withdrawn",
    "supplements_first",
    "supplements_repeated",
    "apologies",
    "results_issued",
    "returned",
    "results_electronic",
    "online_paper_result",
    "results_digitised",
    "received_digitised",
    "received_reused",
    "digitised_components",
    "reused_components",
    "datastore_used",
    "fee_dossiers",
    "fee_amount",
    "rated_satisfied",
    "rated_dissatisfied",
)
#: Dimension columns of a ``DailyStat`` row (besides the day).
DIMENSIONS: tuple[str, ...] = (
    "agency_id",
    "unit_id",
    "procedure_id",
    "field_id",
    "level",
    "channel",
)

_COUNTER_HELP = {
    "received_online": _("Hồ sơ tiếp nhận trực tuyến trong ngày."),
    "received_direct": _("Hồ sơ tiếp nhận trực tiếp tại quầy trong ngày."),
    "received_postal": _("Hồ sơ tiếp nhận qua dịch vụ bưu chính công ích trong ngày."),
    "resolved_early": _("Hồ sơ kết thúc xử lý trước hạn trong ngày (mọi trạng thái kết thúc)."),
    "resolved_on_time": _("Hồ sơ kết thúc xử lý đúng hạn trong ngày."),
    "resolved_late": _("Hồ sơ kết thúc xử lý quá hạn trong ngày."),
    "refused": _("Hồ sơ bị từ chối tiếp nhận (Mẫu 03) trong ngày."),
    "not_eligible": _("Trong số đã kết thúc: không đủ điều kiện giải quyết."),
    "stopped": _("Trong số đã kết thúc: dừng giải quyết theo yêu cầu (Mẫu 05)."),
    "withdrawn": _("Trong số đã kết thúc: công dân rút hồ sơ sau khi tiếp nhận."),
    "supplements_first": _("Yêu cầu bổ sung lần đầu trong quá trình xử lý."),
    "supplements_repeated": _("Yêu cầu bổ sung từ lần thứ hai (tính là trễ hạn, QĐ 766)."),
    "apologies": _("Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)."),
    "results_issued": _("Kết quả được ký, cấp mã kết quả."),
    "returned": _("Kết quả đã trả cho tổ chức, cá nhân."),
    "results_electronic": _("Kết quả trả bằng bản điện tử (trực tuyến) trong ngày."),
    "online_paper_result": _(
        "Hồ sơ nộp trực tuyến nhưng trả kết quả bản giấy (không tính là trực tuyến, QĐ 766 "
        "chỉ số 3.3)."
    ),
    "results_digitised": _(
        "Hồ sơ kết thúc có kết quả và có ít nhất một thành phần đã số hóa khi tiếp nhận."
    ),
    "received_digitised": _("Hồ sơ tiếp nhận có ít nhất một thành phần được số hóa."),
    "received_reused": _("Hồ sơ tiếp nhận có tái sử dụng thành phần từ kho dữ liệu điện tử."),
    "digitised_components": _("Số thành phần được số hóa khi tiếp nhận."),
    "reused_components": _("Số thành phần lấy lại từ kho dữ liệu điện tử khi tiếp nhận."),
    "datastore_used": _(
        "Hồ sơ lấy thành phần từ, hoặc gửi kết quả điện tử vào, kho dữ liệu (mỗi hồ sơ một lần)."
    ),
    "fee_dossiers": _("Hồ sơ tiếp nhận có phí, lệ phí khác 0."),
    "fee_amount": _("Tổng phí, lệ phí phải nộp của các hồ sơ tiếp nhận (đồng)."),
    "rated_satisfied": _("Phiếu đánh giá hài lòng nhận trong ngày."),
    "rated_dissatisfied": _("Phiếu đánh giá không hài lòng nhận trong ngày."),
}


def _counter(name: str, big: bool = False) -> models.PositiveIntegerField:
    kind = models.PositiveBigIntegerField if big else models.PositiveIntegerField
    return kind(name.replace("_", " "), default=0, help_text=_COUNTER_HELP[name])


class StatDimensions(models.Model):
    """The dimensions statistics are kept by (receiving agency, procedure, its field and
    level, channel); each model adds its receiving unit."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan có bộ phận một cửa tiếp nhận hồ sơ."),
    )
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Thủ tục hành chính (mã quốc gia)."),
    )
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Lĩnh vực của thủ tục (phiên bản áp dụng cho hồ sơ)."),
    )
    level = models.CharField(
        _("cấp thực hiện"),
        max_length=12,
        choices=Level.choices,
        help_text=_("Cấp của thủ tục khi cơ quan này giải quyết (docs/supervision.md)."),
    )
    channel = models.CharField(
        _("hình thức nộp"),
        max_length=10,
        choices=Channel.choices,
        help_text=_("Trực tiếp, trực tuyến hoặc bưu chính."),
    )

    class Meta:
        abstract = True


class DailyStat(StatDimensions):
    """Counters of one day (giờ Việt Nam) for one receiving unit, procedure, level and channel.

    Never edited by hand: the dossier-event subscriber adds to it inside each action's
    transaction, and ``motcua rebuild-stats`` recomputes it from the events.
    """

    key = models.CharField(
        _("khóa"),
        max_length=120,
        unique=True,
        help_text=_("Ngày và các chiều ghép lại; dùng để cộng dồn (upsert) trong một câu lệnh."),
    )
    day = models.DateField(_("ngày"), help_text=_("Ngày theo giờ Việt Nam của sự kiện."))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("bộ phận tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Bộ phận một cửa tiếp nhận hồ sơ."),
    )
    received_online = _counter("received_online")
    received_direct = _counter("received_direct")
    received_postal = _counter("received_postal")
    resolved_early = _counter("resolved_early")
    resolved_on_time = _counter("resolved_on_time")
    resolved_late = _counter("resolved_late")
    refused = _counter("refused")
    not_eligible = _counter("not_eligible")
    stopped = _counter("stopped")
    withdrawn = _counter("withdrawn")
    supplements_first = _counter("supplements_first")
    supplements_repeated = _counter("supplements_repeated")
    apologies = _counter("apologies")
    results_issued = _counter("results_issued")
    returned = _counter("returned")
    results_electronic = _counter("results_electronic")
    online_paper_result = _counter("online_paper_result")
    results_digitised = _counter("results_digitised")
    received_digitised = _counter("received_digitised")
    received_reused = _counter("received_reused")
    digitised_components = _counter("digitised_components")
    reused_components = _counter("reused_components")
    datastore_used = _counter("datastore_used")
    fee_dossiers = _counter("fee_dossiers")
    fee_amount = _counter("fee_amount", big=True)
    rated_satisfied = _counter("rated_satisfied")
    rated_dissatisfied = _counter("rated_dissatisfied")

    class Meta:
        verbose_name = _("số liệu tổng hợp theo ngày")
        verbose_name_plural = _("số liệu tổng hợp theo ngày")
        indexes = [
            models.Index(fields=["agency", "day"], name="stat_agency_day"),
            models.Index(fields=["day"], name="stat_day"),
        ]

    def __str__(self) -> str:
        return self.key

    def counters(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTERS}


class StatCursor(models.Model):
    """A dossier's watermark: its events with ``seq <= last_seq`` are in the counters, and
    its rating too when ``rated``. ``digitised`` and ``reused`` remember what its receipt
    said, for the counters of later events (result, return)."""

    dossier = models.OneToOneField(
        Dossier,
        verbose_name=_("hồ sơ"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Hồ sơ."),
    )
    last_seq = models.PositiveIntegerField(
        _("sự kiện cuối đã cộng"),
        default=0,
        help_text=_("Số thứ tự sự kiện cuối cùng của hồ sơ đã được cộng vào số liệu."),
    )
    digitised = models.BooleanField(
        _("có thành phần số hóa"),
        default=False,
        help_text=_("Khi tiếp nhận có ít nhất một thành phần được số hóa."),
    )
    reused = models.BooleanField(
        _("có tái sử dụng"),
        default=False,
        help_text=_("Khi tiếp nhận có thành phần lấy từ kho dữ liệu điện tử."),
    )
    rated = models.BooleanField(
        _("đã cộng đánh giá"),
        default=False,
        help_text=_("Phiếu đánh giá của hồ sơ đã được cộng vào số liệu."),
    )

    class Meta:
        verbose_name = _("mốc tổng hợp của hồ sơ")
        verbose_name_plural = _("mốc tổng hợp của hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier_id}≤{self.last_seq}"


class IndexGroup(models.Model):
    """A group of the Decision 766 index with its maximum points (18/20/22/22/18)."""

    number = models.PositiveSmallIntegerField(
        _("nhóm"), unique=True, help_text=_("Số thứ tự nhóm chỉ số, 1–5.")
    )
    name = models.CharField(_("tên nhóm"), max_length=255, help_text=_("Tên nhóm chỉ số."))
    max_points = models.DecimalField(
        _("điểm tối đa"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Điểm tối đa của nhóm theo Quyết định 766/QĐ-TTg."),
    )

    class Meta:
        verbose_name = _("nhóm chỉ số 766")
        verbose_name_plural = _("nhóm chỉ số 766")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class IndexIndicator(models.Model):
    """A sub-indicator (chỉ số thành phần): its points and threshold (ngưỡng)."""

    code = models.CharField(
        _("mã"), max_length=8, unique=True, help_text=_("Mã chỉ số thành phần, ví dụ 2.1.")
    )
    group = models.ForeignKey(
        IndexGroup,
        verbose_name=_("nhóm"),
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("Nhóm chỉ số."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0, help_text=_("Thứ tự."))
    name = models.TextField(_("tên chỉ số"), help_text=_("Nội dung chỉ số và cách tính tỷ lệ."))
    points = models.DecimalField(
        _("điểm"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Điểm tối đa của chỉ số thành phần."),
    )
    threshold = models.DecimalField(
        _("ngưỡng (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Đạt từ ngưỡng trở lên: đủ điểm; dưới ngưỡng: điểm × tỷ lệ ÷ ngưỡng. "
            "Để trống: ngưỡng 100%."
        ),
    )
    confirmed = models.BooleanField(
        _("điểm đã xác nhận"),
        default=False,
        help_text=_("Điểm đã được xác nhận theo Quyết định 766 (1.2, 2.1, 5.4): không sửa."),
    )

    class Meta:
        verbose_name = _("chỉ số thành phần 766")
        verbose_name_plural = _("chỉ số thành phần 766")
        ordering = ["group__number", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.points} điểm)"


class MonthSnapshot(models.Model):
    """The dossiers open at the end of a closed month (ảnh chụp số liệu cuối tháng), as they
    stood when the month was closed. Its rows (:class:`MonthOpenStat`) give the "pending"
    columns of the period report and the open dossiers of the Decision 766 index for any
    period ending on that day; :mod:`motcua.supervision.snapshots` explains why a closed
    month is frozen."""

    month_end = models.DateField(
        _("cuối tháng"),
        unique=True,
        help_text=_("Ngày cuối của tháng; số liệu tính tại 0 giờ ngày hôm sau (giờ Việt Nam)."),
    )
    taken_at = models.DateTimeField(_("chụp lúc"), help_text=_("Thời điểm tính số liệu từ hồ sơ."))
    dossiers = models.PositiveIntegerField(
        _("số hồ sơ đang giải quyết"),
        default=0,
        help_text=_("Tổng số hồ sơ đang giải quyết tại thời điểm cuối tháng."),
    )

    class Meta:
        verbose_name = _("số liệu cuối tháng")
        verbose_name_plural = _("số liệu cuối tháng")
        ordering = ["-month_end"]

    def __str__(self) -> str:
        return self.month_end.strftime("%m/%Y")


class MonthOpenStat(StatDimensions):
    """The dossiers open at a month end for one receiving unit, procedure, level and channel
    (the dimensions of :class:`DailyStat`)."""

    snapshot = models.ForeignKey(
        MonthSnapshot,
        verbose_name=_("số liệu cuối tháng"),
        on_delete=models.CASCADE,
        related_name="rows",
        help_text=_("Tháng mà số liệu thuộc về."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("bộ phận tiếp nhận"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Bộ phận một cửa tiếp nhận hồ sơ."),
    )
    pending = models.PositiveIntegerField(
        _("đang giải quyết"), default=0, help_text=_("Hồ sơ đã tiếp nhận, chưa kết thúc xử lý.")
    )
    overdue = models.PositiveIntegerField(
        _("quá hạn"),
        default=0,
        help_text=_("Trong số đang giải quyết: đã quá hẹn trả, không tạm dừng."),
    )
    late = models.PositiveIntegerField(
        _("trễ hạn theo chỉ số 2.1"),
        default=0,
        help_text=_("Quá hạn, hoặc đã yêu cầu bổ sung từ lần thứ hai (Quyết định 766)."),
    )
    paused = models.PositiveIntegerField(
        _("đang tạm dừng"),
        default=0,
        help_text=_("Chờ bổ sung hồ sơ hoặc chờ thực hiện nghĩa vụ tài chính (tính là trong hạn)."),
    )

    class Meta:
        verbose_name = _("hồ sơ đang giải quyết cuối tháng")
        verbose_name_plural = _("hồ sơ đang giải quyết cuối tháng")
        indexes = [models.Index(fields=["snapshot", "agency"], name="month_open_agency")]

    def __str__(self) -> str:
        return f"{self.snapshot} {self.agency_id}/{self.procedure_id}/{self.channel}"
