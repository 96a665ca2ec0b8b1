"""Work queues (hàng đợi hồ sơ), the counter screen of online dossiers awaiting intake and
the register (Sổ theo dõi hồ sơ, Mẫu 07): reads from ``dossiers.queries`` only."""

from __future__ import annotations

import dataclasses

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from motcua.backoffice import common, presenters
from motcua.backoffice.forms import QueueFilterForm, RegisterForm
from motcua.dossiers import queries
from motcua.dossiers.errors import NotFound
from motcua.dossiers.queries import Queue, QueueFilters, RequestFilter

#: Dossiers per queue page.
PAGE_SIZE = 50
#: Rows per register page (the register of a busy centre is printed page by page).
REGISTER_PAGE_SIZE = 500
#: Seconds between refreshes of the counter screen.
COUNTER_REFRESH_SECONDS = 60


class QueueForm(QueueFilterForm):
    """The queue filters, and the applicant's open requests to stop or withdraw."""

    request = forms.ChoiceField(
        label=gettext_lazy("Đề nghị của công dân"),
        choices=[
            ("", gettext_lazy("Tất cả")),
            (RequestFilter.ANY.value, gettext_lazy("Có đề nghị dừng hoặc rút")),
            (RequestFilter.STOP.value, gettext_lazy("Đề nghị dừng giải quyết")),
            (RequestFilter.WITHDRAW.value, gettext_lazy("Đề nghị rút hồ sơ")),
        ],
        required=False,
    )

    def filters(self) -> QueueFilters:
        request = (self.cleaned_data.get("request") or "") if self.is_valid() else ""
        return dataclasses.replace(super().filters(), request=request)


@common.staff_view
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """One work queue, most urgent first, 50 a page, with filters; rows whose applicant asked
    to stop or withdraw are flagged (and can be filtered)."""
    user = request.user
    common.require(user, "dossier.view")
    try:
        kind = Queue(request.GET.get("q") or Queue.UNIT)
    except ValueError:
        raise NotFound(_("Không có hàng đợi hồ sơ này.")) from None
    form = QueueForm(request.GET)
    at = common.now()
    dossiers = queries.queue(user, kind, now=at, filters=form.filters())
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "kind": kind,
        "title": queries.QUEUE_LABELS[kind],
        "form": form,
        "page": page,
        "rows": presenters.queue_rows(page.object_list, at),
        "intake": kind is Queue.INTAKE,
    }
    return common.render_staff(request, "backoffice/queue.html", context)


@common.staff_view
@require_GET
def counter(request: HttpRequest) -> HttpResponse:
    """Màn hình quầy: online dossiers awaiting the intake answer, least time left first."""
    common.require(request.user, "dossier.receive")
    at = common.now()
    context = {
        "rows": presenters.intake_rows(queries.intake_board(request.user, now=at)),
        "hours": settings.ONLINE_INTAKE_ANSWER_HOURS,
        "refresh": COUNTER_REFRESH_SECONDS,
        "now": at,
        "active": "counter",
    }
    return common.render_staff(request, "backoffice/counter.html", context)


@common.staff_view
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Sổ theo dõi hồ sơ (Mẫu 07) of a receiving unit over a date range; prints on A4."""
    user = request.user
    common.require(user, "dossier.receive")
    units = queries.reception_units(user)
    today = timezone.localdate(common.now())
    data = request.GET
    if "day_from" not in data:
        first = units[0].pk if len(units) == 1 else ""
        data = {"day_from": today.replace(day=1), "day_to": today, "unit": first}
    form = RegisterForm(units, data)
    context = {"form": form, "page": None, "unit": None, "active": "register"}
    if form.is_valid():
        d = form.cleaned_data
        unit_id = d.get("unit") or None
        rows = queries.register_rows(
            user, day_from=d["day_from"], day_to=d["day_to"], unit_id=unit_id
        )
        page = Paginator(rows, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
        unit = next((u for u in units if u.pk == unit_id), None)
        context.update(page=page, unit=unit, day_from=d["day_from"], day_to=d["day_to"])
        context["direct_rows"] = settings.REGISTER_PDF_DIRECT_ROWS
    return common.render_staff(request, "backoffice/register.html", context)
