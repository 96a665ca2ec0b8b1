"""Criteria (tiêu chí đánh giá), ratings (phiếu đánh giá) and their answers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Agency, Counter, Unit

USER = settings.AUTH_USER_MODEL
#: The criterion whose answer decides whether a rating counts as satisfied.
OVERALL_KEY = "overall"
#: The answers of a 1–5 scale and of a yes/no question: (value, Vietnamese, English).
SCALE = (
    (1, "Rất không hài lòng", "Very dissatisfied"),
    (2, "Không hài lòng", "Dissatisfied"),
    (3, "Bình thường", "Neutral"),
    (4, "Hài lòng", "Satisfied"),
    (5, "Rất hài lòng", "Very satisfied"),
)
YES_NO = ((1, "Có", "Yes"), (0, "Không", "No"))


class Kind(models.TextChoices):
    SCALE = "scale", _("Thang điểm 1–5")
    YES_NO = "yes_no", _("Có / Không")
    CHOICE = "choice", _("Chọn một phương án")


class Channel(models.TextChoices):
    COUNTER = "counter", _("Màn hình đánh giá tại quầy")
    ONLINE = "online", _("Đường dẫn trong tin nhắn, thư mời")
    TRACKING = "tracking", _("Trang tra cứu hồ sơ")


class Criterion(models.Model):
    """One question of the rating form (tiêu chí đánh giá; Decree 61/2018 Art. 31 lineage).

    The list is configurable: administrators add, reword, reorder or switch off criteria in
    the admin. Answers keep pointing at the criterion they answered."""

    key = models.SlugField(
        _("mã tiêu chí"),
        max_length=40,
        unique=True,
        help_text=_("Mã ngắn không dấu; “overall” là mức độ hài lòng chung (bắt buộc)."),
    )
    question_vi = models.CharField(
        _("câu hỏi (tiếng Việt)"), max_length=255, help_text=_("Câu hỏi hiển thị cho người dân.")
    )
    question_en = models.CharField(
        _("câu hỏi (tiếng Anh)"),
        max_length=255,
        blank=True,
        help_text=_("Bản tiếng Anh; để trống thì dùng tiếng Việt."),
    )
    kind = models.CharField(
        _("kiểu trả lời"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.SCALE,
        help_text=_("Thang 1–5, có/không, hoặc chọn một trong các phương án."),
    )
    options = models.JSONField(
        _("phương án"),
        default=list,
        blank=True,
        help_text=_(
            'Chỉ cho kiểu “chọn một phương án”: danh sách {"value": số, "vi": "…", "en": "…"}.'
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Thứ tự câu hỏi trên phiếu.")
    )
    required = models.BooleanField(
        _("bắt buộc trả lời"), default=False, help_text=_("Người dân phải trả lời câu này.")
    )
    active = models.BooleanField(
        _("đang dùng"), default=True, help_text=_("Bỏ chọn để không hỏi tiêu chí này nữa.")
    )

    class Meta:
        verbose_name = _("tiêu chí đánh giá")
        verbose_name_plural = _("tiêu chí đánh giá")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.question_vi

    def question(self, language: str = "vi") -> str:
        return self.question_en if language == "en" and self.question_en else self.question_vi

    def choices(self, language: str = "vi") -> list[tuple[int, str]]:
        """The possible answers as (value, label) in ``language``."""
        english = language == "en"
        if self.kind == Kind.SCALE:
            return [(v, en if english else vi) for v, vi, en in SCALE]
        if self.kind == Kind.YES_NO:
            return [(v, en if english else vi) for v, vi, en in YES_NO]
        return [
            (int(o["value"]), (o.get("en") if english else None) or o["vi"])
            for o in self.options or []
        ]

    def clean(self) -> None:
        if self.kind == Kind.CHOICE:
            _check_options(self.options)
        if self.key == OVERALL_KEY and (
            self.kind != Kind.SCALE or not self.required or not self.active
        ):
            raise ValidationError(
                _(
                    "Tiêu chí “overall” quyết định hài lòng hay không: phải là thang 1–5, "
                    "bắt buộc và đang dùng."
                )
            )


def _check_options(options) -> None:
    message = _('Cần ít nhất hai phương án dạng {"value": số, "vi": "…"}, giá trị không trùng.')
    if not isinstance(options, list) or len(options) < 2:
        raise ValidationError({"options": message})
    values = []
    for option in options:
        if not isinstance(option, dict) or not str(option.get("vi") or "").strip():
            raise ValidationError({"options": message})
        value = option.get("value")
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise ValidationError({"options": message})
        values.append(value)
    if len(set(values)) != len(values):
        raise ValidationError({"options": message})


class Rating(models.Model):
    """The citizen's rating of one dossier (phiếu đánh giá mức độ hài lòng): at most one per
    dossier, whichever way it arrives (the one-to-one column enforces it)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="rating",
        help_text=_("Hồ sơ được đánh giá (mỗi hồ sơ một lần)."),
    )
    channel = models.CharField(
        _("kênh đánh giá"),
        max_length=10,
        choices=Channel.choices,
        help_text=_("Tại quầy, qua đường dẫn mời đánh giá hoặc từ trang tra cứu."),
    )
    submitted_at = models.DateTimeField(
        _("đánh giá lúc"), db_index=True, help_text=_("Thời điểm gửi phiếu đánh giá.")
    )
    overall_score = models.PositiveSmallIntegerField(
        _("mức hài lòng chung"), help_text=_("Câu trả lời cho tiêu chí chung, từ 1 đến 5.")
    )
    satisfied = models.BooleanField(
        _("hài lòng"),
        help_text=_("Mức chung từ ngưỡng RATING_SATISFIED_MIN trở lên (mặc định 4–5)."),
    )
    comment = models.TextField(_("ý kiến khác"), blank=True, help_text=_("Góp ý của người dân."))
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan tiếp nhận hồ sơ (phạm vi xem kết quả)."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("bộ phận tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Bộ phận một cửa tiếp nhận và trả kết quả."),
    )
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("quầy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Quầy giao dịch (đánh giá tại quầy) hoặc quầy tiếp nhận hồ sơ."),
    )
    officer = models.ForeignKey(
        USER,
        verbose_name=_("cán bộ giao dịch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Cán bộ phụ trách giao dịch tại quầy, hoặc cán bộ trả kết quả."),
    )
    staff = models.ManyToManyField(
        USER,
        through="RatingStaff",
        verbose_name=_("cán bộ đã xử lý"),
        related_name="+",
        blank=True,
        help_text=_("Những cán bộ đã thao tác trên hồ sơ (theo nhật ký hồ sơ)."),
    )
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("các đơn vị đã xử lý"),
        related_name="ratings",
        blank=True,
        help_text=_("Bộ phận tiếp nhận và các đơn vị đã giải quyết hồ sơ."),
    )

    class Meta:
        verbose_name = _("phiếu đánh giá")
        verbose_name_plural = _("phiếu đánh giá")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["unit", "submitted_at"], name="rating_unit_time")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.overall_score}/5"


class RatingStaff(models.Model):
    """An officer who acted on the rated dossier, and the unit they acted for."""

    rating = models.ForeignKey(
        Rating,
        verbose_name=_("phiếu đánh giá"),
        on_delete=models.CASCADE,
        related_name="staff_rows",
        help_text=_("Phiếu đánh giá."),
    )
    user = models.ForeignKey(
        USER,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cán bộ đã thao tác trên hồ sơ."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị mà cán bộ thao tác thay mặt."),
    )

    class Meta:
        verbose_name = _("cán bộ được đánh giá")
        verbose_name_plural = _("cán bộ được đánh giá")
        constraints = [
            models.UniqueConstraint(fields=["rating", "user", "unit"], name="rating_staff_once")
        ]

    def __str__(self) -> str:
        return f"{self.rating_id}: {self.user_id}@{self.unit_id}"


class Answer(models.Model):
    """The answer to one criterion: 1–5, 1 (yes) / 0 (no), or the value of an option."""

    rating = models.ForeignKey(
        Rating,
        verbose_name=_("phiếu đánh giá"),
        on_delete=models.CASCADE,
        related_name="answers",
        help_text=_("Phiếu đánh giá."),
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("tiêu chí"),
        on_delete=models.PROTECT,
        related_name="answers",
        help_text=_("Tiêu chí được trả lời."),
    )
    value = models.PositiveSmallIntegerField(
        _("giá trị"), help_text=_("1–5; 1 là có, 0 là không; hoặc giá trị của phương án chọn.")
    )

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        constraints = [models.UniqueConstraint(fields=["rating", "criterion"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.criterion_id}={self.value}"
