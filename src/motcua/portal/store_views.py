"""My documents (Tài liệu của tôi): the citizen's personal data store, and its use in online
submission.

The store holds the components digitised at intake, the files attached to online dossiers and
the signed results (Decree 45/2020 Art. 14, 16; Circular 01/2023). The citizen sees only the
documents whose owner identifier is one of their account's own numbers, downloads them
through :func:`download` (any other document is "not found"), and may pick one instead of a
new upload when submitting online; the pick is recorded as a reuse
(:func:`motcua.documents.datastore.take_from_store`).
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.accounts import queries as account_queries
from motcua.documents import crypto, datastore, digitisation, storage
from motcua.documents.models import SENSITIVE_KINDS, DigitisedDocument
from motcua.portal.account_views import citizen_required

log = logging.getLogger(__name__)

T = "portal/store/"
#: Documents listed at most on the page and offered at most in the submission form.
LIMIT = 200


def _identifiers(request: HttpRequest) -> list[str] | None:
    profile = account_queries.profile_of(request.user)
    return datastore.citizen_identifiers(profile) if profile is not None else None


@never_cache
@citizen_required
@require_GET
def my_documents(request: HttpRequest) -> HttpResponse:
    """Tài liệu của tôi: every document of the citizen's data store, with its metadata."""
    ids = _identifiers(request)
    if ids is None:
        return render(request, "portal/account/no_profile.html", status=403)
    documents = list(datastore.owner_store(ids)[:LIMIT])
    today = timezone.localdate()
    rows = [
        {
            "document": doc,
            "expired": bool(doc.valid_until and doc.valid_until < today),
            "dossier_code": doc.dossier.display_code if doc.dossier_id else "",
        }
        for doc in documents
    ]
    return render(request, T + "list.html", {"rows": rows, "limit": LIMIT})


@never_cache
@citizen_required
@require_GET
def download(request: HttpRequest, uid) -> HttpResponse:
    """One document of the citizen's own store; anyone else's is "not found"."""
    ids = _identifiers(request)
    document = (
        DigitisedDocument.objects.select_related("stored_file")
        .filter(uid=uid, owner_identifier__in=ids or [])
        .first()
    )
    if document is None:
        raise Http404(_("Không tìm thấy giấy tờ."))
    stored = document.stored_file
    try:
        data = storage.read_bytes(stored)
    except (storage.StoredFileDamaged, crypto.DecryptionFailed):
        log.exception("stored file %s cannot be read", stored.pk)
        return HttpResponse(
            _("Tệp đang không đọc được. Vui lòng thử lại sau hoặc liên hệ bộ phận một cửa."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    log.info(
        "data-store document %s downloaded by its owner (user %s)", document.pk, request.user.pk
    )
    response = HttpResponse(data, content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(True, stored.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


# ---- online submission: a document from the store instead of a new upload -----------------


def form_context(request: HttpRequest) -> dict:
    """For the submission form: the citizen's reusable documents and the current picks."""
    ids = _identifiers(request) if request.user.is_authenticated else None
    documents = (
        list(datastore.owner_store(ids, reusable_on=timezone.localdate())[:LIMIT]) if ids else []
    )
    picks = {
        f"{key.removeprefix('store_')}:{value}"
        for key, value in request.POST.items()
        if key.startswith("store_") and value
    }
    options = [{"uid": str(doc.uid), "label": _label(doc), "doc": doc} for doc in documents]
    return {"store_documents": options, "store_picks": picks}


def _label(doc: DigitisedDocument) -> str:
    parts = [doc.title[:80]]
    if doc.number:
        parts.append(_("số %(n)s") % {"n": doc.number})
    if doc.issued_on:
        parts.append(doc.issued_on.strftime("%d/%m/%Y"))
    if doc.valid_until:
        parts.append(_("hiệu lực đến %(d)s") % {"d": doc.valid_until.strftime("%d/%m/%Y")})
    return " — ".join(parts)


def picked(request: HttpRequest, case, profile, errors: dict, accepted) -> dict:
    """The store documents chosen for the case's components without a file:
    ``{spec id: (spec, document)}``; a choice that is not the citizen's own valid document
    adds a message to ``errors`` (by spec id)."""
    with_file = {spec.pk for spec, _row in accepted}
    wanted = {
        spec.pk: (spec, request.POST.get(f"store_{spec.pk}", ""))
        for spec in case.components.all()
        if request.POST.get(f"store_{spec.pk}") and spec.pk not in with_file
    }
    if not wanted:
        return {}
    ids = datastore.citizen_identifiers(profile)
    valid = {
        str(doc.uid): doc
        for doc in datastore.owner_store(ids, reusable_on=timezone.localdate()).filter(
            uid__in=[_valid_uuid(uid) for _spec, uid in wanted.values() if _valid_uuid(uid)]
        )
    }
    picks = {}
    for pk, (spec, uid) in wanted.items():
        document = valid.get(uid)
        if document is None:
            errors[pk] = _(
                "Giấy tờ đã chọn không có (hoặc đã hết hiệu lực) trong kho dữ liệu của bạn. "
                "Hãy chọn lại hoặc đính kèm tệp."
            )
            continue
        errors.pop(pk, None)
        picks[pk] = (spec, document)
    return picks


def _valid_uuid(text: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def components(picks: dict) -> tuple:
    """Received-component rows for the picked documents (one electronic original each)."""
    return tuple((spec.pk, spec.name, 1, 0) for spec, _doc in picks.values())


def record(dossier, accepted, picks: dict, user, profile) -> None:
    """After the dossier is made: its uploaded files go to the applicant's store, and each
    pick is recorded as a reuse. Identity documents are encrypted at rest."""
    received = {c.spec_id: c for c in dossier.components.all() if c.spec_id}
    for spec, row in accepted:
        component = received.get(spec.pk)
        if component is None:
            continue
        stored = row.stored_file
        stored.dossier, stored.owner_identifier = dossier, dossier.applicant_id_number
        if digitisation.guess_kind(spec.name) in SENSITIVE_KINDS:
            stored = datastore.encrypt_in_place(stored)
        datastore.record_upload(stored, component, actor=user)
    owners = set(datastore.citizen_identifiers(profile))
    for spec, document in picks.values():
        component = received.get(spec.pk)
        if component is not None:
            datastore.take_from_store(
                document, component, actor=user, channel="online", owners=owners
            )
