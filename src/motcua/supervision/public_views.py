"""Public statistics pages (/thong-ke/, no login) and their open data (CSV, JSON)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.supervision import opendata, public


def now() -> dt.datetime:
    """The instant the pages read at (tests replace it to pin the clock)."""
    return timezone.now()


@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    """Per agency: this month and this year, the 766 total; a 12-month chart of one agency
    (``?co-quan=<identifier>``) or of all of them."""
    data = public.collect(now())
    chosen = data.find(request.GET.get("co-quan", ""))
    months = chosen.months if chosen else data.combined_months()
    context = {
        "data": data,
        "chosen": chosen,
        "chart": public.chart(months),
        "months": sorted(months.items()),
    }
    return render(request, "supervision/public.html", context)


@require_GET
def stats_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(opendata.as_csv(public.collect(now())), content_type="text/csv")
    response["Content-Disposition"] = 'inline; filename="thong-ke.csv"'
    return response


@require_GET
def stats_json(request: HttpRequest) -> HttpResponse:
    at = now()
    body = opendata.as_json(public.collect(at), at)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
