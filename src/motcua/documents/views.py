"""Public verification pages (/xac-thuc/) and the permission-checked file download."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core import ratelimit
from motcua.documents import access, crypto, queries, storage, validation, verification
from motcua.documents.models import StoredFile

log = logging.getLogger(__name__)


class VerifyForm(forms.Form):
    pdf = forms.FileField(label=_("Tệp PDF cần kiểm tra"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pdf"]
        field.help_text = gettext("Chọn tệp PDF văn bản điện tử (tối đa %(mb)s MB).") % {
            "mb": settings.UPLOAD_MAX_FILE_MB
        }
        field.widget.attrs.update({"accept": "application/pdf,.pdf"})

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        limit = settings.UPLOAD_MAX_FILE_MB * validation.MB
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(mb)s MB, quá giới hạn kiểm tra."),
                code="too_large",
                params={"mb": settings.UPLOAD_MAX_FILE_MB},
            )
        data = upload.read()
        if validation.sniff(data) != "pdf":
            raise forms.ValidationError(
                _("Tệp này không phải PDF. Hãy chọn tệp văn bản điện tử dạng PDF."), code="not_pdf"
            )
        return data


def _over_limit(request: HttpRequest) -> bool:
    """Count one verification for the client address; True once over ``VERIFY_ATTEMPTS``."""
    return not ratelimit.hit(
        f"verify:{ratelimit.client_ip(request)}",
        limit=settings.VERIFY_ATTEMPTS,
        window=settings.VERIFY_WINDOW_SECONDS,
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Upload a PDF (or arrive from a QR link with a code) and see whether it is genuine."""
    record = queries.issued_document(code) if code else None
    posted = request.method == "POST"
    form = VerifyForm(request.POST, request.FILES) if posted else VerifyForm()
    result, status = None, 200
    if posted and _over_limit(request):
        minutes = max(settings.VERIFY_WINDOW_SECONDS // 60, 1)
        message = ngettext(
            "Bạn đã kiểm tra quá nhiều tệp. Vui lòng thử lại sau %(minutes)s phút.",
            "Bạn đã kiểm tra quá nhiều tệp. Vui lòng thử lại sau %(minutes)s phút.",
            minutes,
        )
        form.add_error(None, message % {"minutes": minutes})
        status = 429
    elif posted and form.is_valid():
        result = verification.verify_pdf(form.cleaned_data["pdf"], code=code if record else None)
    context = {
        "code": code,
        "record": record,
        "tracking_link": _tracking_link(code) if code and record is None else None,
        "form": form,
        "result": result,
    }
    if code and record is None:
        status = 404
    return render(request, "documents/verify.html", context, status=status)


def _tracking_link(code: str) -> str | None:
    """The tracking page with ``code`` filled in (for a dossier code typed here by mistake)."""
    try:
        return f"{reverse('portal:track')}?{urlencode({'ma': code})}"
    except NoReverseMatch:
        return None


@require_GET
def download(request: HttpRequest, uid) -> HttpResponse:
    """A stored file, for those :func:`~motcua.documents.access.can_download` allows.

    Anonymous visitors go to the login page; files they may not see are "not found", so
    that nobody learns which files exist.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    stored = (
        StoredFile.objects.select_related("dossier__current_agency", "dossier__receiving_agency")
        .filter(uid=uid)
        .first()
    )
    if stored is None or not access.can_download(request.user, stored):
        raise Http404(gettext("Không tìm thấy tệp."))
    try:
        data = storage.read_bytes(stored)
    except (storage.StoredFileDamaged, crypto.DecryptionFailed):
        log.exception("stored file %s cannot be read", stored.pk)
        return HttpResponse(
            gettext("Tệp đang không đọc được. Hãy báo quản trị hệ thống."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    log.info("file %s downloaded by user %s", stored.pk, request.user.pk)
    response = HttpResponse(data, content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(True, stored.original_name)
    response["Cache-Control"] = "private, no-store"
    return response
