"""Postal handovers in the admin: read-only facts (recorded at the desk and on return),
listed within the user's scope; access decided by ``motcua.org.permissions``."""

from __future__ import annotations

from django.contrib import admin

from motcua.org import permissions
from motcua.postal.models import PostalHandover

VIEW = "dossier.view"


@admin.register(PostalHandover)
class PostalHandoverAdmin(admin.ModelAdmin):
    list_display = (
        "handed_over_at",
        "direction",
        "dossier",
        "carrier",
        "tracking_number",
        "fee",
        "postal_employee",
        "recorded_by",
        "recorded_at",
    )
    list_filter = ("direction", "carrier")
    search_fields = ("=tracking_number", "=dossier__code")
    list_select_related = ("dossier", "recorded_by")
    date_hierarchy = "handed_over_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in PostalHandover._meta.fields]

    def get_queryset(self, request):
        scope = permissions.scope_q(
            request.user,
            VIEW,
            agency_path_field="dossier__receiving_agency__path",
            unit_field="dossier__receiving_unit_id",
        )
        return super().get_queryset(request).filter(scope)

    def has_module_permission(self, request) -> bool:
        return permissions.can(request.user, VIEW)

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.can(request.user, VIEW, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
