"""Public catalogue pages and the kiosk: thin callers of ``motcua.catalog.queries``.

No login is needed: everything shown here is the published catalogue.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.catalog import queries
from motcua.catalog.models import FormTemplate, Level, OnlineClass
from motcua.portal.qr import public_procedure_url, qr_svg

#: Procedures per page of the public catalogue.
PAGE_SIZE = 20
#: Procedures listed at most on one kiosk results screen (people refine rather than scroll).
KIOSK_RESULTS = 30
#: Seconds without a touch or key press before the kiosk returns to its start screen.


def _not_found(request: HttpRequest, code: str, template: str, **extra) -> HttpResponse:
    """A 404 page in the visitor's language that says what was missing and where to go."""
    context = {"code": code, "message": queries.not_found_message(code), **extra}
    return render(request, template, context, status=404)


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """Tra cứu thủ tục hành chính: search box, filters, 20 results a page."""
    filters = queries.CatalogueFilters.from_params(request.GET)
    paginator = Paginator(queries.find_procedures(filters), PAGE_SIZE)
    context = {
        "filters": filters,
        "page": paginator.get_page(request.GET.get("page")),
        "fields": queries.fields_with_counts(),
        "agencies": queries.offering_agencies(),
        "levels": Level.choices,
        "online_classes": OnlineClass.choices,
    }
    return render(request, "portal/catalogue.html", context)


@require_GET
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    """One procedure: what to prepare, where and how to submit, time and fees."""
    detail = queries.get_procedure(code)
    if detail is None:
        return _not_found(request, code, "portal/procedure_not_found.html")
    return render(request, "portal/procedure.html", {"procedure": detail})


def _kiosk_context(request: HttpRequest, *, at_home: bool) -> dict:
    """Idle timeout of the kiosk: the default, or ``?idle=<seconds>`` (1–3600) for tests."""
    raw = request.GET.get("idle", "")
    idle_param = int(raw) if raw.isdecimal() and len(raw) <= 4 and 0 < int(raw) <= 3600 else None
    home = reverse("portal:kiosk")
    if idle_param:
        home = f"{home}?idle={idle_param}"
    return {
        "idle_seconds": idle_param or settings.KIOSK_IDLE_SECONDS,
        "idle_param": idle_param,
        "kiosk_home": home,
        "at_home": at_home,
    }


@require_GET
def kiosk(request: HttpRequest) -> HttpResponse:
    """The kiosk start screen: field tiles and a big search box; results below when asked."""
    filters = queries.CatalogueFilters(
        q=request.GET.get("q", "").strip()[:200], field=request.GET.get("field", "").strip()[:200]
    )
    fields = queries.fields_with_counts()
    context = {"filters": filters, "fields": fields, **_kiosk_context(request, at_home=True)}
    if filters.active:
        results = queries.find_procedures(filters)
        context.update(
            at_home=False,
            results=results[:KIOSK_RESULTS],
            total=results.count(),
            limit=KIOSK_RESULTS,
            field=next((f for f in fields if filters.field in (f.code, str(f.id))), None),
        )
    return render(request, "portal/kiosk.html", context)


@require_GET
def kiosk_procedure(request: HttpRequest, code: str) -> HttpResponse:
    """A procedure on the kiosk: the checklist and a QR code to read it on a phone."""
    kiosk_context = _kiosk_context(request, at_home=False)
    detail = queries.get_procedure(code)
    if detail is None:
        return _not_found(request, code, "portal/kiosk_not_found.html", **kiosk_context)
    url = public_procedure_url(request, code)
    qr = qr_svg(url, title=_("Mã QR mở trang thủ tục trên điện thoại"))
    context = {"procedure": detail, "public_url": url, "qr_svg": qr, **kiosk_context}
    return render(request, "portal/kiosk_procedure.html", context)


@require_GET
def form_file(request: HttpRequest, pk: int):
    """Download a published form template (mẫu đơn, tờ khai): public, not personal data."""
    form = get_object_or_404(
        FormTemplate.objects.filter(component__case__version__status="published").exclude(file=""),
        pk=pk,
    )
    return FileResponse(form.file.open("rb"), as_attachment=True, filename=form.file_name)
