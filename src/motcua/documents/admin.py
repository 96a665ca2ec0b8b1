"""Read-only admin lists of stored files and issued results (files download via the
permission-checked view only)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from motcua.documents import print_admin  # noqa: F401  (printed forms: versions, letterheads)
from motcua.documents.models import (
    DigitisationRule,
    DigitisedDocument,
    DocumentReuse,
    IssuedDocument,
    StoredFile,
)
from motcua.org import permissions


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = (
        "original_name",
        "content_type",
        "size",
        "pages",
        "encrypted",
        "dossier",
        "created_at",
    )
    list_filter = ("encrypted", "content_type")
    search_fields = ("sha256", "dossier__code")
    readonly_fields = ("download",)
    exclude = ("owner_identifier",)
    list_select_related = ("dossier",)

    @admin.display(description="tải tệp")
    def download(self, obj: StoredFile) -> str:
        url = reverse("documents:download", args=[obj.uid])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "procedure_code", "signer_name", "issued_at")
    search_fields = ("code", "sha256", "procedure_code")
    list_select_related = ("dossier",)


@admin.register(DigitisationRule)
class DigitisationRuleAdmin(admin.ModelAdmin):
    """The province's choice per component: digitise always, on request, or never (why)."""

    list_display = ("component", "requirement", "legal_basis")
    list_filter = ("requirement",)
    search_fields = ("component__name", "component__case__version__procedure__code")
    raw_id_fields = ("component",)

    def has_module_permission(self, request) -> bool:
        return permissions.can(request.user, "org.view")

    def has_view_permission(self, request, obj=None) -> bool:
        return permissions.can(request.user, "org.view")

    def has_add_permission(self, request) -> bool:
        return permissions.can(request.user, "catalog.manage")

    def has_change_permission(self, request, obj=None) -> bool:
        return permissions.can(request.user, "catalog.manage")

    def has_delete_permission(self, request, obj=None) -> bool:
        return permissions.can(request.user, "catalog.manage")


@admin.register(DigitisedDocument)
class DigitisedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "number", "issuer", "source", "pages", "dossier", "created_at")
    list_filter = ("source", "kind")
    search_fields = ("number", "dossier__code")
    exclude = ("owner_identifier",)
    list_select_related = ("dossier",)


@admin.register(DocumentReuse)
class DocumentReuseAdmin(ReadOnlyAdmin):
    list_display = ("document", "dossier", "channel", "at")
    list_filter = ("channel",)
    search_fields = ("dossier__code",)
    list_select_related = ("document", "dossier")
