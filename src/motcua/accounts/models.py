"""The user model (tài khoản người dùng) shared by staff and citizens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: an officer (cán bộ) or a citizen (công dân).

    What a staff member may do is decided by ``org.RoleAssignment`` through
    ``motcua.org.permissions``, never by fields on this model.
    """

    full_name = models.CharField(
        _("họ và tên"),
        max_length=200,
        blank=True,
        help_text=_("Họ và tên đầy đủ, có dấu, như trên giấy tờ tùy thân."),
    )
    phone = models.CharField(
        _("số điện thoại"),
        max_length=20,
        blank=True,
        help_text=_("Số điện thoại liên hệ (dữ liệu cá nhân, được che khi hiển thị công khai)."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for machine clients of the API (only its SHA-256 is stored)."""

    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("Tài khoản mà ứng dụng gọi API thay mặt; quyền theo tài khoản này."),
    )
    name = models.CharField(_("tên"), max_length=100, help_text=_("Ứng dụng dùng mã này."))
    key_hash = models.CharField(
        _("mã băm"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 của mã; mã gốc chỉ hiện một lần."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, help_text=_("Ngày tạo."))
    revoked = models.BooleanField(
        _("đã thu hồi"), default=False, help_text=_("Mã bị thu hồi không dùng được nữa.")
    )

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
