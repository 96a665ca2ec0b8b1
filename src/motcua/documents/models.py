"""Stored files (tệp lưu trữ) and the registry of issued results (sổ kết quả đã cấp)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.documents.print_models import (  # noqa: F401  (printed forms, in their own module)
    AgencyLetterhead,
    DocumentTemplate,
    FormNumberCounter,
    IssuedForm,
    RegisterPrint,
)


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


class DocumentKind(models.TextChoices):
    """Loại giấy tờ: the descriptive type of a digitised document (Circular 01/2023)."""

    IDENTITY = "identity", _("Giấy tờ tùy thân (căn cước, hộ chiếu)")
    CIVIL_STATUS = "civil_status", _("Giấy tờ hộ tịch (khai sinh, kết hôn…)")
    CERTIFICATE = "certificate", _("Giấy chứng nhận, giấy phép")
    DIPLOMA = "diploma", _("Văn bằng, chứng chỉ")
    DECISION = "decision", _("Quyết định, văn bản hành chính")
    FORM = "form", _("Đơn, tờ khai")
    RESULT = "result", _("Kết quả giải quyết thủ tục hành chính")
    OTHER = "other", _("Giấy tờ khác")


#: Kinds whose files are always encrypted at rest (ID-card images and the like).
SENSITIVE_KINDS = frozenset({DocumentKind.IDENTITY})


class DigitisationRule(models.Model):
    """Whether a component of a procedure is digitised at intake (Circular 01/2023 Art. 5–6;
    Decree 45/2020 Art. 16), set by the province; without a rule the default is read from the
    component's name (see :mod:`motcua.documents.digitisation`)."""

    class Requirement(models.TextChoices):
        REQUIRED = "required", _("Bắt buộc số hóa")
        ON_REQUEST = "on_request", _("Số hóa khi người nộp yêu cầu")
        NATIONAL_DB = "national_db", _("Không số hóa: đã có trong cơ sở dữ liệu quốc gia")
        SHOWN_ONLY = "shown_only", _("Không số hóa: giấy tờ chỉ xuất trình")
        CLASSIFIED = "classified", _("Không số hóa: tài liệu mật")
        PLAIN_COPY = "plain_copy", _("Không số hóa: bản chụp, bản sao không chứng thực")

    component = models.OneToOneField(
        "catalog.ComponentSpec",
        verbose_name=_("thành phần hồ sơ"),
        on_delete=models.CASCADE,
        related_name="digitisation_rule",
        help_text=_("Giấy tờ của thủ tục mà quy định này áp dụng."),
    )
    requirement = models.CharField(
        _("yêu cầu số hóa"),
        max_length=12,
        choices=Requirement.choices,
        help_text=_("Phải số hóa, số hóa khi được yêu cầu, hoặc không số hóa (nêu lý do)."),
    )
    legal_basis = models.CharField(
        _("căn cứ"),
        max_length=255,
        blank=True,
        help_text=_("Văn bản quy định (luật, quyết định của tỉnh…)."),
    )

    class Meta:
        verbose_name = _("quy định số hóa thành phần")
        verbose_name_plural = _("quy định số hóa thành phần")

    def __str__(self) -> str:
        return f"{self.component} — {self.get_requirement_display()}"


class DigitisedDocument(models.Model):
    """A document in an owner's data store (kho dữ liệu điện tử của tổ chức, cá nhân): a
    stored file with its descriptive metadata (Circular 01/2023; Decree 45/2020 Art. 16)."""

    class Source(models.TextChoices):
        INTAKE = "intake", _("Số hóa khi tiếp nhận")
        ONLINE = "online", _("Tải lên khi nộp trực tuyến")
        RESULT = "result", _("Kết quả giải quyết")

    uid = models.UUIDField(
        _("mã giấy tờ"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Mã ngẫu nhiên dùng trong đường dẫn (không đoán được)."),
    )
    stored_file = models.ForeignKey(
        StoredFile,
        verbose_name=_("tệp"),
        on_delete=models.PROTECT,
        related_name="digitised",
        help_text=_("Bản điện tử của giấy tờ."),
    )
    kind = models.CharField(
        _("loại giấy tờ"),
        max_length=16,
        choices=DocumentKind.choices,
        default=DocumentKind.OTHER,
        help_text=_("Loại giấy tờ."),
    )
    title = models.CharField(_("tên giấy tờ"), max_length=500, help_text=_("Tên giấy tờ."))
    number = models.CharField(
        _("số, ký hiệu"), max_length=100, blank=True, help_text=_("Số, ký hiệu của giấy tờ.")
    )
    issuer = models.CharField(
        _("cơ quan cấp"), max_length=255, blank=True, help_text=_("Cơ quan, tổ chức đã cấp.")
    )
    issued_on = models.DateField(
        _("ngày cấp"), null=True, blank=True, help_text=_("Ngày cấp, ban hành.")
    )
    valid_until = models.DateField(
        _("có giá trị đến"),
        null=True,
        blank=True,
        help_text=_("Ngày hết hiệu lực; trống nếu không thời hạn."),
    )
    owner_identifier = models.CharField(
        _("số định danh chủ sở hữu"),
        max_length=20,
        db_index=True,
        help_text=_("Số định danh cá nhân hoặc mã số thuế của chủ giấy tờ."),
    )
    pages = models.PositiveIntegerField(_("số trang"), help_text=_("Số trang, đúng như bản gốc."))
    source = models.CharField(
        _("nguồn"),
        max_length=8,
        choices=Source.choices,
        help_text=_("Số hóa khi tiếp nhận, tải lên trực tuyến hoặc kết quả giải quyết."),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="digitised_documents",
        help_text=_("Hồ sơ mà giấy tờ được số hóa hoặc cấp."),
    )
    component = models.ForeignKey(
        "dossiers.ReceivedComponent",
        verbose_name=_("thành phần hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digitised_documents",
        help_text=_("Thành phần của hồ sơ đó."),
    )
    issued_document = models.OneToOneField(
        IssuedDocument,
        verbose_name=_("kết quả đã cấp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="digitised",
        help_text=_("Với kết quả giải quyết: bản ghi trong sổ kết quả đã cấp."),
    )
    digitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người số hóa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Cán bộ số hóa hoặc người tải lên."),
    )
    created_at = models.DateTimeField(_("lưu lúc"), help_text=_("Thời điểm đưa vào kho."))

    class Meta:
        verbose_name = _("giấy tờ số hóa")
        verbose_name_plural = _("giấy tờ số hóa")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner_identifier", "-created_at"], name="datastore_owner")]

    def __str__(self) -> str:
        return self.title[:100]


class DocumentReuse(models.Model):
    """One use of a stored document as a component of a later dossier (Decision 766, 4.3)."""

    document = models.ForeignKey(
        DigitisedDocument,
        verbose_name=_("giấy tờ"),
        on_delete=models.PROTECT,
        related_name="reuses",
        help_text=_("Giấy tờ trong kho được dùng lại."),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="document_reuses",
        help_text=_("Hồ sơ dùng lại giấy tờ."),
    )
    component = models.ForeignKey(
        "dossiers.ReceivedComponent",
        verbose_name=_("thành phần hồ sơ"),
        on_delete=models.CASCADE,
        related_name="reuses",
        help_text=_("Thành phần mà giấy tờ thay thế."),
    )
    channel = models.CharField(
        _("hình thức"), max_length=10, help_text=_("Tại quầy, bưu chính hoặc trực tuyến.")
    )
    at = models.DateTimeField(_("lúc"), help_text=_("Thời điểm dùng lại."))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chọn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Cán bộ tiếp nhận hoặc người nộp đã chọn giấy tờ."),
    )

    class Meta:
        verbose_name = _("lượt dùng lại giấy tờ")
        verbose_name_plural = _("lượt dùng lại giấy tờ")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "component"], name="reuse_once_per_component"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.dossier}"
