"""Admin screens: the outbox (read-only, with the dead messages apart), templates with a
preview, and citizens' channel preferences. Logic lives in :mod:`motcua.notify.services`."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template import TemplateSyntaxError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from motcua.notify import queries, services
from motcua.notify.models import ChannelPreference, DeadMessage, MessageTemplate, OutboxMessage
from motcua.notify.privacy import mask_id
from motcua.notify.rendering import VARIABLES, check_syntax, sample_context


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: messages change only by delivery or by an administrator's "send again"."""

    change_list_template = "admin/notify/outbox_change_list.html"
    list_display = (
        "created_at",
        "template_key",
        "channel",
        "masked_recipient",
        "dossier",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "channel", "template_key", "language")
    search_fields = ("=dossier__code", "=dossier__reference")
    list_select_related = ("dossier",)
    date_hierarchy = "created_at"
    actions = ("send_again",)
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("người nhận"))
    def masked_recipient(self, obj):
        return obj.masked_recipient()

    @admin.action(description=_("Gửi lại ngay các thông báo đã chọn"), permissions=["change"])
    def send_again(self, request, queryset):
        count = services.requeue(queryset)
        self.message_user(request, _("Đã xếp lại %(n)s thông báo để gửi.") % {"n": count})

    def changelist_view(self, request, extra_context=None):
        context = {"dead_count": queries.dead_count(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)


@admin.register(DeadMessage)
class DeadMessageAdmin(OutboxMessageAdmin):
    list_filter = ("channel", "template_key")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=OutboxMessage.Status.DEAD)


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ("key", "kind", "language", "subject", "body", "is_active")

    def _checked(self, name: str) -> str:
        text = self.cleaned_data.get(name, "")
        try:
            check_syntax(text)
        except TemplateSyntaxError as exc:
            raise ValidationError(_("Mẫu sai cú pháp: %(error)s"), params={"error": exc}) from exc
        return text

    def clean_subject(self):
        return self._checked("subject")

    def clean_body(self):
        return self._checked("body")


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ("key", "kind", "language", "subject", "is_active", "updated_at", "preview")
    list_filter = ("key", "kind", "language", "is_active")
    search_fields = ("subject", "body")
    readonly_fields = ("variables", "preview")
    fields = ("key", "kind", "language", "subject", "body", "is_active", "variables", "preview")

    @admin.display(description=_("biến dùng được"))
    def variables(self, obj):
        items = format_html_join("", "<li><code>{{{{ {} }}}}</code> — {}</li>", VARIABLES.items())
        return format_html("<ul>{}</ul>", items)

    @admin.display(description=_("xem trước"))
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:notify_messagetemplate_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Xem trước"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.preview_view)
        extra = [path("<int:pk>/preview/", view, name="notify_messagetemplate_preview")]
        return extra + super().get_urls()

    def preview_view(self, request, pk: int):
        template = get_object_or_404(MessageTemplate, pk=pk)
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        try:
            rendered, error = services.preview(template), None
        except Exception as exc:  # show the administrator what is wrong with the template
            rendered, error = None, str(exc)
            messages.error(request, _("Không hiển thị được mẫu: %(e)s") % {"e": exc})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": template,
            "title": _("Xem trước: %(t)s") % {"t": template},
            "rendered": rendered,
            "error": error,
            "sample": sorted(sample_context(template.language).items()),
            "length": len(rendered.body) if rendered else 0,
        }
        return TemplateResponse(request, "admin/notify/messagetemplate/preview.html", context)


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ("masked_id", "email", "sms", "zalo", "language", "updated_at")
    list_filter = ("email", "sms", "zalo", "language")
    search_fields = ("=id_number",)

    @admin.display(description=_("số định danh"))
    def masked_id(self, obj):
        return mask_id(obj.id_number)
