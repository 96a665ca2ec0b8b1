"""What the citizen portal keeps of its own: drafts of online dossiers and the applicant's
requests to stop or withdraw a received dossier.

A draft is not a dossier: nothing has been submitted yet (an online dossier exists once it
is sent), it has no receiving agency, code or clock, and it must not appear in any register
or statistic; so it is kept here rather than as a dossier in the ``draft`` state. It keeps
what the citizen typed and the files they attached, on the server and tied to their
account, until they submit it (it then becomes the dossier's ``submit`` event) or delete it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ComponentSpec, ProcedureVersion
from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier, DossierEvent


class Draft(models.Model):
    """An online dossier being prepared (bản nháp): the form's fields and attached files."""

    key = models.CharField(
        _("khóa bản nháp"),
        max_length=64,
        unique=True,
        help_text=_("Khóa ngẫu nhiên của biểu mẫu; dùng làm khóa chống gửi trùng khi nộp."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="portal_drafts",
        help_text=_("Công dân soạn hồ sơ."),
    )
    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("thủ tục (phiên bản)"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Thủ tục đang soạn hồ sơ."),
    )
    data = models.JSONField(
        _("nội dung đã nhập"),
        default=dict,
        blank=True,
        help_text=_("Cơ quan, trường hợp, người nộp, nơi nhận kết quả đã chọn."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, help_text=_("Lúc tạo."))
    updated_at = models.DateTimeField(_("lưu lúc"), auto_now=True, help_text=_("Lần lưu gần nhất."))

    class Meta:
        verbose_name = _("bản nháp hồ sơ trực tuyến")
        verbose_name_plural = _("bản nháp hồ sơ trực tuyến")
        indexes = [models.Index(fields=["user", "-updated_at"], name="draft_user_recent")]

    def __str__(self) -> str:
        return f"{self.version.name} ({self.updated_at:%d/%m/%Y %H:%M})"


class DraftFile(models.Model):
    """A file attached to one component of a draft, already checked and stored."""

    draft = models.ForeignKey(
        Draft,
        verbose_name=_("bản nháp"),
        on_delete=models.CASCADE,
        related_name="files",
        help_text=_("Bản nháp."),
    )
    spec = models.ForeignKey(
        ComponentSpec,
        verbose_name=_("thành phần hồ sơ"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Giấy tờ mà tệp này đáp ứng."),
    )
    stored_file = models.ForeignKey(
        StoredFile,
        verbose_name=_("tệp"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Tệp đã kiểm tra và lưu."),
    )

    class Meta:
        verbose_name = _("tệp của bản nháp")
        verbose_name_plural = _("tệp của bản nháp")
        constraints = [
            models.UniqueConstraint(fields=["draft", "spec"], name="draft_file_per_component")
        ]

    def __str__(self) -> str:
        return self.stored_file.original_name


class ApplicantRequest(models.Model):
    """The applicant's request to stop processing (Decree 118/2025 Art. 21) or to withdraw a
    received dossier; the one-stop officer records the stop (Mẫu 05) or the withdrawal, or
    declines the request with a written reason (``decline_request``)."""

    class Kind(models.TextChoices):
        STOP = "stop", _("Đề nghị dừng giải quyết")
        WITHDRAW = "withdraw", _("Đề nghị rút hồ sơ")

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ cơ quan xử lý")
        DONE = "done", _("Cơ quan đã thực hiện")
        CLOSED = "closed", _("Đã đóng (hồ sơ đã kết thúc trước khi xử lý đề nghị)")
        DECLINED = "declined", _("Cơ quan không chấp thuận (có lý do bằng văn bản)")

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="applicant_requests",
        help_text=_("Hồ sơ được đề nghị."),
    )
    kind = models.CharField(
        _("loại đề nghị"), max_length=10, choices=Kind.choices, help_text=_("Dừng hoặc rút.")
    )
    reason = models.TextField(_("lý do"), help_text=_("Lý do người nộp ghi."))
    status = models.CharField(
        _("tình trạng"),
        max_length=8,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("Chờ xử lý, đã thực hiện, không chấp thuận hoặc đã đóng."),
    )
    event = models.ForeignKey(
        DossierEvent,
        verbose_name=_("sự kiện đề nghị"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Sự kiện ghi đề nghị vào hồ sơ."),
    )
    closing_event = models.ForeignKey(
        DossierEvent,
        verbose_name=_("sự kiện xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Thao tác của cơ quan kết thúc đề nghị."),
    )
    requested_at = models.DateTimeField(_("đề nghị lúc"), help_text=_("Lúc gửi đề nghị."))
    closed_at = models.DateTimeField(
        _("xử lý lúc"), null=True, blank=True, help_text=_("Lúc đề nghị được xử lý hoặc đóng.")
    )

    class Meta:
        verbose_name = _("đề nghị của người nộp")
        verbose_name_plural = _("đề nghị của người nộp")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind"],
                condition=models.Q(status="open"),
                name="one_open_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.dossier}"
