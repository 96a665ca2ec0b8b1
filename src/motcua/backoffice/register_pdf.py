"""The register (Sổ theo dõi hồ sơ, Mẫu 07) as PDF: small registers at once, large ones as a
background task with a status page that refreshes itself and a permission-checked download.

Access: ``dossier.receive`` (as the HTML register); the units offered are those the officer
receives for; a background print is seen and downloaded only by the officer who asked
(:mod:`motcua.documents.printjobs`).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, numberformat
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.backoffice import common
from motcua.backoffice.forms import RegisterForm
from motcua.documents import crypto, printjobs, storage
from motcua.documents.print_models import RegisterPrint
from motcua.dossiers import queries
from motcua.dossiers.errors import NotFound

log = logging.getLogger(__name__)
#: Seconds between refreshes of the status page of a background print.
REFRESH_SECONDS = 3


@common.staff_view
@require_POST
def register_pdf(request: HttpRequest) -> HttpResponse:
    """Print the register of a unit and period as PDF (A4 landscape)."""
    user = request.user
    common.require(user, printjobs.ACTION)
    units = queries.reception_units(user)
    form = RegisterForm(units, request.POST)
    back = reverse("backoffice:register")
    if not form.is_valid():
        messages.error(request, _("Chưa in được sổ: vui lòng chọn lại bộ phận và thời gian."))
        query = {k: request.POST.get(k, "") for k in ("unit", "day_from", "day_to")}
        return redirect(f"{back}?{urlencode(query)}")
    data = form.cleaned_data
    unit = next((u for u in units if u.pk == data.get("unit")), None)
    period = {"unit": unit, "day_from": data["day_from"], "day_to": data["day_to"]}
    rows = printjobs.count(user, **period)
    if printjobs.is_small(rows):
        pdf, _rows = printjobs.build(user, **period, at=common.now())
        return _pdf(pdf, printjobs.filename(**period))
    job, created = printjobs.request_print(user, **period, now=common.now())
    if not created:
        messages.info(request, _("Sổ này đang được tạo; không cần gửi lại yêu cầu."))
    return redirect("backoffice:register_job", job.uid)


def _job(request: HttpRequest, uid) -> RegisterPrint:
    job = RegisterPrint.objects.select_related("unit__agency", "stored_file").filter(uid=uid)
    found = job.first()
    if found is None or not printjobs.visible_to(request.user, found):
        raise NotFound(_("Không tìm thấy yêu cầu in sổ (hoặc yêu cầu không phải của bạn)."))
    return found


def _n(value: int) -> str:
    """``1.000`` in Vietnamese, ``1,000`` in English (groups of three)."""
    separator = formats.get_format("THOUSAND_SEPARATOR")
    return numberformat.format(value, "", grouping=3, thousand_sep=separator, force_grouping=True)


@common.staff_view
@require_GET
def register_job(request: HttpRequest, uid) -> HttpResponse:
    """Progress of a background print; refreshes itself until the file is ready."""
    job = _job(request, uid)
    context = {
        "job": job,
        "done": _n(job.rows_done),
        "total": _n(job.rows_total),
        "refresh": None if job.finished else REFRESH_SECONDS,
        "retry": {"unit": job.unit_id or "", "day_from": job.day_from, "day_to": job.day_to},
        "active": "register",
    }
    return common.render_staff(request, "backoffice/register_job.html", context)


@common.staff_view
@require_GET
def register_job_download(request: HttpRequest, uid) -> HttpResponse:
    """The finished register PDF, for the officer who asked for it only."""
    job = _job(request, uid)
    if not printjobs.can_download(request.user, job):
        raise NotFound(_("Tệp sổ theo dõi chưa sẵn sàng."))
    try:
        data = storage.read_bytes(job.stored_file)
    except (storage.StoredFileDamaged, crypto.DecryptionFailed) as exc:
        log.exception("register print %s cannot be read", job.pk)
        raise NotFound(_("Không đọc được tệp sổ theo dõi; vui lòng in lại.")) from exc
    log.info("register print %s downloaded by user %s", job.pk, request.user.pk)
    return _pdf(data, job.stored_file.original_name)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
