"""Stored files (tệp lưu trữ) and the registry of issued results (sổ kết quả đã cấp)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """One file someone gave us or we issued, kept in the default storage.

    The bytes live under a content-addressed name (``documents/ab/cd/<sha256>``), so the same
    content is written once however many rows point to it. Sensitive files (ID-card images…)
    are encrypted at rest and read back through :func:`motcua.documents.storage.read_bytes`;
    nobody downloads a file except through the permission-checked view.
    """

    uid = models.UUIDField(
        _("mã tệp"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Mã ngẫu nhiên dùng trong đường dẫn tải tệp (không đoán được)."),
    )
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        db_index=True,
        help_text=_("Mã băm SHA-256 của nội dung gốc (chưa mã hóa)."),
    )
    size = models.PositiveBigIntegerField(_("kích thước (byte)"), help_text=_("Dung lượng gốc."))
    content_type = models.CharField(
        _("kiểu nội dung"),
        max_length=100,
        help_text=_("Kiểu MIME xác định từ nội dung tệp (không theo đuôi tên tệp)."),
    )
    pages = models.PositiveIntegerField(
        _("số trang"), null=True, blank=True, help_text=_("Số trang của tệp PDF.")
    )
    original_name = models.CharField(
        _("tên tệp gốc"), max_length=255, help_text=_("Tên tệp khi được tải lên hoặc tạo ra.")
    )
    storage_name = models.CharField(
        _("đường dẫn lưu trữ"),
        max_length=255,
        db_index=True,
        help_text=_("Tên trong kho lưu trữ (địa chỉ theo nội dung)."),
    )
    encrypted = models.BooleanField(
        _("mã hóa khi lưu"),
        default=False,
        help_text=_("Nội dung được mã hóa khi lưu (ảnh giấy tờ tùy thân, dữ liệu nhạy cảm)."),
    )
    key_id = models.CharField(
        _("mã khóa"),
        max_length=16,
        blank=True,
        help_text=_("Dấu nhận biết khóa đã mã hóa tệp (để đổi khóa); trống nếu không mã hóa."),
    )
    owner_identifier = models.CharField(
        _("số định danh chủ sở hữu"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("Số định danh cá nhân hoặc mã số thuế của chủ giấy tờ; trống nếu không có."),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stored_files",
        help_text=_("Hồ sơ mà tệp thuộc về; quyết định ai được tải tệp."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Tài khoản đã tải tệp lên (nếu có)."),
    )
    created_at = models.DateTimeField(_("lưu lúc"), help_text=_("Thời điểm lưu tệp."))

    class Meta:
        verbose_name = _("tệp lưu trữ")
        verbose_name_plural = _("tệp lưu trữ")
        indexes = [models.Index(fields=["encrypted", "key_id"], name="storedfile_key")]

    def __str__(self) -> str:
        return self.original_name


class IssuedDocument(models.Model):
    """An electronic result issued and signed (Decree 45/2020 Art. 14), for public checks.

    Anyone holding the PDF can check it on ``/xac-thuc/``: the SHA-256 of the signed file
    identifies the record; the code ``<dossier code>-KQ<n>`` is printed in its QR code.
    """

    code = models.CharField(
        _("mã kết quả"),
        max_length=80,
        unique=True,
        help_text=_("Mã văn bản kết quả: <mã hồ sơ>-KQ<n>."),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
        help_text=_("Hồ sơ có kết quả này."),
    )
    procedure_code = models.CharField(
        _("mã thủ tục"), max_length=40, blank=True, help_text=_("Mã thủ tục hành chính.")
    )
    title = models.CharField(
        _("tên văn bản"), max_length=255, help_text=_("Tên giấy tờ kết quả, ví dụ Giấy phép…")
    )
    issued_at = models.DateTimeField(_("cấp lúc"), help_text=_("Thời điểm ký, ban hành."))
    sha256 = models.CharField(
        _("SHA-256 bản đã ký"),
        max_length=64,
        db_index=True,
        help_text=_("Mã băm của tệp PDF đã ký; bản đối chiếu phải trùng khớp."),
    )
    stored_file = models.ForeignKey(
        StoredFile,
        verbose_name=_("tệp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
        help_text=_("Bản lưu của tệp đã ký."),
    )
    signer_name = models.CharField(
        _("người ký"), max_length=255, help_text=_("Họ tên người ký (theo chứng thư số).")
    )

    class Meta:
        verbose_name = _("kết quả đã cấp")
        verbose_name_plural = _("kết quả đã cấp")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code
