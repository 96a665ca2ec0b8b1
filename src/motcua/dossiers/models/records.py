"""What a dossier accumulates: components received, step instances, pauses, events, and the
daily code sequence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ComponentSpec
from motcua.dossiers.models.dossier import Dossier, Timeliness
from motcua.org.models import Agency, Role, Unit

USER = settings.AUTH_USER_MODEL


class ReceivedComponent(models.Model):
    """A component received with the dossier (originals/copies ticked at the counter)."""

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="components",
        help_text=_("Hồ sơ."),
    )
    spec = models.ForeignKey(
        ComponentSpec,
        verbose_name=_("thành phần theo thủ tục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Thành phần hồ sơ trong danh mục."),
    )
    name = models.TextField(_("tên giấy tờ"), help_text=_("Tên giấy tờ đã nhận."))
    originals = models.PositiveSmallIntegerField(
        _("bản chính"), default=0, help_text=_("Số bản chính đã nhận.")
    )
    copies = models.PositiveSmallIntegerField(
        _("bản sao"), default=0, help_text=_("Số bản sao đã nhận.")
    )

    class Meta:
        verbose_name = _("thành phần đã nhận")
        verbose_name_plural = _("thành phần đã nhận")

    def __str__(self) -> str:
        return self.name[:80]


class StepInstance(models.Model):
    """One workflow step actually run for a dossier; the hand-offs form the control sheet."""

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="steps",
        help_text=_("Hồ sơ."),
    )
    order = models.PositiveSmallIntegerField(_("bước"), help_text=_("Thứ tự bước trong quy trình."))
    name = models.CharField(_("tên bước"), max_length=255, help_text=_("Tên bước."))
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị thực hiện."),
    )
    owner_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan thực hiện bước."),
    )
    role = models.CharField(
        _("vai trò"), max_length=30, choices=Role.choices, help_text=_("Vai trò người thực hiện.")
    )
    assignee = models.ForeignKey(
        USER,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Người được giao."),
    )
    started_at = models.DateTimeField(_("bắt đầu"), help_text=_("Nhận hồ sơ ở bước này."))
    due_at = models.DateTimeField(_("hạn bước"), help_text=_("Hạn hoàn thành bước."))
    finished_at = models.DateTimeField(
        _("hoàn thành"), null=True, blank=True, help_text=_("Chuyển đi lúc.")
    )
    timeliness = models.CharField(
        _("kết quả"),
        max_length=8,
        blank=True,
        choices=Timeliness.choices,
        help_text=_("Đúng hạn hay không."),
    )

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["dossier", "started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Pause(models.Model):
    """A stop of the clock: supplement request or awaiting a financial obligation."""

    class Kind(models.TextChoices):
        SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
        OBLIGATION = "obligation", _("Chờ thực hiện nghĩa vụ tài chính")

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="pauses",
        help_text=_("Hồ sơ."),
    )
    kind = models.CharField(
        _("loại"), max_length=12, choices=Kind.choices, help_text=_("Lý do dừng tính thời hạn.")
    )
    started_at = models.DateTimeField(_("từ"), help_text=_("Bắt đầu tạm dừng."))
    ended_at = models.DateTimeField(
        _("đến"), null=True, blank=True, help_text=_("Kết thúc tạm dừng.")
    )
    reason = models.TextField(_("nội dung"), blank=True, help_text=_("Nội dung yêu cầu."))

    class Meta:
        verbose_name = _("tạm dừng tính thời hạn")
        verbose_name_plural = _("tạm dừng tính thời hạn")
        ordering = ["dossier", "started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%d/%m/%Y}"


class DossierEvent(models.Model):
    """An immutable record of one action on a dossier: the spine of everything else."""

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Hồ sơ."),
    )
    seq = models.PositiveIntegerField(_("số thứ tự"), help_text=_("Thứ tự sự kiện trong hồ sơ."))
    at = models.DateTimeField(_("lúc"), db_index=True, help_text=_("Thời điểm thao tác."))
    actor = models.ForeignKey(
        USER,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Người thực hiện thao tác."),
    )
    actor_name = models.CharField(
        _("tên người thực hiện"),
        max_length=255,
        blank=True,
        help_text=_("Lưu tên tại thời điểm thao tác."),
    )
    action = models.CharField(_("thao tác"), max_length=32, help_text=_("Mã thao tác."))
    from_state = models.CharField(
        _("từ trạng thái"), max_length=24, blank=True, help_text=_("Trạng thái trước.")
    )
    to_state = models.CharField(_("sang trạng thái"), max_length=24, help_text=_("Trạng thái sau."))
    step = models.ForeignKey(
        StepInstance,
        verbose_name=_("bước"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Bước liên quan."),
    )
    reason = models.TextField(_("lý do"), blank=True, help_text=_("Lý do, nội dung."))
    payload = models.JSONField(
        _("dữ liệu"), default=dict, blank=True, help_text=_("Chi tiết thao tác.")
    )

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="event_seq_unique")]
        indexes = [models.Index(fields=["action", "at"], name="event_action_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("dossier events are append-only")
        super().save(*args, **kwargs)


class DailySequence(models.Model):
    """The last dossier number issued by an agency on a day (codes are never reused)."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan"),
        help_text=_("Cơ quan tiếp nhận."),
    )
    day = models.DateField(_("ngày"), help_text=_("Ngày tiếp nhận (giờ Việt Nam)."))
    last = models.PositiveIntegerField(_("số cuối"), default=0, help_text=_("Số thứ tự cuối."))

    class Meta:
        verbose_name = _("số thứ tự hồ sơ trong ngày")
        verbose_name_plural = _("số thứ tự hồ sơ trong ngày")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="sequence_per_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"
