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
