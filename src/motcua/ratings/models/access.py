"""The ways a rating comes in: a link token, a counter transaction and a paired tablet."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Counter

USER = settings.AUTH_USER_MODEL


class RatingToken(models.Model):
    """The rating link sent with the result (mã đánh giá): single-use, expiring, hashed."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="rating_token",
        help_text=_("Hồ sơ mà đường dẫn cho phép đánh giá."),
    )
    token_hash = models.CharField(
        _("mã băm"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 của mã trong đường dẫn; mã gốc không được lưu."),
    )
    issued_at = models.DateTimeField(_("cấp lúc"), help_text=_("Khi trả kết quả."))
    expires_at = models.DateTimeField(
        _("hết hạn lúc"), help_text=_("Sau RATING_TOKEN_DAYS ngày kể từ khi cấp.")
    )
    used_at = models.DateTimeField(
        _("đã dùng lúc"), null=True, blank=True, help_text=_("Mỗi đường dẫn chỉ dùng một lần.")
    )

    class Meta:
        verbose_name = _("đường dẫn đánh giá")
        verbose_name_plural = _("đường dẫn đánh giá")

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.expires_at:%d/%m/%Y}"


class CounterSession(models.Model):
    """The transaction a counter's tablet shows now (phiên giao dịch tại quầy): set by the
    officer at the counter, ended by the citizen's rating, by the officer or by time."""

    class Outcome(models.TextChoices):
        RATED = "rated", _("Đã đánh giá")
        ENDED = "ended", _("Cán bộ kết thúc")
        REPLACED = "replaced", _("Thay bằng giao dịch khác")

    counter = models.ForeignKey(
        Counter,
        verbose_name=_("quầy"),
        on_delete=models.PROTECT,
        related_name="rating_sessions",
        help_text=_("Quầy có màn hình đánh giá."),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Hồ sơ của giao dịch."),
    )
    officer = models.ForeignKey(
        USER,
        verbose_name=_("cán bộ"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Cán bộ tại quầy đưa hồ sơ lên màn hình đánh giá."),
    )
    started_at = models.DateTimeField(_("bắt đầu"), help_text=_("Lúc đưa lên màn hình."))
    expires_at = models.DateTimeField(
        _("hết hạn"), help_text=_("Sau RATING_COUNTER_SESSION_MINUTES phút màn hình tự trở về chờ.")
    )
    ended_at = models.DateTimeField(
        _("kết thúc"), null=True, blank=True, help_text=_("Trống khi còn đang mở.")
    )
    outcome = models.CharField(
        _("kết quả"),
        max_length=10,
        blank=True,
        choices=Outcome.choices,
        help_text=_("Vì sao kết thúc."),
    )

    class Meta:
        verbose_name = _("phiên đánh giá tại quầy")
        verbose_name_plural = _("phiên đánh giá tại quầy")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["counter"], condition=Q(ended_at__isnull=True), name="one_open_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.counter_id}: {self.dossier_id}"


class Tablet(models.Model):
    """A device paired as a counter's rating screen; only its key's SHA-256 is kept here,
    the key itself lives in the device's cookie. Revoke a lost device in the admin."""

    counter = models.ForeignKey(
        Counter,
        verbose_name=_("quầy"),
        on_delete=models.CASCADE,
        related_name="rating_tablets",
        help_text=_("Quầy mà thiết bị hiển thị màn hình đánh giá."),
    )
    key_hash = models.CharField(
        _("mã băm"), max_length=64, unique=True, editable=False, help_text=_("SHA-256 của khóa.")
    )
    paired_by = models.ForeignKey(
        USER,
        verbose_name=_("cán bộ kích hoạt"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Cán bộ đã kích hoạt thiết bị."),
    )
    paired_at = models.DateTimeField(_("kích hoạt lúc"), help_text=_("Thời điểm kích hoạt."))
    expires_at = models.DateTimeField(
        _("hết hạn"), help_text=_("Sau RATING_TABLET_PAIRING_DAYS ngày phải kích hoạt lại.")
    )
    revoked = models.BooleanField(
        _("đã thu hồi"), default=False, help_text=_("Thiết bị bị thu hồi không dùng được nữa.")
    )

    class Meta:
        verbose_name = _("màn hình đánh giá tại quầy")
        verbose_name_plural = _("màn hình đánh giá tại quầy")
        ordering = ["counter", "-paired_at"]

    def __str__(self) -> str:
        return f"{self.counter} — {self.paired_at:%d/%m/%Y %H:%M}"
