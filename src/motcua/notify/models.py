"""The outbox (hộp thư đi), the message templates and citizens' channel preferences."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.notify.privacy import mask_id, mask_recipient


class Language(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class TemplateKind(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn ngắn (SMS, Zalo)")


class TemplateKey(models.TextChoices):
    """What a message is about; each comes from one dossier event (see services.KEYS_BY_ACTION)."""

    SUBMITTED_ONLINE = "submitted_online", _("Đã nộp hồ sơ trực tuyến")
    RECEIVED = "received", _("Đã tiếp nhận hồ sơ (Mẫu 01)")
    COMPLETION_REQUESTED = "completion_requested", _("Yêu cầu bổ sung, hoàn thiện (Mẫu 02)")
    REFUSED = "refused", _("Từ chối tiếp nhận (Mẫu 03)")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ khi đang xử lý")
    APOLOGY = "apology", _("Xin lỗi và hẹn lại ngày trả (Mẫu 04)")
    NOT_ELIGIBLE = "not_eligible", _("Không đủ điều kiện giải quyết")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    RATING_INVITATION = "rating_invitation", _("Mời đánh giá mức độ hài lòng")
    REQUEST_DECLINED = "request_declined", _("Không chấp thuận đề nghị dừng, rút hồ sơ")


class OutboxMessage(models.Model):
    """One message to one recipient on one channel, written in the dossier action's
    transaction and delivered afterwards by a task, with retries (ARCHITECTURE rule 5)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi, sẽ thử lại")
        DEAD = "dead", _("Không gửi được")

    channel = models.CharField(
        _("kênh"), max_length=30, help_text=_("Mã kênh gửi (NOTIFY_CHANNELS), ví dụ email, sms.")
    )
    recipient = models.CharField(
        _("người nhận"), max_length=254, help_text=_("Địa chỉ thư điện tử hoặc số điện thoại.")
    )
    subject = models.CharField(
        _("tiêu đề"), max_length=255, blank=True, help_text=_("Tiêu đề (chỉ thư điện tử).")
    )
    body = models.TextField(_("nội dung"), help_text=_("Nội dung đã điền từ mẫu."))
    language = models.CharField(
        _("ngôn ngữ"),
        max_length=5,
        choices=Language.choices,
        default=Language.VI,
        help_text=_("Ngôn ngữ của mẫu đã dùng."),
    )
    template_key = models.CharField(
        _("mẫu"), max_length=40, choices=TemplateKey.choices, help_text=_("Loại thông báo.")
    )
    event = models.ForeignKey(
        DossierEvent,
        verbose_name=_("sự kiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        help_text=_("Sự kiện hồ sơ sinh ra thông báo."),
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        help_text=_("Hồ sơ liên quan."),
    )
    dedup_key = models.CharField(
        _("khóa chống gửi trùng"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Một tin cho mỗi sự kiện, mẫu, kênh và người nhận."),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_("Chờ gửi, đã gửi, lỗi (sẽ thử lại) hoặc không gửi được."),
    )
    attempts = models.PositiveSmallIntegerField(
        _("số lần thử"), default=0, help_text=_("Số lần đã thử gửi.")
    )
    next_attempt_at = models.DateTimeField(
        _("thử lại lúc"), help_text=_("Sớm nhất lúc này tin được gửi (lần đầu hoặc thử lại).")
    )
    last_error = models.TextField(_("lỗi gần nhất"), blank=True, help_text=_("Lỗi lần thử cuối."))
    created_at = models.DateTimeField(_("tạo lúc"), help_text=_("Lúc ghi vào hộp thư đi."))
    sent_at = models.DateTimeField(
        _("gửi lúc"), null=True, blank=True, help_text=_("Lúc kênh nhận tin thành công.")
    )

    class Meta:
        verbose_name = _("thông báo (hộp thư đi)")
        verbose_name_plural = _("thông báo (hộp thư đi)")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.get_template_key_display()} → {self.masked_recipient()} ({self.channel})"

    def masked_recipient(self) -> str:
        return mask_recipient(self.recipient)


class DeadMessage(OutboxMessage):
    """The messages that could not be sent: an administrator decides what to do."""

    class Meta:
        proxy = True
        verbose_name = _("thông báo không gửi được")
        verbose_name_plural = _("thông báo không gửi được (cần xử lý)")


class MessageTemplate(models.Model):
    """The text of one kind of message, per channel kind and language (Django template)."""

    key = models.CharField(
        _("loại thông báo"),
        max_length=40,
        choices=TemplateKey.choices,
        help_text=_("Sự kiện hồ sơ dùng mẫu này."),
    )
    kind = models.CharField(
        _("dạng"),
        max_length=8,
        choices=TemplateKind.choices,
        help_text=_("Thư điện tử, hoặc tin ngắn cho SMS và Zalo."),
    )
    language = models.CharField(
        _("ngôn ngữ"),
        max_length=5,
        choices=Language.choices,
        default=Language.VI,
        help_text=_("Ngôn ngữ của mẫu."),
    )
    subject = models.CharField(
        _("tiêu đề"),
        max_length=255,
        blank=True,
        help_text=_("Tiêu đề thư (cú pháp mẫu Django); tin ngắn không dùng."),
    )
    body = models.TextField(
        _("nội dung"),
        help_text=_(
            "Cú pháp mẫu Django, ví dụ {{ code }}, {{ due_at }}; danh sách biến ở trang "
            "docs/notifications.md. Tin ngắn nên dưới 160 ký tự."
        ),
    )
    is_active = models.BooleanField(
        _("đang dùng"), default=True, help_text=_("Bỏ chọn để không gửi loại thông báo này.")
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True, help_text=_("Lần sửa."))

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ["key", "kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["key", "kind", "language"], name="template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} — {self.get_kind_display()} ({self.language})"


class ChannelPreference(models.Model):
    """How a citizen or organisation wants to be told, keyed by ID number (or tax code).

    Without a preference, e-mail goes to the dossier's e-mail and SMS to its phone number.
    """

    id_number = models.CharField(
        _("số định danh / mã số thuế"),
        max_length=20,
        unique=True,
        help_text=_("Số định danh cá nhân (12 số) hoặc mã số thuế của tổ chức."),
    )
    email = models.BooleanField(_("thư điện tử"), default=True, help_text=_("Nhận qua thư."))
    sms = models.BooleanField(_("SMS"), default=True, help_text=_("Nhận qua tin nhắn SMS."))
    zalo = models.BooleanField(_("Zalo"), default=False, help_text=_("Nhận qua Zalo."))
    language = models.CharField(
        _("ngôn ngữ"),
        max_length=5,
        choices=Language.choices,
        default=Language.VI,
        help_text=_("Ngôn ngữ của thông báo."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True, help_text=_("Lần sửa."))

    class Meta:
        verbose_name = _("kênh nhận thông báo của công dân")
        verbose_name_plural = _("kênh nhận thông báo của công dân")

    def __str__(self) -> str:
        return mask_id(self.id_number)

    def media(self) -> set[str]:
        return {m for m in ("email", "sms", "zalo") if getattr(self, m)}
