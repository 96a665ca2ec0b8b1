"""The leaders' operations dashboard and the surprise inspection list (/giam-sat/)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from motcua.backoffice import common
from motcua.supervision import dashboard, views
from motcua.supervision.queries import VIEW

#: Seconds between automatic reloads of the dashboard.
REFRESH_SECONDS = 60


@common.staff_view
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """Today's intake, overdue, due soon and apologies due in the user's scope."""
    common.require(request.user, VIEW)
    board = dashboard.build(request.user, views.now())
    context = {"board": board, "refresh": REFRESH_SECONDS, "active": "dashboard"}
    return common.render_staff(request, "supervision/dashboard.html", context)


def _gap_days(raw: str | None) -> int:
    try:
        days = int(raw or dashboard.DEFAULT_GAP_DAYS)
    except ValueError:
        return dashboard.DEFAULT_GAP_DAYS
    return min(max(days, 1), 3650)


@common.staff_view
@require_GET
def inspection_page(request: HttpRequest) -> HttpResponse:
    """Dossiers worth a surprise check: ended without a result code, or long idle gaps."""
    common.require(request.user, VIEW)
    gap = _gap_days(request.GET.get("gap"))
    context = {
        "gap": gap,
        "missing_result": dashboard.ended_without_result(request.user),
        "gaps": dashboard.long_gaps(request.user, gap),
        "active": "inspection",
    }
    return common.render_staff(request, "supervision/inspection.html", context)
