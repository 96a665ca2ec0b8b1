"""Staff pages of supervision (/giam-sat/): the period report (HTML, XLSX and PDF) and the
dossiers behind each of its numbers (the index pages are in ``index_views``). Thin: the forms
say what is asked, ``report`` and ``queries`` answer, the permission service decides access."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.backoffice import common
from motcua.dossiers.errors import NotFound
from motcua.supervision import export, pdf, queries, report
from motcua.supervision.dimensions import local_day
from motcua.supervision.forms import DrillDownForm, ReportForm, SelectionForm

#: Dossiers per page of a drill-down list.
PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def now() -> dt.datetime:
    """The instant the pages read at (tests replace it to pin the clock)."""
    return timezone.now()


def agencies_for(request: HttpRequest) -> list:
    common.require(request.user, queries.VIEW)
    agencies = queries.supervised_agencies(request.user)
    if not agencies:
        raise PermissionDenied(_("Bạn chưa được phân quyền giám sát cơ quan nào."))
    return agencies


def selection_form(form_class, request: HttpRequest, agencies, *, year: bool = False):
    data = request.GET
    if "agency" not in data:
        data = form_class.defaults(agencies, local_day(now()), year=year)
    return form_class(agencies, data)


def base_query(form: SelectionForm) -> str:
    data = form.cleaned_data
    params = {
        "agency": data["agency"],
        "day_from": data["day_from"].isoformat(),
        "day_to": data["day_to"].isoformat(),
        "group_by": data.get("group_by") or "field",
    }
    if data.get("subordinates"):
        params["subordinates"] = "on"
    return urlencode(params)


@common.staff_view
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    """Biểu 06/VPCP/KSTT on screen; every number links to its dossiers."""
    agencies = agencies_for(request)
    form = selection_form(ReportForm, request, agencies)
    context = {"form": form, "active": "report", "columns": report.COLUMNS}
    if form.is_valid():
        context["report"] = _build(request, form)
        context["base"] = base_query(form)
        context["header_rows"] = _header_rows()
    return common.render_staff(request, "supervision/report.html", context)


def _build(request: HttpRequest, form: ReportForm) -> report.PeriodReport:
    return report.build(
        form.selection(),
        form.period(),
        group_by=form.cleaned_data["group_by"],
        now=now(),
        scope=report.for_user(request.user),
    )


def _header_rows() -> list[list[tuple[int, int, str]]]:
    rows: list[list[tuple[int, int, str]]] = [[], [], []]
    for row, _col, rowspan, colspan, text in report.HEADER:
        rows[row - 1].append((rowspan, colspan, text))
    return rows


@common.staff_view
@require_GET
def report_xlsx(request: HttpRequest) -> HttpResponse:
    """The same report as an Excel file laid out like the official table."""
    agencies = agencies_for(request)
    form = selection_form(ReportForm, request, agencies)
    if not form.is_valid():
        return redirect(reverse("supervision:report") + "?" + request.GET.urlencode())
    built = _build(request, form)
    response = HttpResponse(export.workbook_bytes(built), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(built)}.xlsx"'
    return response


@common.staff_view
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The same report as a PDF (A4 landscape, merged headers like the official table)."""
    agencies = agencies_for(request)
    form = selection_form(ReportForm, request, agencies)
    if not form.is_valid():
        return redirect(reverse("supervision:report") + "?" + request.GET.urlencode())
    built = _build(request, form)
    response = HttpResponse(pdf.report_pdf(built, now()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(built)}.pdf"'
    return response


def _file_name(built: report.PeriodReport) -> str:
    period = built.period
    agency = built.selection.agency.identifier
    return f"bieu-06-{agency}-{period.first:%Y%m%d}-{period.last:%Y%m%d}"


@common.staff_view
@require_GET
def dossiers_page(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one number of the report or of the index, 50 a page."""
    agencies = agencies_for(request)
    form = DrillDownForm(agencies, request.GET)
    if not form.is_valid():
        raise NotFound(_("Không xác định được số liệu cần xem chi tiết."))
    data = form.cleaned_data
    cell = _cell(data)
    dossiers = queries.dossiers_behind(request.user, form.selection(), form.period(), cell, now())
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    group_label = ""
    if cell.group_by:
        labels = queries.group_labels(cell.group_by, [cell.group_id])
        group_label = labels.get(cell.group_id) or _("(Chưa phân loại)")
    context = {
        "form": form,
        "page": page,
        "metric_label": queries.METRICS[cell.metric],
        "group_label": group_label,
        "level_label": dict(form.fields["level"].choices).get(cell.level or "", ""),
        "selection": form.selection(),
        "period": form.period(),
        "active": "report",
    }
    return common.render_staff(request, "supervision/dossiers.html", context)


def _cell(data: dict) -> queries.Cell:
    group = data.get("group") or ""
    group_by = (data.get("group_by") or "field") if group else None
    group_id = int(group) if group.isdigit() else None
    return queries.Cell(data["metric"], group_by, group_id, data.get("level") or None)
