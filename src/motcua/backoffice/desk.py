"""The reception desk (quầy tiếp nhận): pick a procedure offered by the officer's agency,
tick the components, digitise them or take them from the applicant's data store
(:mod:`motcua.backoffice.digitise`), enter the applicant, give one of the three intake
outcomes. A dossier the post hands over is entered here too, with the handover
(:mod:`motcua.postal.services`, Decision 45/2016/QĐ-TTg).

Thin: the catalogue search is the portal's (``catalog.queries.find_procedures``); the
dossier is created and answered through ``dossiers.services`` in one transaction, so a
double click (same hidden idempotency key) gives one dossier and a failed outcome leaves none.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.backoffice import common, digitise, presenters
from motcua.backoffice.forms import DeskForm, prefilled
from motcua.catalog.models import Channel, Offering, ProcedureVersion
from motcua.catalog.queries import CatalogueFilters, find_procedures
from motcua.documents import datastore
from motcua.dossiers import queries
from motcua.dossiers.clock import limit_for
from motcua.dossiers.errors import DossierError
from motcua.dossiers.lifecycle import State
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import NewDossier, create_dossier, perform
from motcua.org import permissions
from motcua.postal.services import intake_by_post

#: Procedures listed at most under the search box.
RESULTS = 20
#: Stored documents of the applicant offered at most for reuse.
STORE_CHOICES = 50
#: The form printed after each outcome (Mẫu 01, 02, 03).
OUTCOME_FORM = {State.NEEDS_COMPLETION: "02", State.REFUSED: "03"}


def _offering(agency, code: str) -> Offering | None:
    return (
        Offering.objects.select_related("agency", "version__procedure")
        .filter(
            agency=agency,
            version__procedure__code=code,
            version__status=ProcedureVersion.Status.PUBLISHED,
            is_active=True,
        )
        .order_by("-version__number")
        .first()
    )


def _agency(request: HttpRequest):
    agencies = queries.reception_agencies(request.user)
    if not agencies:
        raise PermissionDenied(
            _("Chỉ cán bộ tiếp nhận của bộ phận một cửa mới dùng được quầy tiếp nhận.")
        )
    wanted = request.GET.get("co-quan", "")
    agency = next((a for a in agencies if a.identifier == wanted), agencies[0])
    return agencies, agency


@common.staff_view
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    """Tiếp nhận hồ sơ: search, then the intake form for the chosen procedure."""
    agencies, agency = _agency(request)
    code = request.GET.get("thu-tuc", "").strip()[:40]
    offering = _offering(agency, code) if code else None
    context = {"agencies": agencies, "agency": agency, "active": "desk"}
    if offering is None:
        return _search(request, context, missing=code)
    cases = list(offering.version.cases.prefetch_related("components"))
    value, unit = limit_for(offering.version, Channel.COUNTER, offering)
    context.update(offering=offering, limit=presenters.limit_text(value, unit))
    if request.method == "POST" and "lookup" in request.POST:
        return _lookup(request, cases, context)
    if request.method == "POST":
        store = _applicant_store(request, offering, request.POST.get("applicant_id_number"))
        form = DeskForm(
            cases, request.POST, request.FILES, store=store, user=request.user, now=common.now()
        )
        valid = form.is_valid()
        digitise.keep_scans(form, request.user)  # an error elsewhere never costs a rescan
        if valid:
            try:
                dossier = _intake(request.user, offering, form)
            except DossierError as exc:
                _attach(form, exc)
            except datastore.StoreError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                number = "01" if dossier.code else OUTCOME_FORM.get(dossier.state, "01")
                return redirect("backoffice:print", dossier.display_code, number)
        return _form_page(request, context, form, status=400)
    key = secrets.token_urlsafe(24)
    form = DeskForm(cases, initial={"idempotency_key": key}, now=common.now())
    return _form_page(request, context, form)


def _applicant_store(request: HttpRequest, offering: Offering, number: str | None) -> list:
    """The applicant's reusable documents in their data store, when the officer may use it
    at this agency's one-stop unit (else none)."""
    number = (number or "").replace(" ", "").strip()
    if len(number) < 10 or not number.replace("-", "").isdigit():
        return []
    unit = offering.agency.units.filter(kind="one_stop", is_active=True).first()
    scope = permissions.Scope(offering.agency.path, unit.pk if unit else None)
    if not permissions.can(request.user, datastore.USE_AT_INTAKE, scope):
        return []
    return list(datastore.store_for_officer(request.user, number, scope)[:STORE_CHOICES])


def _form_page(request, context: dict, form: DeskForm, *, status: int = 200) -> HttpResponse:
    context.update(form=form, checklist=form.checklist())
    return common.render_staff(request, "backoffice/desk.html", context, status=status)


def _search(request: HttpRequest, context: dict, *, missing: str) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    results = find_procedures(CatalogueFilters(q=q, agency=context["agency"].identifier))
    context.update(q=q, results=results[:RESULTS], total=results.count(), missing=missing)
    return common.render_staff(request, "backoffice/desk_search.html", context)


def _lookup(request: HttpRequest, cases, context: dict) -> HttpResponse:
    """Fill the blank applicant fields from the applicant's previous dossier in scope, and
    list the applicant's documents in their data store for reuse."""
    number = request.POST.get("applicant_id_number", "")
    previous = queries.previous_applicant(request.user, number)
    store = _applicant_store(request, context["offering"], number)
    form = DeskForm(
        cases,
        initial=prefilled(request.POST, previous),
        store=store,
        user=request.user,
        now=common.now(),
    )
    form.kept = digitise.kept_files(request.user, request.POST)
    context["lookup"] = {"number": number, "previous": previous, "store": len(store)}
    return _form_page(request, context, form)


def _intake(user, offering: Offering, form: DeskForm) -> Dossier:
    """Create the dossier and give the outcome, in one transaction; a dossier the post
    handed over goes through ``postal.services.intake_by_post``, the API's path too."""
    data = form.cleaned_data
    channel = data.get("channel") or Channel.COUNTER
    new = NewDossier(
        offering=offering,
        channel=channel,
        applicant=form.applicant(),
        case_id=data.get("case"),
        components=form.components(),
        result_delivery=data["result_delivery"],
        sets=data["sets"],
    )
    at = common.now()
    outcome, key = data["outcome"], data["idempotency_key"]

    def digitised(dossier: Dossier) -> None:
        if outcome == "receive":  # digitised before the receipt counts them
            digitise.apply(form, dossier, user, now=at)

    if channel == Channel.POSTAL:
        dossier, _created = intake_by_post(
            user,
            new,
            form.postal_handover(),
            idempotency_key=key,
            now=at,
            action=outcome,
            before_answer=digitised,
            **form.outcome_params(),
        )
        return dossier
    with transaction.atomic():
        dossier, created = create_dossier(user, new, idempotency_key=key, now=at)
        if created:  # a repeated key returns the dossier the first click created and answered
            digitised(dossier)
            dossier, _event = perform(
                dossier,
                outcome,
                user,
                now=at,
                expected_version=dossier.version,
                **form.outcome_params(),
            )
    return dossier


def _attach(form: DeskForm, exc: DossierError) -> None:
    """Show a service error next to the field it names, and in the summary."""
    for field, detail in exc.details.items():
        if field in form.fields:
            form.add_error(field, detail if " " in str(detail) else exc.message)
    form.add_error(None, exc.message)
