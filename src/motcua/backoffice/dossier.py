"""The dossier page (hồ sơ): summary, applicant, components, timeline, control sheet, and
a small form for each action the user may take now — posted to ``services.perform``.

Post/redirect/get on success; on an input or rule error the page is shown again with what
was typed and the Vietnamese message; a version conflict asks to reload.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.backoffice import common, presenters
from motcua.backoffice.forms import ActionForm
from motcua.documents import queries as documents_queries
from motcua.dossiers import queries
from motcua.dossiers.errors import Conflict, DossierError, NotFound
from motcua.dossiers.lifecycle import ACTIONS
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import available_actions
from motcua.postal.services import act as postal_act

CONFLICT = _("Hồ sơ vừa được cập nhật, vui lòng tải lại trang rồi thao tác lại.")
#: Actions that move the dossier forward (shown as the main buttons).
FORWARD = frozenset(
    {"receive", "transfer", "complete_step", "approve", "return_result", "receive_supplement"}
)
#: Actions that end or refuse (shown as warning buttons).
ENDING = frozenset({"refuse", "reject", "stop", "withdraw"})


@common.staff_view
@require_GET
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, common.get_dossier(request.user, code))


def _page(
    request: HttpRequest, d: Dossier, *, failed: ActionForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    at = common.now()
    events = queries.history(d)
    specs = available_actions(d, user)
    assignees = queries.assignable_users(d) if any(s.name == "assign" for s in specs) else []
    forms = []
    for spec in specs:
        if failed is not None and failed.spec.name == spec.name:
            forms.append(failed)
        else:
            forms.append(ActionForm(spec, d, assignees=assignees, now=at))
    context = {
        "d": d,
        "row": presenters.queue_rows([d], at)[0],
        "forms": forms,
        "forward": FORWARD,
        "ending": ENDING,
        "failed": failed.spec.name if failed is not None else "",
        "personal_data": common.visible(d, user),
        "components": list(d.components.all()),
        "pauses": list(d.pauses.all()),
        "timeline": presenters.timeline(events),
        "control": queries.control_sheet(d),
        "prints": presenters.available_prints(events),
        "results": documents_queries.signed_results(d) if d.result_code else [],
        "limit": presenters.limit_text(d.limit_value, d.limit_unit),
    }
    return common.render_staff(request, "backoffice/dossier.html", context, status=status)


@common.staff_view
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Take one lifecycle action with the version the user saw."""
    user = request.user
    d = common.get_dossier(user, code)
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotFound(_("Thao tác không tồn tại."))
    assignees = queries.assignable_users(d) if action == "assign" else []
    at = common.now()
    form = ActionForm(spec, d, request.POST, assignees=assignees, now=at)
    if not form.is_valid():
        messages.error(request, _("Chưa thực hiện được: vui lòng xem lại các ô được đánh dấu."))
        return _page(request, d, failed=form, status=400)
    version = form.cleaned_data["expected_version"]
    handover = form.postal_handover()  # a result sent by post: the handover is recorded too
    try:  # a receipt from the post dates from the handover (postal.services.act)
        d = postal_act(
            d, action, user, handover=handover, now=at, expected_version=version, **form.params()
        )
    except Conflict:
        messages.error(request, CONFLICT)
        return redirect("backoffice:dossier", d.display_code)
    except DossierError as exc:
        messages.error(request, exc.message)
        for field, detail in exc.details.items():
            if field in form.fields:
                form.add_error(
                    field, exc.message if detail in ("required", "after_due") else detail
                )
        return _page(request, d, failed=form, status=400)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": _(spec.label)})
    return redirect("backoffice:dossier", d.display_code)
