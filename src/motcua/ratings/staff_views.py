"""Staff pages of ratings: a counter's transaction on its tablet, a unit's ratings and the
supervisors' aggregates. Access is decided by the permission service only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.backoffice.common import render_staff, staff_view
from motcua.org import permissions
from motcua.org.models import Counter
from motcua.ratings import access, queries, services, web
from motcua.ratings.errors import RatingError
from motcua.ratings.forms import SessionForm, period_from
from motcua.ratings.tokens import TABLET_COOKIE


def _counter_for(user, counter_id: int) -> Counter:
    counter = queries.counter(counter_id)
    if counter is None:
        raise Http404(_("Không có quầy này."))
    if not permissions.can(user, access.COUNTER_SESSION, counter):
        raise PermissionDenied(_("Chỉ cán bộ một cửa của quầy này mới mở được trang này."))
    return counter


@staff_view
@require_http_methods(["GET", "POST"])
def session(request: HttpRequest, counter_id: int) -> HttpResponse:
    """Phiên đánh giá tại quầy: put a dossier on the counter's tablet, or take it off."""
    counter = _counter_for(request.user, counter_id)
    form, status = SessionForm(), 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "end":
                services.end_session(request.user, counter, now=web.now())
                messages.success(request, _("Màn hình đánh giá đã trở về màn hình chờ."))
                return redirect("ratings:session", counter.pk)
            form = SessionForm(request.POST)
            if form.is_valid():
                code = form.cleaned_data["ma_ho_so"]
                services.start_session(request.user, counter, code, now=web.now())
                messages.success(
                    request, _("Hồ sơ %(code)s đang hiện trên màn hình đánh giá.") % {"code": code}
                )
                return redirect("ratings:session", counter.pk)
            status = 400
        except RatingError as exc:
            form.add_error("ma_ho_so" if "ma_ho_so" in form.fields else None, exc.message)
            status = exc.status
    context = {
        "counter": counter,
        "form": form,
        "current": queries.current_session(counter.pk, web.now()),
        "candidates": queries.session_candidates(counter),
        "tablet_url": reverse("ratings:tablet", args=[counter.pk]),
    }
    return render_staff(request, "ratings/staff/session.html", context, status=status)


@staff_view
@require_POST
def pair(request: HttpRequest, counter_id: int) -> HttpResponse:
    """Make this device the counter's rating tablet, then sign the officer out of it (the
    screen faces citizens)."""
    counter = _counter_for(request.user, counter_id)
    key = services.pair_tablet(request.user, counter, now=web.now())
    logout(request)
    response = redirect("ratings:tablet", counter.pk)
    response.set_cookie(
        TABLET_COOKIE,
        key,
        max_age=settings.RATING_TABLET_PAIRING_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@staff_view
@require_GET
def unit(request: HttpRequest) -> HttpResponse:
    """Kết quả đánh giá của đơn vị: counts, satisfaction rate, criteria, officers, comments."""
    units = queries.visible_units(request.user)
    if not units:
        raise PermissionDenied(_("Trang này dành cho cán bộ, lãnh đạo của đơn vị."))
    wanted = web.int_param(request.GET.get("don_vi"))
    chosen = next((u for u in units if u.pk == wanted), units[0])
    form, period = period_from(request.GET, timezone.localdate(web.now()))
    can_run = permissions.can(request.user, access.COUNTER_SESSION, chosen)
    context = {
        "units": units,
        "form": form,
        "report": queries.unit_report(chosen, period, web.language()),
        "counters": list(chosen.counters.filter(is_active=True)) if can_run else [],
    }
    return render_staff(request, "ratings/staff/unit.html", context)


@staff_view
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Tổng hợp đánh giá (giám sát): across the user's scope, per unit, month and officer."""
    if not permissions.can(request.user, access.VIEW_ALL):
        raise PermissionDenied(_("Trang tổng hợp dành cho cán bộ giám sát và quản trị."))
    form, period = period_from(request.GET, timezone.localdate(web.now()))
    context = {"form": form, "report": queries.scope_report(request.user, period)}
    return render_staff(request, "ratings/staff/overview.html", context)
