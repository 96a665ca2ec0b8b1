from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.org.admin import RoleAssignmentInline


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email", "phone")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Thông tin liên hệ"), {"fields": ("full_name", "phone")}),
    )
    inlines = [RoleAssignmentInline]
