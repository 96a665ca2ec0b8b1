"""Admin screens of the printed forms: template versions (drafts editable, published ones
read-only) and each agency's letterhead and numbering; issued forms and register prints are
read-only. Access through :mod:`motcua.org.permissions` (``documents.template_manage``,
administrators, within their agencies; general versions for every agency: superusers)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.documents import templating
from motcua.documents.print_models import (
    AgencyLetterhead,
    DocumentTemplate,
    FormNumber,
    IssuedForm,
    RegisterPrint,
)
from motcua.org import permissions
from motcua.org.models import Agency

MANAGE = "documents.template_manage"
permissions.register_action(MANAGE, {permissions.Role.ADMINISTRATOR})
permissions.register_scope(AgencyLetterhead, lambda row: permissions.scope_of(row.agency))


def _may_manage(user, agency) -> bool:
    """Agency rows: administrators of that agency; general rows: superusers only."""
    if agency is None:
        return bool(user.is_active and user.is_superuser)
    return permissions.can(user, MANAGE, agency)


def _agencies(user):
    q = permissions.scope_q(user, MANAGE, agency_path_field="path")
    return Agency.objects.filter(q).order_by("name")


class PrintAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return permissions.can(request.user, "org.view")

    def has_view_permission(self, request, obj=None):
        return permissions.can(request.user, "org.view")

    def has_add_permission(self, request):
        return permissions.can(request.user, MANAGE)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = _agencies(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ("form", "agency", "valid_from", "decision", "note", "source")
        widgets = {"source": forms.Textarea(attrs={"rows": 30, "cols": 110, "spellcheck": "false"})}

    def clean_source(self) -> str:
        source = self.cleaned_data["source"]
        templating.check_source(source)
        return source


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(PrintAdmin):
    form = DocumentTemplateForm
    list_display = ("form", "agency", "version", "status", "valid_from", "decision", "published_at")
    list_filter = ("form", "status")
    search_fields = ("decision", "note", "agency__name")
    readonly_fields = ("version", "status", "published_at", "published_by")
    list_select_related = ("agency",)
    actions = ["publish_selected"]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return permissions.can(request.user, MANAGE)
        return obj.is_editable and _may_manage(request.user, obj.agency)

    has_delete_permission = has_change_permission

    def get_changeform_initial_data(self, request):
        """A new version starts from the one in force (or the built-in template)."""
        initial = super().get_changeform_initial_data(request)
        form = request.GET.get("form")
        if form in FormNumber.values:
            initial.setdefault("form", form)
            current = templating.in_force(form, None, timezone.now())
            initial["source"] = current.source if current else templating.builtin_source(form)
        return initial

    def save_model(self, request, obj, form, change):
        if not _may_manage(request.user, obj.agency):
            raise ValidationError(_("Bạn không có quyền sửa mẫu in của cơ quan này."))
        if not change:
            last = (
                DocumentTemplate.objects.filter(form=obj.form, agency=obj.agency)
                .order_by("-version")
                .first()
            )
            obj.version = (last.version if last else 0) + 1
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Ban hành các phiên bản đã chọn"))
    def publish_selected(self, request, queryset):
        done = 0
        for version in queryset:
            if not _may_manage(request.user, version.agency):
                self.message_user(request, _("Không có quyền: %s") % version, messages.ERROR)
                continue
            try:
                templating.publish(version, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{version}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            message = ngettext(
                "Đã ban hành %(count)d phiên bản.", "Đã ban hành %(count)d phiên bản.", done
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view(self.in_force_view)
        extra = [path("ap-dung/", view, name="documents_documenttemplate_in_force")]
        return extra + super().get_urls()

    def in_force_view(self, request):
        """Read-only: for one agency, the version of each form in force now and whose it is
        (the agency's own, inherited from an agency above it, general, or built-in), and the
        number format it uses."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        q = permissions.scope_q(request.user, "org.view", agency_path_field="path")
        agencies = Agency.objects.filter(q).only("pk", "name", "identifier").order_by("path")
        chosen = request.GET.get("agency", "")
        agency = Agency.objects.filter(q, pk=chosen).first() if chosen.isdigit() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Mẫu in đang áp dụng cho cơ quan"),
            "agencies": agencies,
            "agency": agency,
            **(in_force_report(agency) if agency is not None else {}),
        }
        return TemplateResponse(request, "admin/documents/in_force.html", context)


def _owner(version, agency) -> str:
    if version is None:
        return str(_("Mẫu gốc của phần mềm"))
    if version.agency_id is None:
        return str(_("Phiên bản chung cho mọi cơ quan"))
    if version.agency_id == agency.pk:
        return str(_("Phiên bản riêng của cơ quan"))
    return str(_("Kế thừa từ %(agency)s") % {"agency": version.agency})


def in_force_report(agency, at=None) -> dict:
    """What :meth:`DocumentTemplateAdmin.in_force_view` shows for ``agency`` (two queries for
    the versions and the numbering, one for its own letterhead)."""
    at = at or timezone.now()
    versions = templating.in_force_all(agency, at)
    rows = [
        {
            "form": FormNumber(form).label,
            "version": version,
            "owner": _owner(version, agency),
        }
        for form, version in versions.items()
    ]
    numbering = templating.numbering_in_force(agency)
    if numbering is None:
        number_owner = _("Không đặt: số là mã hồ sơ")
    elif numbering.agency_id == agency.pk and not numbering.number_format:
        number_owner = _("Không kế thừa của cơ quan cấp trên: số là mã hồ sơ")
    elif numbering.agency_id == agency.pk:
        number_owner = _("Của chính cơ quan")
    else:
        number_owner = _("Kế thừa từ %(agency)s") % {"agency": numbering.agency}
    return {
        "rows": rows,
        "numbering": numbering,
        "number_owner": number_owner,
        "letterhead": templating.letterhead_lines(agency),
    }


class AgencyLetterheadForm(forms.ModelForm):
    class Meta:
        model = AgencyLetterhead
        fields = (
            "agency",
            "parent_line",
            "name_line",
            "result_parent_line",
            "result_name_line",
            "place",
            "number_format",
            "own_numbering",
        )

    def clean_number_format(self) -> str:
        pattern = self.cleaned_data["number_format"].strip()
        if pattern:
            templating.check_number_format(pattern)
        return pattern


@admin.register(AgencyLetterhead)
class AgencyLetterheadAdmin(PrintAdmin):
    form = AgencyLetterheadForm
    list_display = (
        "agency",
        "parent_line",
        "name_line",
        "place",
        "number_format",
        "own_numbering",
        "updated_at",
        "in_force_link",
    )
    search_fields = ("agency__name", "agency__identifier", "parent_line", "name_line")
    list_select_related = ("agency",)

    @admin.display(description=_("mẫu in đang áp dụng"))
    def in_force_link(self, obj):
        url = reverse("admin:documents_documenttemplate_in_force")
        return format_html('<a href="{}?agency={}">{}</a>', url, obj.agency_id, _("Xem"))

    def get_queryset(self, request):
        q = permissions.scope_q(request.user, "org.view", agency_path_field="agency__path")
        return super().get_queryset(request).filter(q)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return permissions.can(request.user, MANAGE)
        return _may_manage(request.user, obj.agency)

    has_delete_permission = has_change_permission


@admin.register(IssuedForm)
class IssuedFormAdmin(PrintAdmin):
    list_display = ("form", "number", "dossier", "agency", "template", "issued_at")
    list_filter = ("form",)
    search_fields = ("dossier__code", "number")
    list_select_related = ("dossier", "agency", "template")
    scope_path = "agency__path"

    def get_queryset(self, request):
        q = permissions.scope_q(request.user, "org.view", agency_path_field=self.scope_path)
        return super().get_queryset(request).filter(q)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegisterPrint)
class RegisterPrintAdmin(IssuedFormAdmin):
    list_display = ("__str__", "unit", "requested_by", "status", "rows_done", "rows_total")
    list_filter = ("status",)
    search_fields = ("requested_by__username",)
    list_select_related = ("unit", "requested_by")
    exclude = ("stored_file",)
    scope_path = "unit__agency__path"
