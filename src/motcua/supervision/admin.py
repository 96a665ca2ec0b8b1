"""Admin screens: the Decision 766 points (editable; the points confirmed by the Decision are
read-only) and the daily aggregates (read-only: only events change them)."""

from __future__ import annotations

from django.contrib import admin

from motcua.supervision.models import COUNTERS, DailyStat, IndexGroup, IndexIndicator


class IndicatorInline(admin.TabularInline):
    model = IndexIndicator
    extra = 0
    fields = ("code", "order", "name", "points", "threshold", "confirmed")
    readonly_fields = ("confirmed",)


@admin.register(IndexGroup)
class IndexGroupAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "max_points")
    inlines = [IndicatorInline]


@admin.register(IndexIndicator)
class IndexIndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group", "points", "threshold", "confirmed")
    list_editable = ("threshold",)
    list_filter = ("group",)
    ordering = ("group__number", "order", "code")

    def get_readonly_fields(self, request, obj=None):
        """The confirmed points (1.2, 2.1, 5.4) are fixed by the Decision."""
        fixed = ("code", "confirmed")
        return (*fixed, "points") if obj is not None and obj.confirmed else fixed


@admin.register(DailyStat)
class DailyStatAdmin(admin.ModelAdmin):
    list_display = ("day", "agency", "unit", "procedure", "level", "channel", *COUNTERS[:6])
    list_filter = ("channel", "level")
    date_hierarchy = "day"
    list_select_related = ("agency", "unit", "procedure")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
