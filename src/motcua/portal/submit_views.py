"""Online submission (nộp hồ sơ trực tuyến) for signed-in citizens: fill in, review, submit.

Step 1, one page: the citizen chooses the receiving agency and the case, checks the
applicant's details (from their profile, or someone they act for), attaches one file per
component (or picks one from their data store) and says where to receive the result.
Step 2, the review (``?ban-nhap=<key>&buoc=xem-lai``): everything entered, read-only, the ID
number masked, with a "Sửa" link back to each part; its "Nộp hồ sơ" button sends the draft.

A hidden key, made when the form is shown, names the citizen's draft
(:mod:`motcua.portal.drafts`): every post of step 1 saves it — fields, store picks and the
files that passed ``documents.validation`` — so nothing is lost on an error, a refresh, or a
trip back from the review; "Lưu bản nháp" saves without going on. The same key is the
dossier's idempotency key: a double submit makes one dossier. On submission the draft's files
pass to the dossier (``StoredFile.dossier``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
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
from motcua.core.validators import validate_cccd
from motcua.documents.validation import UploadRejected, validate_upload
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.services import Applicant, NewDossier, create_dossier
from motcua.portal import drafts, store_views
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
            "phone": profile.phone or "",
            "email": profile.email or "",
            "address": profile.address or "",
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
        "store": {  # documents picked from the data store, by component
            key.removeprefix("store_"): value[:64]
            for key, value in post.items()
            if key.startswith("store_") and key[6:].isdigit() and value
        },
    }


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _take_files(request: HttpRequest, cases, draft, owner: str) -> dict:
    """Check every file sent (for any case) and keep those that pass in the draft at once;
    "Bỏ tệp" removes one. Returns the errors by spec id."""
    errors: dict = {}
    for case in cases:
        for spec in case.components.all():
            if request.POST.get(f"remove_{spec.pk}") == "1":
                drafts.detach(draft, spec.pk)
            upload = request.FILES.get(f"file_{spec.pk}")
            if upload is None:
                continue
            total = drafts.total_size(draft, except_specs=[spec.pk])
            try:
                checked = validate_upload(upload, name=upload.name, dossier_total=total)
            except UploadRejected as exc:
                errors[spec.pk] = exc.message
                continue
            drafts.attach(draft, spec, checked, upload.name, request.user, owner)
    return errors


def _check_files(request, case, draft) -> tuple[dict, list]:
    """The chosen case's files, from the draft: (errors by spec id, [(spec, draft file)])."""
    errors, accepted = {}, []
    attached = drafts.files_by_spec(draft)
    for spec in case.components.all():
        row = attached.get(spec.pk)
        if row is None:
            if spec.required and not request.POST.get(f"store_{spec.pk}"):  # or from the store
                errors[spec.pk] = _("Cần đính kèm tệp cho giấy tờ này.")
            continue
        accepted.append((spec, row))
    return errors, accepted


def _render(
    request, version, offerings, cases, form, errors, *, status=200, draft=None
) -> HttpResponse:
    file_errors = errors.get("files", {})
    attached = drafts.files_by_spec(draft)
    for case in cases:
        for spec in case.components.all():
            spec.draft_file = attached.get(spec.pk)
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
        "draft": draft,
        **store_views.form_context(request),  # documents to pick from the data store
        "store_picks": {f"{spec}:{uid}" for spec, uid in (form.get("store") or {}).items()},
        "other_drafts": [
            d for d in drafts.of_user(request.user, version) if draft is None or d.pk != draft.pk
        ],
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
        return _show(request, profile, version, offerings, cases)

    from_review = request.POST.get("step") == "review"
    form = _posted(request)
    # The draft stays locked until the end: a double submit waits here, then finds it sent.
    with transaction.atomic():
        draft = drafts.lock_or_start(request.user, version, form["key"])
        done = _sent(request.user, profile, form["key"])
        if done is not None:  # the same form sent twice
            drafts.delete(draft)  # the empty draft just made for the repeated key
            return redirect("portal:submit_done", reference=done.reference)
        if from_review:  # the review's button carries only the key: the draft has the rest
            form, upload_errors = drafts.form_of(draft), {}
        else:
            form["key"] = draft.key
            drafts.save_fields(draft, form)
            upload_errors = _take_files(request, cases, draft, profile.id_number)
        action = request.POST.get("action", "send")
        if action == "save":
            if not upload_errors:
                messages.success(request, _("Đã lưu bản nháp. Bạn có thể tiếp tục bất cứ lúc nào."))
                return redirect(_draft_url(version, draft))
            errors = {"files": upload_errors}
            return _invalid(request, version, offerings, cases, form, errors, draft)
        checked = _check(profile, offerings, cases, form, draft, upload_errors)
        if checked.errors:
            return _invalid(request, version, offerings, cases, form, checked.errors, draft)
        if action == "review":
            return redirect(_draft_url(version, draft) + "&buoc=xem-lai")
        return _send(request, profile, version, offerings, cases, form, draft, checked)


@dataclass
class Checked:
    """The form checked as a whole: the errors, or what the dossier is made of."""

    errors: dict
    offering: object = None
    case: object = None
    birth_date: dt.date | None = None
    accepted: list = field(default_factory=list)  # [(spec, draft file)]
    picks: dict = field(default_factory=dict)  # {spec id: (spec, data-store document)}


def _check(profile, offerings, cases, form, draft, upload_errors) -> Checked:
    """Check the whole form against the draft's files and the citizen's data store."""
    errors: dict = {}
    offering = next((o for o in offerings if str(o.pk) == form["offering"]), None)
    if offering is None:
        errors["offering"] = _("Chọn cơ quan tiếp nhận hồ sơ.")
    case = next((c for c in cases if str(c.pk) == form["case"]), None)
    if case is None and cases:
        errors["case"] = _("Chọn trường hợp phù hợp với bạn.")
    if form["delivery"] not in ResultDelivery.values:
        errors["delivery"] = _("Chọn nơi nhận kết quả.")
    birth_date = _parse_date(form["applicant"].get("birth_date", ""))
    if form["applicant"].get("birth_date") and birth_date is None:
        errors["applicant_birth_date"] = _("Ngày sinh không hợp lệ.")
    errors.update(_applicant_errors(form, profile, birth_date))
    store = {f"store_{spec}": uid for spec, uid in (form.get("store") or {}).items()}
    chosen = SimpleNamespace(POST=store)  # the store picks as the data store's check reads them
    file_errors, accepted = _check_files(chosen, case, draft) if case else ({}, [])
    errors["files"] = {**file_errors, **upload_errors}
    picks = store_views.picked(chosen, case, profile, errors["files"], accepted) if case else {}
    if not any(errors.values()):
        errors = {}
    return Checked(errors, offering, case, birth_date, accepted, picks)


def _applicant_errors(form, profile, birth_date) -> dict:
    """What ``create_dossier`` would refuse in the applicant's details, found before the
    review (the service checks them again when the dossier is made)."""
    a = form["applicant"]
    errors = {}
    if not (a.get("name") or "").strip():
        errors["applicant_name"] = _("Cần ghi họ tên người nộp.")
    number = a.get("id_number", "") if form["on_behalf"] else profile.id_number
    try:
        validate_cccd(number or "", birth_date)
    except ValidationError as exc:
        errors["applicant_id_number"] = " ".join(exc.messages)
    if errors:
        errors["general"] = _("Thông tin người nộp chưa hợp lệ.")
    return errors


def _send(request, profile, version, offerings, cases, form, draft, checked: Checked):
    """Make the dossier from the checked draft."""
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
    accepted, picks = checked.accepted, checked.picks
    data = NewDossier(
        offering=checked.offering,
        channel="online",
        applicant=Applicant(
            name=a.get("name", ""),
            id_number=a.get("id_number", ""),
            birth_date=checked.birth_date,
            phone=a.get("phone", ""),
            email=a.get("email", ""),
            address=a.get("address", ""),
            **representative,
        ),
        case_id=checked.case.pk if checked.case else None,
        components=tuple((spec.pk, spec.name, 1, 0) for spec, _row in accepted)
        + store_views.components(picks),
        result_delivery=form["delivery"],
    )
    key = drafts.dossier_key(request.user, form["key"])
    try:
        with transaction.atomic():
            dossier, created = create_dossier(request.user, data, idempotency_key=key)
            if created:
                drafts.hand_over(draft, dossier, [spec.pk for spec, _row in accepted])
                store_views.record(dossier, accepted, picks, request.user, profile)
    except DossierError as exc:
        errors = {**exc.details, "general": exc.message}
        return _invalid(request, version, offerings, cases, form, errors, draft)
    return redirect("portal:submit_done", reference=dossier.reference)


def _sent(user, profile, key: str):
    """The dossier already made from this form's key, if any."""
    keys = [drafts.dossier_key(user, key), key]  # (older forms used the bare key)
    return Dossier.objects.filter(idempotency_key__in=keys).filter(owned_by(profile)).first()


def _draft_url(version, draft) -> str:
    from django.urls import reverse

    url = reverse("portal:submit", args=[version.procedure.code])
    return f"{url}?ban-nhap={draft.key}"


def _show(request, profile, version, offerings, cases) -> HttpResponse:
    """The empty form, a saved draft (``?ban-nhap=<key>``) with its files, or the draft's
    review (``&buoc=xem-lai``)."""
    key = request.GET.get("ban-nhap", "")
    draft = drafts.find(request.user, key) if key else None
    if key and draft is None:
        done = _sent(request.user, profile, key)
        if done is not None:  # already sent: show where it went
            return redirect("portal:submit_done", reference=done.reference)
        messages.warning(request, _("Không tìm thấy bản nháp này (có thể đã được xóa)."))
    if draft is not None and draft.version_id == version.pk:
        form = drafts.form_of(draft)
        form["applicant"] = {**_initial(request, profile)["applicant"], **form["applicant"]}
        if request.GET.get("buoc") == "xem-lai":
            return _review(request, profile, version, offerings, cases, form, draft)
    else:
        draft = None
        form = _initial(request, profile)
        if len(offerings) == 1:
            form["offering"] = str(offerings[0].pk)
        if len(cases) == 1:
            form["case"] = str(cases[0].pk)
    return _render(request, version, offerings, cases, form, {}, draft=draft)


def _review(request, profile, version, offerings, cases, form, draft) -> HttpResponse:
    """Step 2: what will be sent, read-only; an incomplete draft goes back to the form."""
    checked = _check(profile, offerings, cases, form, draft, {})
    if checked.errors:
        return _invalid(request, version, offerings, cases, form, checked.errors, draft)
    applicant = dict(form["applicant"])
    if not form["on_behalf"]:
        applicant["id_number"] = profile.id_number
    components = [
        {"spec": spec, "file": None, "document": None}
        for spec in (checked.case.components.all() if checked.case else [])
    ]
    files = {spec.pk: row.stored_file for spec, row in checked.accepted}
    for item in components:
        item["file"] = files.get(item["spec"].pk)
        pick = checked.picks.get(item["spec"].pk)
        item["document"] = pick[1] if pick else None
    context = {
        "version": version,
        "form": form,
        "draft": draft,
        "checked": checked,
        "applicant": applicant,
        "masked_id": masked(applicant.get("id_number", "")),
        "components": components,
        "delivery": ResultDelivery(form["delivery"]).label,
        "edit_url": _draft_url(version, draft),
    }
    return render(request, T + "review.html", context)


def masked(number: str) -> str:
    """An ID number with only its last 4 digits shown."""
    number = number or ""
    return "•" * max(len(number) - 4, 0) + number[-4:]


def _invalid(request, version, offerings, cases, form, errors, draft=None) -> HttpResponse:
    errors["reselect"] = _(
        "Hồ sơ chưa được gửi. Vui lòng sửa các mục được đánh dấu bên dưới. Các thông tin đã "
        "nhập và các tệp đã đính kèm hợp lệ được lưu trong bản nháp, không cần chọn lại."
    )
    return _render(request, version, offerings, cases, form, errors, status=400, draft=draft)


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
