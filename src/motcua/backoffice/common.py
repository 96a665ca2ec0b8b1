"""What every back-office view shares: the clock, login, the staff navigation (work queues
with their counts) and finding a dossier inside the user's scope (404 outside it).

Access is decided only by :mod:`motcua.org.permissions`; the counts and rows come from
:mod:`motcua.dossiers.queries`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers import queries
from motcua.dossiers.errors import NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import Queue
from motcua.org import permissions

LOGIN_URL = reverse_lazy("backoffice:login")

#: The work queues of the navigation and the permissions that make each one useful.
NAV_QUEUES: tuple[tuple[Queue, tuple[str, ...]], ...] = (
    (Queue.MINE, ("dossier.complete_step", "dossier.approve")),
    (Queue.UNIT, ("dossier.view",)),
    (Queue.APPROVAL, ("dossier.approve",)),
    (Queue.APOLOGISE, ("dossier.apologise",)),
    (Queue.OVERDUE, ("dossier.view",)),
    (Queue.INTAKE, ("dossier.receive",)),
    (Queue.RETURN, ("dossier.receive",)),
    (Queue.REQUESTS, ("dossier.stop",)),
)
#: Queue labels (marked for translation in ``queries``).
LABELS = queries.QUEUE_LABELS


def now() -> dt.datetime:
    """The instant the views read and act at (tests replace it to pin the clock)."""
    return timezone.now()


@dataclass(frozen=True)
class NavQueue:
    kind: Queue
    label: str
    count: int
    url: str


def queues_for(user) -> list[Queue]:
    """The queues worth showing to ``user`` (no query once the grants are loaded)."""
    return [q for q, needs in NAV_QUEUES if any(permissions.can(user, a) for a in needs)]


def queue_url(kind: Queue | str) -> str:
    return f"{reverse('backoffice:queue')}?q={Queue(kind).value}"


def render_staff(
    request: HttpRequest, template: str, context: dict | None = None, *, status: int = 200
) -> HttpResponse:
    """Render a staff page with the navigation: queues with counts (one query) and tools."""
    user = request.user
    kinds = queues_for(user)
    counts = queries.queue_counts(user, kinds, now=now()) if kinds else {}
    nav = [NavQueue(k, str(LABELS[k]), counts.get(k, 0), queue_url(k)) for k in kinds]
    staff = {
        "nav_queues": nav,
        "can_receive": permissions.can(user, "dossier.receive"),
        "display_name": _display_name(user),
    }
    return render(request, template, {**staff, **(context or {})}, status=status)


def _display_name(user) -> str:
    method = getattr(user, "display_name", None)
    return method() if callable(method) else str(user)


def staff_view(view):
    """Login required (the staff login page); a dossier outside the user's scope is a 404
    and a page outside their role a 403, both as staff pages in Vietnamese."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            context = {"message": exc.message}
            return render_staff(request, "backoffice/not_found.html", context, status=404)
        except PermissionDenied as exc:
            message = str(exc) or _("Bạn không có quyền mở trang này.")
            context = {"message": message}
            return render_staff(request, "backoffice/forbidden.html", context, status=403)

    return login_required(wrapped, login_url=LOGIN_URL)


def require(user, action: str) -> None:
    """Allow the page only to staff who may take ``action`` somewhere (else 403)."""
    if not permissions.can(user, action):
        raise PermissionDenied(_("Trang này dành cho cán bộ có vai trò phù hợp."))


def visible(dossier: Dossier, user) -> bool:
    """Staff see a dossier where it sits now or where it was received (same rule as the API)."""
    return permissions.can(user, "dossier.view", dossier.permission_scope()) or permissions.can(
        user, "dossier.view", dossier.receiving_scope()
    )


def get_dossier(user, code: str) -> Dossier:
    """The dossier with ``code`` (or its temporary reference) if ``user`` may see it."""
    dossier = queries.dossier_detail(code)
    if dossier is None or not visible(dossier, user):
        raise NotFound(_("Không tìm thấy hồ sơ (hoặc hồ sơ ngoài phạm vi của bạn)."))
    return dossier
