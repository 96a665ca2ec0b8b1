"""Public dossier tracking (tra cứu hồ sơ): thin views over ``motcua.dossiers.tracking``.

Rate-limited per client address against enumeration; failures and successes answer in the
same time shape, and nothing personal is shown in full.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.core import ratelimit
from motcua.dossiers import tracking


def _limited(request: HttpRequest) -> bool:
    return ratelimit.blocked(
        f"track:{ratelimit.client_ip(request)}", limit=settings.TRACKING_ATTEMPTS
    )


def _count_failure(request: HttpRequest) -> None:
    ratelimit.hit(
        f"track:{ratelimit.client_ip(request)}",
        limit=settings.TRACKING_ATTEMPTS,
        window=settings.TRACKING_WINDOW_SECONDS,
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    minutes = max(settings.TRACKING_WINDOW_SECONDS // 60, 1)
    return render(
        request,
        "portal/tracking/form.html",
        {
            "error": f"Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
            "blocked": True,
        },
        status=429,
    )


def _show(request: HttpRequest, dossier) -> HttpResponse:
    context = {
        "dossier": dossier,
        "status": tracking.public_status(dossier),
        "timeline": tracking.public_timeline(dossier),
        "masked_id": dossier.masked_id(),
    }
    return render(request, "portal/tracking/result.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Tra cứu: dossier code + last 4 digits of the ID number or phone."""
    if request.method == "GET":
        return render(request, "portal/tracking/form.html", {"code": request.GET.get("ma", "")})
    if _limited(request):
        return _too_many(request)
    code, last4 = request.POST.get("code", ""), request.POST.get("last4", "")
    dossier = tracking.find_for_tracking(code, last4)
    if dossier is None:
        _count_failure(request)
        return render(
            request,
            "portal/tracking/form.html",
            {
                "code": code.strip(),
                "error": "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối đã nhập. Kiểm tra "
                "lại mã trên giấy tiếp nhận và 4 số cuối của số định danh hoặc số điện "
                "thoại người nộp.",
            },
            status=404,
        )
    return _show(request, dossier)


@never_cache
@require_http_methods(["GET"])
def track_token(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt's QR link: ``/tra-cuu/<code>/?t=<signed token>``."""
    if _limited(request):
        return _too_many(request)
    dossier = tracking.dossier_from_token(code, request.GET.get("t", ""))
    if dossier is None:
        _count_failure(request)
        return render(
            request,
            "portal/tracking/form.html",
            {
                "code": code,
                "error": "Đường dẫn tra cứu không hợp lệ hoặc đã hết hạn. Hãy nhập mã "
                "hồ sơ và 4 số cuối để tra cứu.",
            },
            status=404,
        )
    return _show(request, dossier)
