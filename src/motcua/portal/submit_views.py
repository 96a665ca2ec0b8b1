"""Online submission (nộp hồ sơ trực tuyến) for signed-in citizens, on one page.

The citizen chooses the receiving agency and the case, checks the applicant's details (from
their profile, or someone they act for), attaches one file per component and says where to
receive the result. A hidden idempotency key, made when the form is shown, makes a double
submit create one dossier. Each file is validated by ``documents.validation`` and stored with
the dossier linked (``StoredFile.dossier``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.accounts import queries as account_queries
from motcua.catalog.models import OnlineClass
from motcua.catalog.queries import published_versions
from motcua.documents.storage import store_bytes
from motcua.documents.validation import UploadRejected, validate_upload
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.services import Applicant, NewDossier, create_dossier
from motcua.portal.account_views import citizen_required

T = "portal/submit/"
APPLICANT_FIELDS = ("name", "id_number", "birth_date", "phone", "email", "address")


def owned_by(profile) -> Q:
    """Dossiers of the citizen: as applicant, or as the representative who submitted them."""
    return Q(applicant_id_number=profile.id_number) | Q(representative_id_number=profile.id_number)


def _version(code: str):
    version = (
        published_versions()
        .filter(procedure__code=code)
        .select_related("procedure")
        .order_by("-number")
        .first()
    )
    if version is None:
        raise Http404
    return version


def _initial(request: HttpRequest, profile) -> dict:
    return {
        "key": str(uuid.uuid4()),
        "on_behalf": False,
        "offering": "",
        "case": "",
        "delivery": ResultDelivery.ONLINE,
        "applicant": {
            "name": request.user.display_name(),
            "id_number": profile.id_number,
            "birth_date": profile.birth_date.isoformat() if profile.birth_date else "",
            "phone": profile.phone,
            "email": profile.email,
            "address": profile.address,
        },
    }


def _posted(request: HttpRequest) -> dict:
    post = request.POST
    return {
        "key": post.get("key", "")[:64] or str(uuid.uuid4()),
        "on_behalf": post.get("on_behalf") == "1",
        "offering": post.get("offering", ""),
        "case": post.get("case", ""),
        "delivery": post.get("delivery", ""),
        "applicant": {f: post.get(f"applicant_{f}", "").strip()[:200] for f in APPLICANT_FIELDS},
    }


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _check_files(request: HttpRequest, case) -> tuple[dict, list]:
    """Validate the chosen case's files: (errors by spec id, [(spec, upload, checked)])."""
    errors, accepted, total = {}, [], 0
    for spec in case.components.all():
        upload = request.FILES.get(f"file_{spec.pk}")
        if upload is None:
            if spec.required:
                errors[spec.pk] = _("Cần đính kèm tệp cho giấy tờ này.")
            continue
        try:
            checked = validate_upload(upload, name=upload.name, dossier_total=total)
        except UploadRejected as exc:
            errors[spec.pk] = exc.message
            continue
        total += checked.size
        accepted.append((spec, upload, checked))
    return errors, accepted


def _render(request, version, offerings, cases, form, errors, *, status=200) -> HttpResponse:
    file_errors = errors.get("files", {})
    sections = [
        (case, [(spec, file_errors.get(spec.pk, "")) for spec in case.components.all()])
        for case in cases
    ]
    context = {
        "version": version,
        "offerings": offerings,
        "sections": sections,
        "form": form,
        "errors": errors,
        "deliveries": ResultDelivery.choices,
    }
    return render(request, T + "form.html", context, status=status)


@never_cache
@citizen_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """Nộp hồ sơ trực tuyến for one procedure."""
    profile = account_queries.profile_of(request.user)
    if profile is None:
        return render(request, "portal/account/no_profile.html", status=403)
    version = _version(code)
    if version.online_class == OnlineClass.NONE:
        return render(request, T + "unavailable.html", {"version": version})
    offerings = list(version.offerings.filter(is_active=True).select_related("agency"))
    cases = list(version.cases.prefetch_related("components").order_by("order", "pk"))
    if request.method == "GET":
        form = _initial(request, profile)
        if len(offerings) == 1:
            form["offering"] = str(offerings[0].pk)
        if len(cases) == 1:
            form["case"] = str(cases[0].pk)
        return _render(request, version, offerings, cases, form, {})

    form = _posted(request)
    done = Dossier.objects.filter(idempotency_key=form["key"]).filter(owned_by(profile)).first()
    if done is not None:  # the same form sent twice
        return redirect("portal:submit_done", reference=done.reference)
    errors: dict = {}
    offering = next((o for o in offerings if str(o.pk) == form["offering"]), None)
    if offering is None:
        errors["offering"] = _("Chọn cơ quan tiếp nhận hồ sơ.")
    case = next((c for c in cases if str(c.pk) == form["case"]), None)
    if case is None and cases:
        errors["case"] = _("Chọn trường hợp phù hợp với bạn.")
    if form["delivery"] not in ResultDelivery.values:
        errors["delivery"] = _("Chọn nơi nhận kết quả.")
    birth_date = _parse_date(form["applicant"]["birth_date"])
    if form["applicant"]["birth_date"] and birth_date is None:
        errors["applicant_birth_date"] = _("Ngày sinh không hợp lệ.")
    file_errors, accepted = _check_files(request, case) if case else ({}, [])
    errors["files"] = file_errors
    if any(errors.values()):
        return _invalid(request, version, offerings, cases, form, errors)

    a = form["applicant"]
    if not form["on_behalf"]:
        a["id_number"] = profile.id_number  # one's own dossier is filed under one's own number
    representative = (
        {
            "representative_name": request.user.display_name(),
            "representative_id_number": profile.id_number,
            "representative_phone": profile.phone,
        }
        if form["on_behalf"]
        else {}
    )
    data = NewDossier(
        offering=offering,
        channel="online",
        applicant=Applicant(
            name=a["name"],
            id_number=a["id_number"],
            birth_date=birth_date,
            phone=a["phone"],
            email=a["email"],
            address=a["address"],
            **representative,
        ),
        case_id=case.pk if case else None,
        components=tuple((spec.pk, spec.name, 1, 0) for spec, _u, _c in accepted),
        result_delivery=form["delivery"],
    )
    try:
        with transaction.atomic():
            dossier, created = create_dossier(request.user, data, idempotency_key=form["key"])
            if created:
                for _spec, upload, checked in accepted:
                    store_bytes(
                        checked.data,
                        original_name=upload.name,
                        content_type=checked.content_type,
                        pages=checked.pages,
                        owner_identifier=dossier.applicant_id_number,
                        dossier=dossier,
                        uploaded_by=request.user,
                    )
    except DossierError as exc:
        errors.update(exc.details)
        errors["general"] = exc.message
        return _invalid(request, version, offerings, cases, form, errors)
    return redirect("portal:submit_done", reference=dossier.reference)


def _invalid(request, version, offerings, cases, form, errors) -> HttpResponse:
    errors["reselect"] = _(
        "Hồ sơ chưa được gửi. Vui lòng sửa các mục được đánh dấu bên dưới. Các thông tin đã "
        "nhập vẫn được giữ, nhưng trình duyệt không giữ tệp đính kèm: hãy chọn lại tất cả các "
        "tệp trước khi gửi."
    )
    return _render(request, version, offerings, cases, form, errors, status=400)


@never_cache
@citizen_required
def done(request: HttpRequest, reference: str) -> HttpResponse:
    """Đã nộp: the reference, the procedure and where to follow the dossier."""
    profile = account_queries.profile_of(request.user)
    if profile is None:
        raise Http404
    dossier = (
        Dossier.objects.select_related("procedure_version", "receiving_agency")
        .filter(owned_by(profile), reference=reference)
        .first()
    )
    if dossier is None:
        raise Http404
    return render(request, T + "done.html", {"dossier": dossier})
