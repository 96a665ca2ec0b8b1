"""My dossiers (hồ sơ của tôi): the signed-in citizen's own dossiers and their progress."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.accounts import queries as account_queries
from motcua.dossiers import tracking
from motcua.dossiers.models import Dossier
from motcua.portal.account_views import citizen_required
from motcua.portal.submit_views import owned_by

T = "portal/mine/"
LIMIT = 200


def _own(profile):
    return Dossier.objects.select_related("procedure_version", "receiving_agency").filter(
        owned_by(profile)
    )


@never_cache
@citizen_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The citizen's dossiers, newest first."""
    profile = account_queries.profile_of(request.user)
    if profile is None:
        return render(request, "portal/account/no_profile.html", status=403)
    dossiers = list(_own(profile).order_by("-submitted_at", "-pk")[:LIMIT])
    rows = [(d, tracking.public_status(d)) for d in dossiers]
    return render(request, T + "list.html", {"rows": rows})


@never_cache
@citizen_required
@require_GET
def mine_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One of the citizen's dossiers (by code or reference); 404 if it is not theirs."""
    profile = account_queries.profile_of(request.user)
    if profile is None:
        raise Http404
    dossier = _own(profile).filter(Q(code=code) | Q(reference=code)).first()
    if dossier is None:
        raise Http404
    context = {
        "dossier": dossier,
        "status": tracking.public_status(dossier),
        "timeline": tracking.public_timeline(dossier),
        "masked_id": dossier.masked_id(),
    }
    return render(request, T + "detail.html", context)
