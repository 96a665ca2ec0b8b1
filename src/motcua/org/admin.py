"""Admin screens for the organisation, every decision through ``org.permissions``."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.org import permissions
from motcua.org.models import Agency, Counter, Division, RoleAssignment, Unit


class ScopedAdmin(admin.ModelAdmin):
    """Admin whose access and row list come from the permission service.

    ``agency_path_field``/``unit_field`` say where a row's scope is, for filtering the list.
    """

    view_action = "org.view"
    manage_action = "org.manage"
    agency_path_field: str | None = None
    unit_field: str | None = None

    def has_module_permission(self, request):
        return permissions.can(request.user, self.view_action)

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, self.view_action, obj)

    def has_change_permission(self, request, obj=None):
        return permissions.can(request.user, self.manage_action, obj)

    def has_add_permission(self, request):
        return permissions.can(request.user, self.manage_action)

    def has_delete_permission(self, request, obj=None):
        return permissions.can(request.user, self.manage_action, obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.agency_path_field is None:
            return qs
        return qs.filter(
            permissions.scope_q(
                request.user,
                self.view_action,
                agency_path_field=self.agency_path_field,
                unit_field=self.unit_field,
            )
        )


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    """Divisions are reference data from the national list: read-only here."""

    list_display = ("code", "name", "division_type", "level", "parent")
    list_filter = ("level", "division_type")
    search_fields = ("code", "name", "codename")
    list_select_related = ("parent",)

    def has_module_permission(self, request):
        return permissions.can(request.user, "org.view")

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, "org.view")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ("code", "name", "kind", "is_active")


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    agency_path_field = "path"
    list_display = ("identifier", "name", "kind", "division", "valid_from", "valid_to")
    list_filter = ("kind", "valid_to")
    search_fields = ("identifier", "name", "short_name")
    autocomplete_fields = ("division", "parent", "successor")
    list_select_related = ("division",)
    readonly_fields = ("path",)
    inlines = [UnitInline]
    fieldsets = (
        (None, {"fields": ("identifier", "name", "short_name", "kind")}),
        (_("Vị trí trong bộ máy"), {"fields": ("division", "parent", "path")}),
        (_("Liên hệ"), {"fields": ("address", "phone", "email")}),
        (_("Hiệu lực"), {"fields": ("valid_from", "valid_to", "successor")}),
    )


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0
    fields = ("number", "name", "fields_served", "is_active")


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    agency_path_field = "agency__path"
    unit_field = "id"
    list_display = ("code", "name", "agency", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "agency__name", "agency__identifier")
    autocomplete_fields = ("agency",)
    list_select_related = ("agency",)
    inlines = [CounterInline]


@admin.register(Counter)
class CounterAdmin(ScopedAdmin):
    agency_path_field = "unit__agency__path"
    unit_field = "unit_id"
    list_display = ("number", "name", "unit", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "unit__name")
    list_select_related = ("unit__agency",)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("agency", "unit")
    fields = ("role", "agency", "unit", "include_subordinates", "valid_from", "valid_to")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    agency_path_field = "agency__path"
    list_display = ("user", "role", "agency", "unit", "include_subordinates", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "agency__name")
    autocomplete_fields = ("user", "agency", "unit")
    list_select_related = ("user", "agency", "unit")
