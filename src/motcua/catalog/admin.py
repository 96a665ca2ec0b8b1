"""Admin screens for the catalogue; published versions are read-only, editing drafts a copy."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog import services
from motcua.catalog.models import (
    ChannelOption,
    ComponentSpec,
    Delegation,
    Fee,
    Field,
    FormTemplate,
    Offering,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    StepSpec,
    WorkflowTemplate,
)
from motcua.org import permissions
from motcua.org.admin import ScopedAdmin

permissions.register_action("catalog.manage", {permissions.Role.ADMINISTRATOR})


class CatalogAdmin(admin.ModelAdmin):
    """Catalogue data is national: any staff may read it, administrators edit drafts."""

    # Links typed without a scheme are https (Django 6's default; silences its warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request):
        return permissions.can(request.user, "org.view")

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, "org.view")

    def has_add_permission(self, request, *args):
        return permissions.can(request.user, "catalog.manage")

    def has_change_permission(self, request, obj=None):
        if not permissions.can(request.user, "catalog.manage"):
            return False
        version = _version_of(obj)
        return version is None or version.is_editable

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


def _version_of(obj):
    if obj is None:
        return None
    if isinstance(obj, ProcedureVersion):
        return obj
    for path in ("version", "case.version", "option.version", "component.case.version"):
        target = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        if isinstance(target, ProcedureVersion):
            return target
    return None


class ReadOnlyWhenPublishedInline:
    def has_change_permission(self, request, obj=None):
        return permissions.can(request.user, "catalog.manage") and (obj is None or obj.is_editable)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, "org.view")


class ChannelInline(ReadOnlyWhenPublishedInline, admin.StackedInline):
    model = ChannelOption
    extra = 0
    fields = (("channel", "time_value", "time_unit"), "time_text", "description")


class CaseInline(ReadOnlyWhenPublishedInline, admin.TabularInline):
    model = ProcedureCase
    extra = 0
    fields = ("order", "name")
    show_change_link = True


@admin.register(Field)
class FieldAdmin(CatalogAdmin):
    list_display = ("name", "code", "procedure_count")
    search_fields = ("name", "name_folded")
    readonly_fields = ("name_folded",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("versions"))

    @admin.display(description=_("số phiên bản thủ tục"), ordering="n")
    def procedure_count(self, obj):
        return obj.n


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    extra = 0
    fields = ("number", "status", "valid_from", "valid_to", "decision_number", "decision_date")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(CatalogAdmin):
    list_display = ("code", "created_at")
    search_fields = ("code",)
    inlines = [VersionInline]


class WarningFilter(admin.SimpleListFilter):
    title = _("cảnh báo khi nhập")
    parameter_name = "warnings"

    def lookups(self, request, model_admin):
        return [("yes", _("Có cảnh báo")), ("no", _("Không có cảnh báo"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(warnings=[])
        if self.value() == "no":
            return queryset.filter(warnings=[])
        return queryset


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(CatalogAdmin):
    list_display = (
        "code",
        "short_name",
        "number",
        "status",
        "field",
        "online_class",
        "warning_count",
        "flagged",
    )
    list_filter = ("status", "online_class", "source", "flagged", WarningFilter, "field")
    search_fields = ("procedure__code", "name", "search_text")
    list_select_related = ("procedure", "field")
    autocomplete_fields = ("field", "competent_agencies")
    readonly_fields = (
        "procedure",
        "number",
        "status",
        "published_at",
        "warnings_display",
        "raw",
        "search_text",
    )
    inlines = [ChannelInline, CaseInline]
    actions = ["make_draft"]
    change_form_template = "admin/catalog/procedureversion/change_form.html"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "procedure",
                    "number",
                    "status",
                    "name",
                    "field",
                    "levels",
                    "procedure_type",
                    "applicant_types",
                    "online_class",
                    "online_class_by_rule",
                )
            },
        ),
        (
            _("Cơ quan"),
            {
                "fields": (
                    "competent_agency_text",
                    "competent_agencies",
                    "implementing_agency_text",
                    "delegated_agency_text",
                    "coordinating_agency_text",
                    "receiving_address_text",
                )
            },
        ),
        (
            _("Nội dung"),
            {
                "fields": (
                    "steps_text",
                    "conditions_text",
                    "legal_basis",
                    "legal_basis_text",
                    "results",
                )
            },
        ),
        (
            _("Công bố"),
            {
                "fields": (
                    "decision_number",
                    "decision_date",
                    "valid_from",
                    "valid_to",
                    "published_at",
                )
            },
        ),
        (
            _("Nguồn và kiểm tra dữ liệu"),
            {
                "classes": ["collapse"],
                "fields": (
                    "source",
                    "source_url",
                    "flagged",
                    "flag_reason",
                    "warnings_display",
                    "raw",
                    "search_text",
                ),
            },
        ),
    )

    @admin.display(description=_("mã"), ordering="procedure__code")
    def code(self, obj):
        return obj.procedure.code

    @admin.display(description=_("tên thủ tục"), ordering="name")
    def short_name(self, obj):
        return obj.name if len(obj.name) <= 90 else obj.name[:88] + "…"

    @admin.display(description=_("cảnh báo"))
    def warning_count(self, obj):
        return len(obj.warnings or [])

    @admin.display(description=_("cảnh báo khi nhập"))
    def warnings_display(self, obj):
        return "\n".join(f"[{w.get('code')}] {w.get('message')}" for w in obj.warnings or []) or "—"

    def save_model(self, request, obj, form, change):
        services.refresh_search_text(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Tạo bản nháp để sửa đổi"))
    def make_draft(self, request, queryset):
        for version in queryset:
            draft = services.new_draft(version)
            self.message_user(request, _("Đã có bản nháp %(v)s.") % {"v": draft}, messages.SUCCESS)

    def get_urls(self):
        from django.urls import path

        extra = [
            path(
                "<int:pk>/ban-nhap/",
                self.admin_site.admin_view(self.draft_view),
                name="catalog_procedureversion_draft",
            ),
            path(
                "<int:pk>/cong-bo/",
                self.admin_site.admin_view(self.publish_view),
                name="catalog_procedureversion_publish",
            ),
            path(
                "<int:pk>/ngay-quyet-dinh/",
                self.admin_site.admin_view(self.decision_date_view),
                name="catalog_procedureversion_decision_date",
            ),
        ]
        return extra + super().get_urls()

    def draft_view(self, request, pk):
        version = self.get_object(request, str(pk))
        if request.method != "POST" or version is None:
            return redirect("admin:catalog_procedureversion_changelist")
        permissions.require(request.user, "catalog.manage")
        draft = services.new_draft(version)
        self.message_user(request, _("Đang sửa bản nháp %(v)s.") % {"v": draft}, messages.SUCCESS)
        return redirect("admin:catalog_procedureversion_change", draft.pk)

    def publish_view(self, request, pk):
        version = self.get_object(request, str(pk))
        if request.method != "POST" or version is None:
            return redirect("admin:catalog_procedureversion_changelist")
        permissions.require(request.user, "catalog.manage")
        try:
            services.publish(
                version,
                decision_number=request.POST.get("decision_number", ""),
                decision_date=_posted_date(request, "decision_date"),
                valid_from=_posted_date(request, "valid_from") or timezone.localdate(),
            )
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(request, _("Đã công bố phiên bản."), messages.SUCCESS)
        return redirect("admin:catalog_procedureversion_change", version.pk)

    def decision_date_view(self, request, pk):
        """Record the decision date of a published version that has none (imported)."""
        version = self.get_object(request, str(pk))
        if request.method != "POST" or version is None:
            return redirect("admin:catalog_procedureversion_changelist")
        permissions.require(request.user, "catalog.manage")
        try:
            day = _posted_date(request, "decision_date")
            if day is None:
                raise ValidationError(_("Cần ngày ban hành quyết định công bố."))
            services.record_decision_date(version, day)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request, _("Đã ghi ngày ban hành quyết định công bố."), messages.SUCCESS
            )
        return redirect("admin:catalog_procedureversion_change", version.pk)


def _posted_date(request, name: str):
    """A ``YYYY-MM-DD`` date from the posted form; None when empty."""
    text = (request.POST.get(name) or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(
            _("Ngày không hợp lệ: %(v)s (dạng năm-tháng-ngày).") % {"v": text}
        ) from exc


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


@admin.register(ChannelOption)
class ChannelOptionAdmin(CatalogAdmin):
    list_display = ("version", "channel", "time_value", "time_unit")
    list_select_related = ("version__procedure",)
    inlines = [FeeInline]
    raw_id_fields = ("version",)


class FormInline(admin.TabularInline):
    model = FormTemplate
    extra = 0


class ComponentInline(admin.StackedInline):
    model = ComponentSpec
    extra = 0
    fields = (("order", "originals", "copies", "required", "datastore_substitutable"), "name")
    show_change_link = True


@admin.register(ProcedureCase)
class ProcedureCaseAdmin(CatalogAdmin):
    list_display = ("name", "version")
    list_select_related = ("version__procedure",)
    inlines = [ComponentInline]
    raw_id_fields = ("version",)


@admin.register(ComponentSpec)
class ComponentSpecAdmin(CatalogAdmin):
    list_display = ("name", "originals", "copies", "required", "case")
    list_select_related = ("case",)
    search_fields = ("name",)
    inlines = [FormInline]
    raw_id_fields = ("case",)


class StepFormSet(BaseInlineFormSet):
    """Rejects a workflow whose step budgets exceed the procedure's legal time."""

    def clean(self):
        super().clean()
        steps = [
            f.instance for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        offering = getattr(self.instance, "offering", None)
        if steps and offering is not None:
            try:
                services.validate_workflow(offering, steps)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc


class StepInline(admin.TabularInline):
    model = StepSpec
    formset = StepFormSet
    extra = 0
    autocomplete_fields = ("owner_unit", "owner_agency")


class WorkflowInline(admin.StackedInline):
    model = WorkflowTemplate
    extra = 0


@admin.register(Offering)
class OfferingAdmin(ScopedAdmin):
    view_action = "org.view"
    manage_action = "catalog.manage"
    agency_path_field = "agency__path"
    list_display = ("__str__", "agency", "version", "is_active")
    list_filter = ("is_active",)
    search_fields = ("version__procedure__code", "version__name", "agency__name")
    list_select_related = ("agency", "version__procedure")
    raw_id_fields = ("version",)
    autocomplete_fields = ("agency",)
    inlines = [WorkflowInline]


@admin.register(WorkflowTemplate)
class WorkflowTemplateAdmin(ScopedAdmin):
    view_action = "org.view"
    manage_action = "catalog.manage"
    agency_path_field = "offering__agency__path"
    list_display = ("name", "offering")
    list_select_related = ("offering__agency", "offering__version__procedure")
    inlines = [StepInline]
    raw_id_fields = ("offering",)


@admin.register(Delegation)
class DelegationAdmin(ScopedAdmin):
    view_action = "org.view"
    manage_action = "catalog.manage"
    agency_path_field = "from_agency__path"
    list_display = ("procedure", "from_agency", "to_agency", "valid_from", "valid_to")
    autocomplete_fields = ("from_agency", "to_agency")
    raw_id_fields = ("procedure",)
