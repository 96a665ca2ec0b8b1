from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import CitizenProfile, IdentityLink, LoginEvent, User
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


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    """Citizen accounts; an administrator can lift a lockout by clearing ``locked_until``."""

    list_display = ("__str__", "kind", "identity_verified", "locked_until", "created_at")
    list_filter = ("kind", "identity_verified", "phone_verified", "email_verified")
    search_fields = ("id_number", "phone", "email", "tax_code", "user__full_name")
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    """The security log: read-only."""

    list_display = ("at", "kind", "user", "identifier", "ip_address")
    list_filter = ("kind",)
    search_fields = ("ip_address", "user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IdentityLink)
class IdentityLinkAdmin(admin.ModelAdmin):
    list_display = ("provider", "subject", "user", "linked_at", "last_login_at")
    list_filter = ("provider",)
    raw_id_fields = ("user",)
