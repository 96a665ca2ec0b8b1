"""The public tracking page's reads (tra cứu hồ sơ), built for the portal's busiest page.

A lookup is **one** query: the dossier's summary row by code (or online reference), with the
procedure's and agency's names, column by column (no model instances). The part of the page
that shows the dossier (summary and timeline) is kept rendered in the shared cache (Redis,
``CACHE_URL``) under the dossier's id, its version and the language: every change to a dossier
bumps its version (:func:`motcua.dossiers.services.perform`), so a cached part is never out of
date for the dossier itself; names of procedures, agencies and units changed since are seen
after at most ``TRACKING_CACHE_SECONDS``. A miss costs one more query: the events, with the
name of the unit of each step, described in plain Vietnamese by
:mod:`motcua.dossiers.tracking`. Only masked personal data is ever in the cached part (the ID
number's last 4 digits, as on the page).

Both statements are compiled by the ORM once per thread and then only executed: compiling
them cost more CPU than PostgreSQL spends answering them (``bench/bench_tracking.py``).
"""

from __future__ import annotations

import hmac
import logging
import threading
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from motcua.dossiers import tracking
from motcua.dossiers.models import Dossier, DossierEvent

log = logging.getLogger(__name__)
#: The plain-Vietnamese wording of each event stays with the dossier's own tracking rules.
_describe = tracking.describe
#: Bump when the cached part's template or wording changes, so a deploy never serves old parts.
FRAGMENT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Found:
    """The summary row of a dossier found for tracking."""

    pk: int
    version: int
    code: str | None
    reference: str
    state: str
    due_at: object
    apologised: bool
    applicant_id_number: str
    applicant_phone: str
    procedure_name: str
    agency_name: str

    @property
    def display_code(self) -> str:
        return self.code or self.reference


_SUMMARY = tuple(f.name for f in Found.__dataclass_fields__.values())[:9] + (
    "procedure_version__name",
    "receiving_agency__name",
)
_EVENT = ("at", "action", "reason", "payload", "to_state", "step_id")
_STEP_UNIT = ("step__owner_unit__name", "step__owner_agency__name")


class _Statement(threading.local):
    """A read compiled by the ORM once per thread, executed with new parameters."""

    def __init__(self, build, placeholders: tuple) -> None:
        self.build, self.placeholders, self.compiled = build, placeholders, None

    def rows(self, *params, alias: str = DEFAULT_DB_ALIAS) -> list:
        if self.compiled is None or self.compiled[0] != alias:
            compiler = self.build(*self.placeholders).query.get_compiler(alias)
            sql, compiled_params = compiler.as_sql()
            if tuple(compiled_params) != self.placeholders:  # pragma: no cover (ORM changed)
                raise RuntimeError(f"unexpected parameters {compiled_params!r} in {sql}")
            self.compiled = (alias, sql, compiler)
        _alias, sql, compiler = self.compiled
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return list(compiler.results_iter(results=[fetched])) if fetched else []


_CODE = "\x00code\x00"
_summary = _Statement(
    lambda code, ref: (
        Dossier.objects.filter(Q(code=code) | Q(reference=ref)).values_list(*_SUMMARY).order_by()
    )[:1],
    (_CODE, _CODE),
)
_events = _Statement(
    lambda pk: (
        DossierEvent.objects.filter(dossier_id=pk).order_by("seq").values_list(*_EVENT, *_STEP_UNIT)
    ),
    (-1,),
)


def _digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def find(code: str, last4: str) -> Found | None:
    """The dossier whose code (or reference) is ``code`` and whose applicant's ID number or
    phone ends with ``last4``; None otherwise — the same answer whichever part is wrong (the
    rule of :func:`motcua.dossiers.tracking.find_for_tracking`, in one query)."""
    code, last4 = (code or "").strip(), _digits(last4)
    if len(last4) != 4 or not code or len(code) > 60:
        return None
    rows = _summary.rows(code, code)
    if not rows:
        return None
    found = Found(*rows[0])
    candidates = (_digits(found.applicant_id_number)[-4:], _digits(found.applicant_phone)[-4:])
    ok = False
    for candidate in candidates:  # both compared, whichever matches: the same time either way
        ok |= bool(candidate) and hmac.compare_digest(candidate, last4)
    return found if ok else None


def find_by_token(code: str, token: str) -> Found | None:
    """The dossier of a receipt's QR link (a signed token instead of the 4 digits)."""
    dossier = tracking.dossier_from_token(code, token)
    if dossier is None:
        return None
    return Found(
        dossier.pk,
        dossier.version,
        dossier.code,
        dossier.reference,
        dossier.state,
        dossier.due_at,
        dossier.apologised,
        dossier.applicant_id_number,
        dossier.applicant_phone,
        dossier.procedure_version.name,
        dossier.receiving_agency.name,
    )


def timeline(pk: int) -> list[dict]:
    """The dossier's public timeline (what :func:`tracking.public_timeline` says) from one
    column-wise read, with its times formatted for the page."""
    rows = _events.rows(pk)
    units = {row[5]: row[6] or row[7] for row in rows if row[5]}
    items = []
    for row in rows:
        event = SimpleNamespace(**dict(zip(_EVENT, row[:6], strict=True)))
        item = _describe(event, units)
        if item is None:
            continue
        moment = timezone.localtime(item.at)
        items.append(
            {
                "iso": moment.isoformat(),
                "text": moment.strftime("%H:%M %d/%m/%Y"),
                "title": item.title,
                "detail": item.detail,
                "waiting_for_you": item.waiting_for_you,
            }
        )
    return items


def _render(found: Found) -> str:
    dossier = Dossier(state=found.state, applicant_id_number=found.applicant_id_number)
    due = timezone.localtime(found.due_at) if found.due_at else None
    context = {
        "found": found,
        "status": tracking.public_status(dossier),
        "timeline": timeline(found.pk),
        "masked_id": dossier.masked_id(),
        "due_time": due.strftime("%H:%M") if due else "",
        "due_day": due.strftime("%d/%m/%Y") if due else "",
    }
    return render_to_string("portal/tracking/_dossier.html", context)


def _cache_key(found: Found) -> str:
    return f"track-page:{FRAGMENT_VERSION}:{found.pk}:{found.version}:{get_language()}"


def dossier_part(found: Found) -> SafeString:
    """The page's dossier part (summary and timeline), from the cache when it is there."""
    seconds = settings.TRACKING_CACHE_SECONDS
    if seconds <= 0:
        return mark_safe(_render(found))  # noqa: S308 (our template's output)
    key = _cache_key(found)
    try:
        html = cache.get(key)
    except Exception as exc:  # noqa: BLE001 (the cache server is down: render, do not fail)
        log.warning("tracking: cache unavailable (%s); rendering without it", exc)
        return mark_safe(_render(found))  # noqa: S308 (our template's output)
    if html is None:
        html = _render(found)
        try:
            cache.set(key, html, timeout=seconds)
        except Exception as exc:  # noqa: BLE001
            log.warning("tracking: cache unavailable (%s); part not kept", exc)
    return mark_safe(html)  # noqa: S308 (our template's output, kept as rendered)
