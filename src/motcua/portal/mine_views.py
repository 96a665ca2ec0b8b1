"""My dossiers (hồ sơ của tôi): the signed-in citizen's own dossiers, drafts and documents.

Thin views: a dossier is looked up among the citizen's own (``owned_by``: applicant or the
representative who filed it) and anything else is "not found"; what the citizen may do is
asked of the lifecycle table through ``services.available_actions``; the commands are in
:mod:`motcua.portal.applicant` and go through ``services.perform``.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.accounts import queries as account_queries
from motcua.dossiers import queries as dossier_queries
from motcua.dossiers import tracking
from motcua.dossiers.lifecycle import APPLICANT_ACTIONS
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import available_actions
from motcua.portal import applicant, drafts, issued
from motcua.portal.account_views import citizen_required
from motcua.portal.submit_views import owned_by
from motcua.ratings import queries as rating_queries

T = "portal/mine/"
LIMIT = 200


def _own(profile):
    return Dossier.objects.select_related("procedure_version", "receiving_agency").filter(
        owned_by(profile)
    )


def own_dossier(request: HttpRequest, code: str) -> Dossier:
    """One of the signed-in citizen's dossiers by code or reference; 404 otherwise (for
    another citizen's dossier too, so that nobody learns which codes exist)."""
    profile = account_queries.profile_of(request.user)
    if profile is None:
        raise Http404
    rows = _own(profile).select_related("current_agency", "procedure_version__procedure")
    dossier = rows.filter(Q(code=code) | Q(reference=code)).first()
    if dossier is None:
        raise Http404
    return dossier


@never_cache
@citizen_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The citizen's dossiers, newest first, and their unsent drafts."""
    profile = account_queries.profile_of(request.user)
    if profile is None:
        return render(request, "portal/account/no_profile.html", status=403)
    dossiers = list(_own(profile).order_by("-submitted_at", "-pk")[:LIMIT])
    rows = [(d, tracking.public_status(d)) for d in dossiers]
    context = {"rows": rows, "drafts": drafts.of_user(request.user)}
    return render(request, T + "list.html", context)


def _supplement_request(events) -> str:
    """What the agency asked for in its last supplement request (shown above the upload)."""
    for event in reversed(events):
        if event.action == "request_supplement":
            return event.reason
    return ""


def detail_context(request: HttpRequest, dossier: Dossier) -> dict:
    events = dossier_queries.history(dossier)
    specs = available_actions(dossier, request.user)
    mine_actions = {s.name: s for s in specs if s.name in APPLICANT_ACTIONS}
    return {
        "dossier": dossier,
        "status": tracking.public_status(dossier),
        "timeline": tracking.public_timeline(dossier),
        "masked_id": dossier.masked_id(),
        "actions": mine_actions,
        "asked_for": _supplement_request(events) if "receive_supplement" in mine_actions else "",
        "requests": applicant.open_requests(dossier),
        "results": issued.results(dossier),
        "forms": issued.forms(events),
        "sent_files": list(dossier.stored_files.order_by("created_at", "pk")),
        "max_files": applicant.MAX_SUPPLEMENT_FILES,
        "rating_url": rating_queries.invitation_path(dossier) if dossier.returned_at else None,
        "errors": {},
        "posted": {},
    }


@never_cache
@citizen_required
@require_GET
def mine_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One of the citizen's dossiers (by code or reference); 404 if it is not theirs."""
    dossier = own_dossier(request, code)
    return render(request, T + "detail.html", detail_context(request, dossier))


@never_cache
@citizen_required
@require_GET
def form_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """A form addressed to the applicant (Mẫu 01–05) as PDF; owner only."""
    dossier = own_dossier(request, code)
    pdf = issued.form_pdf(request, dossier, number, dossier_queries.history(dossier))
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{dossier.display_code}-mau-{number}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
