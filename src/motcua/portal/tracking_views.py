"""Public dossier tracking (tra cứu hồ sơ): thin views over :mod:`motcua.portal.tracking_page`.

Rate-limited per client address against enumeration (failed look-ups counted in the shared
cache, :mod:`motcua.core.ratelimit`; once over the limit even a correct look-up is refused
until the window ends); a wrong code and wrong digits get the same answer, and nothing
personal is shown in full. A look-up costs one query when the dossier's part of the page is
in the cache, two otherwise (pinned by ``tests/portal/test_tracking.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.core import ratelimit
from motcua.portal import tracking_page

FORM = "portal/tracking/form.html"


def _key(request: HttpRequest) -> str:
    return f"track:{ratelimit.client_ip(request)}"


def _limited(request: HttpRequest) -> bool:
    return ratelimit.blocked(_key(request), limit=settings.TRACKING_ATTEMPTS)


def _count_failure(request: HttpRequest) -> None:
    ratelimit.hit(
        _key(request), limit=settings.TRACKING_ATTEMPTS, window=settings.TRACKING_WINDOW_SECONDS
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    minutes = max(settings.TRACKING_WINDOW_SECONDS // 60, 1)
    error = _(
        "Bạn đã tra cứu sai quá nhiều lần. Vì an toàn thông tin của người nộp, việc tra cứu "
        "từ máy của bạn tạm dừng. Vui lòng thử lại sau %(minutes)s phút."
    ) % {"minutes": minutes}
    return render(request, FORM, {"error": error, "blocked": True}, status=429)


def _show(request: HttpRequest, found: tracking_page.Found) -> HttpResponse:
    part = tracking_page.dossier_part(found)
    return render(request, "portal/tracking/result.html", {"found": found, "part": part})


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Tra cứu: dossier code + last 4 digits of the ID number or phone."""
    if request.method == "GET":
        return render(request, FORM, {"code": request.GET.get("ma", "")[:60]})
    if _limited(request):
        return _too_many(request)
    code, last4 = request.POST.get("code", ""), request.POST.get("last4", "")
    found = tracking_page.find(code, last4)
    if found is None:
        _count_failure(request)
        error = _(
            "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối đã nhập. Kiểm tra lại mã trên "
            "giấy tiếp nhận và 4 số cuối của số định danh hoặc số điện thoại người nộp."
        )
        return render(request, FORM, {"code": code.strip()[:60], "error": error}, status=404)
    return _show(request, found)


@never_cache
@require_http_methods(["GET"])
def track_token(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt's QR link: ``/tra-cuu/<code>/?t=<signed token>``."""
    if _limited(request):
        return _too_many(request)
    found = tracking_page.find_by_token(code, request.GET.get("t", ""))
    if found is None:
        _count_failure(request)
        error = _(
            "Đường dẫn tra cứu không hợp lệ hoặc đã hết hạn. Hãy nhập mã hồ sơ và 4 số cuối để "
            "tra cứu."
        )
        return render(request, FORM, {"code": code[:60], "error": error}, status=404)
    return _show(request, found)
