"""Staff pages of the Decision 766 index (/giam-sat/chi-so-766/): the index of an agency over
a period with what costs points and a trend chart, and the ranking of the agencies of a
province. Thin: ``index766`` computes, the permission service decides access."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.backoffice import common
from motcua.supervision import index766, queries, report, views
from motcua.supervision.dimensions import Period
from motcua.supervision.forms import SelectionForm

#: Months shown in the trend chart at most (the last ones of the period).
TREND_MONTHS = 12


@dataclass(frozen=True)
class Preset:
    label: str
    query: str
    current: bool


def presets(form: SelectionForm) -> list[Preset]:
    """Links to the evaluation periods of Decision 766 in the year of “Đến ngày”: each
    quarter, the first 6 and 9 months, the year, and the month of “Đến ngày”."""
    data = form.cleaned_data
    year, month = data["day_to"].year, data["day_to"].month
    chosen = (data["day_from"], data["day_to"])
    options = [(_("Tháng %(m)s/%(y)s") % {"m": month, "y": year}, "month", month)]
    options += [(_("Quý %(q)s") % {"q": q}, "quarter", q) for q in (1, 2, 3, 4)]
    options += [(_("6 tháng"), "half", 1), (_("9 tháng"), "nine", 1), (_("Cả năm"), "year", 1)]
    found = []
    for label, kind, number in options:
        period = Period.preset(kind, year, number)
        params = {
            "agency": data["agency"],
            "day_from": period.first.isoformat(),
            "day_to": period.last.isoformat(),
        }
        if data.get("subordinates"):
            params["subordinates"] = "on"
        current = (period.first, period.last) == chosen
        found.append(Preset(str(label), urlencode(params), current))
    return found


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    label: str
    value: Decimal
    of: Decimal


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    base: int
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


def trend_chart(results: list[index766.IndexResult], width: int = 640, height: int = 220):
    """The total of each period on a 0–100 scale, as a server-rendered line."""
    left, bottom, top_pad = 40, 30, 12
    plot = height - bottom - top_pad
    step = (width - left - 20) // max(len(results) - 1, 1)
    points = []
    for i, r in enumerate(results):
        y = height - bottom - round(plot * float(r.total) / 100)
        label = f"{r.period.first.month:02d}/{r.period.first.year % 100:02d}"
        points.append(Point(left + i * step, y, label, r.total, r.measured_max))
    return TrendChart(width, height, height - bottom, tuple(points))


def _drill(base: str, result: index766.IndexResult) -> dict[str, list[tuple[str, str]]]:
    """Per sub-indicator: (label, link) of the dossiers that cost points."""
    return {
        code: [
            (queries.METRICS[m], f"?{base}&metric={m}")
            for m in metrics
            if code in result.by_code() and result.by_code()[code].counted
        ]
        for code, metrics in queries.INDEX_METRICS.items()
    }


@common.staff_view
@require_GET
def index_page(request: HttpRequest) -> HttpResponse:
    """The Decision 766 index of an agency over a period (this year by default)."""
    agencies = views.agencies_for(request)
    form = views.selection_form(SelectionForm, request, agencies, year=True)
    context = {"form": form, "active": "index"}
    if form.is_valid():
        scope = report.for_user(request.user)
        period, selection = form.period(), form.selection()
        result = index766.compute(selection, period, now=views.now(), scope=scope)
        months = period.months()[-TREND_MONTHS:]
        trend = [result]
        if len(months) > 1:  # one month: the trend is the result itself
            trend = index766.trend(selection, months, now=views.now(), scope=scope)
        base = views.base_query(form)
        context |= {
            "index": result,
            "base": base,
            "drill": _drill(base, result),
            "presets": presets(form),
            "trend": trend,
            "chart": trend_chart(trend) if len(trend) > 1 else None,
        }
    return common.render_staff(request, "supervision/index766.html", context)


@common.staff_view
@require_GET
def ranking_page(request: HttpRequest) -> HttpResponse:
    """The agencies under the chosen one (e.g. a province) ranked by their index total."""
    agencies = views.agencies_for(request)
    form = views.selection_form(SelectionForm, request, agencies, year=True)
    context = {"form": form, "active": "ranking"}
    if form.is_valid():
        context["ranked"] = index766.ranking(
            form.selection(),
            form.period(),
            now=views.now(),
            scope=report.for_user(request.user),
        )
        context["presets"] = presets(form)
    return common.render_staff(request, "supervision/ranking.html", context)
