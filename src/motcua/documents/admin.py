"""Read-only admin lists of stored files and issued results (files download via the
permission-checked view only)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from motcua.documents.models import IssuedDocument, StoredFile


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
