"""What the citizen does from "My dossiers": answer a supplement request, withdraw, ask to
stop; and delete a draft. Thin views over :mod:`motcua.portal.applicant`.

Post/redirect/get on success; on an error the dossier page is shown again with the message
next to the field and what was typed; a dossier changed meanwhile asks to look again.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.dossiers.errors import Conflict, DossierError
from motcua.portal import applicant, drafts
from motcua.portal.account_views import citizen_required
from motcua.portal.mine_views import detail_context, own_dossier

#: The page's forms: the path word, and the actions it may take (the first one allowed).
FORMS = {
    "bo-sung": ("receive_supplement",),
    "rut-ho-so": ("withdraw", "request_withdrawal"),
    "dung-giai-quyet": ("request_stop",),
}
DONE = {
    "receive_supplement": gettext_lazy(
        "Đã nộp hồ sơ bổ sung. Cơ quan tiếp tục giải quyết hồ sơ của bạn."
    ),
    "withdraw": gettext_lazy("Đã rút hồ sơ."),
    "request_withdrawal": gettext_lazy(
        "Đã gửi đề nghị rút hồ sơ. Bộ phận một cửa sẽ xử lý và thông báo cho bạn."
    ),
    "request_stop": gettext_lazy(
        "Đã gửi đề nghị dừng giải quyết. Cơ quan sẽ ra thông báo dừng giải quyết (Mẫu 05)."
    ),
}


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _run(request: HttpRequest, dossier, action: str) -> None:
    post, version = request.POST, _version(request)
    if action == "receive_supplement":
        files, errors = applicant.check_supplement_files(dossier, request.FILES.getlist("files"))
        if errors:
            raise DossierError(_("Tệp đính kèm chưa hợp lệ."), details={"files": errors})
        applicant.answer_supplement(
            dossier, request.user, files, post.get("note", ""), expected_version=version
        )
    elif action == "withdraw":
        applicant.withdraw(dossier, request.user, post.get("reason", ""), expected_version=version)
    else:
        applicant.ask(
            dossier, request.user, action, post.get("reason", ""), expected_version=version
        )


@never_cache
@citizen_required
@require_POST
def act(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """One of the applicant's actions on their own dossier (404 for anyone else's)."""
    dossier = own_dossier(request, code)
    context = detail_context(request, dossier)
    action = next((a for a in FORMS.get(form, ()) if a in context["actions"]), None)
    if action is None:
        if form not in FORMS:
            raise Http404
        messages.error(request, _("Hồ sơ ở trạng thái hiện tại không cho phép thao tác này."))
        return redirect("portal:mine_detail", dossier.display_code)
    try:
        _run(request, dossier, action)
    except Conflict:
        messages.error(
            request, _("Hồ sơ vừa được cập nhật. Vui lòng xem lại tình trạng rồi thao tác lại.")
        )
        return redirect("portal:mine_detail", dossier.display_code)
    except DossierError as exc:
        details = exc.details or {}
        field_errors = details.get("files") or []
        if details.get("reason"):
            context["errors"]["reason"] = _("Cần ghi rõ lý do.")
        context["errors"].update({"form": form, "message": exc.message, "files": field_errors})
        context["posted"] = {
            "reason": request.POST.get("reason", ""),
            "note": request.POST.get("note", ""),
        }
        return render(request, "portal/mine/detail.html", context, status=400)
    messages.success(request, DONE[action])
    return redirect("portal:mine_detail", dossier.display_code)


@never_cache
@citizen_required
@require_POST
def delete_draft(request: HttpRequest, key: str) -> HttpResponse:
    """Delete one of the citizen's own drafts (and its files)."""
    draft = drafts.find(request.user, key)
    if draft is None:
        raise Http404
    drafts.delete(draft)
    messages.success(request, _("Đã xóa bản nháp."))
    return redirect("portal:mine")
