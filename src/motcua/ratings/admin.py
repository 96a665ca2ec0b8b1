"""Admin screens: the criteria (editable), the ratings (read-only, within the user's scope)
and the paired tablets (revocable). Access decided by ``motcua.org.permissions``."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.org import permissions
from motcua.ratings import access
from motcua.ratings.models import Answer, Criterion, Rating, Tablet


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """Reword, reorder or switch off criteria; a criterion with answers is never deleted."""

    list_display = ("order", "key", "question_vi", "kind", "required", "active")
    list_display_links = ("key",)
    list_editable = ("order", "active")
    list_filter = ("active", "kind")
    search_fields = ("key", "question_vi", "question_en")

    def has_module_permission(self, request):
        return permissions.can(request.user, access.MANAGE) or permissions.can(
            request.user, access.VIEW_ALL
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return permissions.can(request.user, access.MANAGE)

    def has_change_permission(self, request, obj=None):
        return permissions.can(request.user, access.MANAGE)

    def has_delete_permission(self, request, obj=None):
        return False


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ("criterion", "value")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Ratings are the citizens' words: read-only, listed within the supervisor's scope."""

    list_display = ("submitted_at", "dossier", "channel", "overall_score", "satisfied", "unit")
    list_filter = ("satisfied", "channel", "overall_score")
    list_select_related = ("dossier", "unit__agency")
    search_fields = ("=dossier__code",)
    date_hierarchy = "submitted_at"
    inlines = [AnswerInline]
    exclude = ("staff", "units")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Rating._meta.fields]

    def get_queryset(self, request):
        scope = access.scope_q(request.user, path="agency__path", unit="unit_id")
        return super().get_queryset(request).filter(scope)

    def has_module_permission(self, request):
        return permissions.can(request.user, access.VIEW_ALL)

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, access.VIEW_ALL, obj and obj.unit)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tablet)
class TabletAdmin(admin.ModelAdmin):
    """Devices paired as rating tablets: tick “đã thu hồi” for a lost or replaced one."""

    list_display = ("counter", "paired_at", "paired_by", "expires_at", "revoked")
    list_filter = ("revoked",)
    list_select_related = ("counter__unit__agency", "paired_by")
    fields = ("counter", "paired_by", "paired_at", "expires_at", "revoked")
    readonly_fields = ("counter", "paired_by", "paired_at", "expires_at")
    actions = ["revoke"]

    def get_queryset(self, request):
        scope = permissions.scope_q(
            request.user,
            access.MANAGE,
            agency_path_field="counter__unit__agency__path",
            unit_field="counter__unit_id",
        )
        return super().get_queryset(request).filter(scope)

    def has_module_permission(self, request):
        return permissions.can(request.user, access.MANAGE)

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, access.MANAGE, obj and obj.counter)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Thu hồi các thiết bị đã chọn"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.update(revoked=True)
        self.message_user(request, _("Đã thu hồi %(n)d thiết bị.") % {"n": count})
