"""Citizens' pages, no login: the rating form of the invitation link and the counter tablet.

Thin callers of :mod:`motcua.ratings.services` and :mod:`motcua.ratings.queries`.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from motcua.ratings import queries, services, web
from motcua.ratings.errors import InvalidAnswers, RatingError
from motcua.ratings.tokens import SOURCE_PARAM, SOURCE_TRACKING, TABLET_COOKIE, TOKEN_PARAM


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """Đánh giá qua đường dẫn: ``/danh-gia/<code>/?t=<token>`` from the invitation."""
    token = request.POST.get(TOKEN_PARAM) or request.GET.get(TOKEN_PARAM, "")
    source = request.POST.get(SOURCE_PARAM) or request.GET.get(SOURCE_PARAM)
    from_tracking = source == SOURCE_TRACKING
    error = None
    if request.method == "POST":
        via = services.ByLink(code, token, from_tracking)
        comment = request.POST.get("comment", "")
        try:
            services.submit_rating(via, web.answers_from(request.POST), comment, now=web.now())
            return redirect("ratings:thanks")
        except InvalidAnswers as exc:
            error = exc
        except RatingError as exc:
            return web.problem(request, exc)
    try:
        dossier = queries.open_link(code, token, web.now())
    except RatingError as exc:
        return web.problem(request, exc)
    questions = queries.questions(queries.active_criteria(), web.language())
    context = {
        "dossier": dossier,
        "rows": web.form_rows(questions, web.answers_from(request.POST), error and error.details),
        "error": error,
        "comment": request.POST.get("comment", ""),
        "token": token,
        "source": SOURCE_TRACKING if from_tracking else "",
    }
    return render(request, "ratings/online.html", context, status=400 if error else 200)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "ratings/thanks.html")


# --- the counter tablet ----------------------------------------------------------------------


def tablet_view(view):
    """Only a device paired with the counter (cookie) sees its tablet pages."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, counter_id: int) -> HttpResponse:
        counter = queries.counter(counter_id)
        if counter is None or not counter.is_active:
            raise Http404(_("Không có quầy này."))
        key = request.COOKIES.get(TABLET_COOKIE, "")
        if not queries.tablet_paired(key, counter.pk, web.now()):
            context = {"counter": counter}
            return render(request, "ratings/tablet_unpaired.html", context, status=403)
        return view(request, counter)

    return never_cache(wrapped)


def _tablet_context(counter, **extra) -> dict:
    return {
        "counter": counter,
        "home": reverse("ratings:tablet", args=[counter.pk]),
        "status_url": reverse("ratings:tablet_status", args=[counter.pk]),
        "poll_seconds": settings.RATING_TABLET_POLL_SECONDS,
        "reset_seconds": settings.RATING_TABLET_RESET_SECONDS,
        **extra,
    }


@tablet_view
@require_http_methods(["GET", "POST"])
def tablet(request: HttpRequest, counter) -> HttpResponse:
    """Màn hình đánh giá tại quầy: idle, or the current transaction's rating form."""
    error = None
    if request.method == "POST":
        via = services.AtCounter(counter.pk, _int(request.POST.get("phien")))
        comment = request.POST.get("comment", "")
        try:
            services.submit_rating(via, web.answers_from(request.POST), comment, now=web.now())
            return redirect("ratings:tablet_thanks", counter.pk)
        except InvalidAnswers as exc:
            error = exc
        except RatingError as exc:
            context = _tablet_context(counter, screen="message")
            return web.problem(request, exc, "ratings/tablet.html", **context)
    session = queries.current_session(counter.pk, web.now())
    if session is None:
        return render(request, "ratings/tablet.html", _tablet_context(counter, screen="idle"))
    questions = queries.questions(queries.active_criteria(), web.language())
    rows = web.form_rows(questions, web.answers_from(request.POST), error and error.details)
    context = _tablet_context(
        counter,
        screen="form",
        session=session,
        rows=rows,
        error=error,
        comment=request.POST.get("comment", ""),
    )
    return render(request, "ratings/tablet.html", context, status=400 if error else 200)


def _int(value) -> int:
    return web.int_param(value) or 0


@never_cache
@require_GET
def tablet_status(request: HttpRequest, counter_id: int) -> JsonResponse:
    """What the tablet should show now (polled): the open transaction's id, or null."""
    at = web.now()
    if not queries.tablet_paired(request.COOKIES.get(TABLET_COOKIE, ""), counter_id, at):
        message = _("Thiết bị chưa được kích hoạt cho quầy này.")
        return JsonResponse({"error": message}, status=403)
    return JsonResponse({"session": queries.current_session_id(counter_id, at)})


@require_GET
def tablet_thanks(request: HttpRequest, counter_id: int) -> HttpResponse:
    """Thanks, then back to the idle screen after ``RATING_TABLET_RESET_SECONDS``."""
    counter = queries.counter(counter_id)
    if counter is None:
        raise Http404(_("Không có quầy này."))
    return render(request, "ratings/tablet.html", _tablet_context(counter, screen="thanks"))
