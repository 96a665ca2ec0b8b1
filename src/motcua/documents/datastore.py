"""The personal data store (kho dữ liệu điện tử của tổ chức, cá nhân) and digitisation.

Circular 01/2023/TT-VPCP; Decree 45/2020/NĐ-CP Art. 16: each digitised component keeps its
descriptive metadata (type, number, issuer, issue date, validity, owner identifier) and goes
to the owner's data store with the dossier history and the electronic results; a document in
the store is reused for later dossiers instead of being asked for again, and each reuse is
counted (Decision 766, indicators 4.2–4.4).

Operations, all scoped to one owner (a 12-digit personal identification number or a tax code):

* :func:`digitise_component` — the officer's scan of a paper component at intake;
* :func:`record_upload` — a file the citizen attached to an online dossier;
* :func:`add_result` — a signed (born-digital) result of a dossier;
* :func:`owner_store` / :func:`store_for_officer` — an owner's documents (the latter checks
  the officer's permission and logs the read of personal data);
* :func:`take_from_store` — a stored document used as a component of a new dossier (reuse);
* :func:`intake_counts` — what the ``receive`` event records for the index.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.documents import access, digitisation, storage
from motcua.documents.models import (
    SENSITIVE_KINDS,
    DigitisedDocument,
    DocumentKind,
    DocumentReuse,
    IssuedDocument,
    StoredFile,
)
from motcua.org import permissions
from motcua.org.models import Role

log = logging.getLogger(__name__)

#: Officers read an applicant's store and take documents from it at intake.
USE_AT_INTAKE = "datastore.use"
permissions.register_action(USE_AT_INTAKE, {Role.RECEPTION_OFFICER})

Source = DigitisedDocument.Source


class StoreError(ValueError):
    """A data-store operation refused; ``message`` says why in Vietnamese, ``field`` where."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Metadata:
    """The descriptive metadata of a digitised document (Circular 01/2023)."""

    kind: str
    title: str
    owner_identifier: str
    number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None
    valid_until: dt.date | None = None
    pages: int | None = None
    sensitive: bool = False


def is_sensitive(meta: Metadata) -> bool:
    """ID-card images and files marked sensitive are encrypted at rest."""
    return meta.sensitive or meta.kind in SENSITIVE_KINDS


def _file_pages(stored: StoredFile) -> int:
    return stored.pages or 1  # an image is one page


def check_metadata(meta: Metadata, stored: StoredFile) -> None:
    """Refuse metadata that cannot be right: dates out of order, page count not matching the
    file (the digitised copy has the originals' pages, in order)."""
    if meta.kind not in DocumentKind.values:
        raise StoreError(_("Chọn loại giấy tờ."), field="kind")
    if not meta.owner_identifier:
        raise StoreError(_("Cần ghi số định danh của chủ giấy tờ."), field="owner")
    if meta.issued_on and meta.valid_until and meta.valid_until < meta.issued_on:
        raise StoreError(_("Ngày hết hiệu lực phải sau ngày cấp."), field="valid")
    pages = _file_pages(stored)
    if meta.pages is not None and meta.pages != pages:
        raise StoreError(
            ngettext(
                "Tệp số hóa có %(file)s trang nhưng bản gốc có %(original)s trang: bản số hóa "
                "phải đủ và đúng thứ tự các trang của bản gốc. Hãy quét lại.",
                "Tệp số hóa có %(file)s trang nhưng bản gốc có %(original)s trang: bản số hóa "
                "phải đủ và đúng thứ tự các trang của bản gốc. Hãy quét lại.",
                pages,
            )
            % {"file": pages, "original": meta.pages},
            field="pages",
        )


def encrypt_in_place(stored: StoredFile) -> StoredFile:
    """The same content encrypted at rest (a file kept unencrypted before its kind was known)."""
    if stored.encrypted:
        return stored
    data = storage.read_bytes(stored)
    copy = storage.store_bytes(
        data,
        original_name=stored.original_name,
        content_type=stored.content_type,
        encrypt=True,
        owner_identifier=stored.owner_identifier,
        dossier=stored.dossier,
        uploaded_by=stored.uploaded_by,
        pages=stored.pages,
    )
    transaction.on_commit(lambda: storage.delete_stored_file(stored))
    return copy


def _create(stored, meta: Metadata, *, source, dossier, component, actor, now, issued=None):
    return DigitisedDocument.objects.create(
        stored_file=stored,
        kind=meta.kind,
        title=meta.title[:500],
        number=meta.number.strip()[:100],
        issuer=meta.issuer.strip()[:255],
        issued_on=meta.issued_on,
        valid_until=meta.valid_until,
        owner_identifier=meta.owner_identifier,
        pages=meta.pages or _file_pages(stored),
        source=source,
        dossier=dossier,
        component=component,
        issued_document=issued,
        digitised_by=actor if getattr(actor, "pk", None) else None,
        created_at=now or timezone.now(),
    )


def digitise_component(
    component, stored: StoredFile, meta: Metadata, *, actor, now: dt.datetime | None = None
) -> DigitisedDocument:
    """The officer marks a paper component digitised at intake (counter or post).

    ``component`` is the dossier's ``ReceivedComponent``; ``stored`` the scanned file (kept
    by the officer beforehand, not yet in any dossier). Refuses components the rules exempt
    from digitisation, and metadata that does not match the file. Sensitive files are
    encrypted at rest.

    The scan's row is locked first, so the orphan purge (:mod:`motcua.documents.purge`) can
    neither delete it meanwhile nor have deleted it unnoticed: a scan already purged (kept
    longer than ``ORPHAN_SCAN_HOURS``) is refused with a message asking for a new scan.
    """
    dossier = component.dossier
    permissions.require(actor, "dossier.receive", dossier.receiving_scope())
    if component.spec_id is not None:
        requirement = digitisation.requirement_for(component.spec)
        if digitisation.is_exempt(requirement):
            raise StoreError(
                _("“%(name)s” không số hóa (%(why)s).")
                % {"name": component.name[:80], "why": digitisation.label(requirement)},
                field="file",
            )
    if stored.dossier_id not in (None, dossier.pk):
        raise StoreError(_("Tệp này thuộc hồ sơ khác."), field="file")
    check_metadata(meta, stored)
    with transaction.atomic():
        locked = list(
            StoredFile.objects.select_for_update().filter(pk=stored.pk).values_list("dossier_id")
        )
        if not locked:
            raise StoreError(_("Bản quét đã hết hạn, vui lòng quét lại."), field="file")
        if locked[0][0] not in (None, dossier.pk):
            raise StoreError(_("Tệp này thuộc hồ sơ khác."), field="file")
        if is_sensitive(meta):
            stored = encrypt_in_place(stored)
        StoredFile.objects.filter(pk=stored.pk).update(
            dossier=dossier, owner_identifier=meta.owner_identifier
        )
        stored.dossier, stored.owner_identifier = dossier, meta.owner_identifier
        return _create(
            stored,
            meta,
            source=Source.INTAKE,
            dossier=dossier,
            component=component,
            actor=actor,
            now=now,
        )


def record_upload(stored: StoredFile, component, *, actor, now=None) -> DigitisedDocument:
    """A file the citizen attached online goes to the applicant's store (metadata from the
    component; the officer may complete it later)."""
    name = component.name
    meta = Metadata(
        kind=digitisation.guess_kind(name),
        title=name,
        owner_identifier=component.dossier.applicant_id_number,
    )
    return _create(
        stored,
        meta,
        source=Source.ONLINE,
        dossier=component.dossier,
        component=component,
        actor=actor,
        now=now,
    )


def _pdf_pages(data: bytes) -> int | None:
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(data), strict=False).pages)
    except Exception:  # our own rendering; a count is a nicety, never a reason to fail
        return None


def add_result(
    issued: IssuedDocument, *, pdf_bytes: bytes | None = None, issuer: str = ""
) -> DigitisedDocument | None:
    """Put a signed result into the applicant's data store (Decree 45/2020 Art. 14): it is
    born digital, so it counts as digitised. Idempotent; ``None`` when nothing is stored."""
    dossier = issued.dossier
    if issued.stored_file_id is None or dossier is None or not dossier.applicant_id_number:
        return None
    existing = DigitisedDocument.objects.filter(issued_document=issued).first()
    if existing is not None:
        return existing
    stored = issued.stored_file
    if stored.pages is None and pdf_bytes is not None:
        stored.pages = _pdf_pages(pdf_bytes)
        if stored.pages:
            StoredFile.objects.filter(pk=stored.pk).update(pages=stored.pages)
    meta = Metadata(
        kind=DocumentKind.RESULT,
        title=issued.title,
        owner_identifier=dossier.applicant_id_number,
        number=issued.code,
        issuer=issuer or dossier.competent_agency.name,
        issued_on=timezone.localdate(issued.issued_at),
    )
    return _create(
        stored,
        meta,
        source=Source.RESULT,
        dossier=dossier,
        component=None,
        actor=None,
        now=issued.issued_at,
        issued=issued,
    )


def owner_store(owner_identifiers, *, reusable_on: dt.date | None = None) -> QuerySet:
    """An owner's documents, newest first, with their file and origin (no further query).

    ``reusable_on``: only documents still valid that day (reuse needs valid data).
    """
    ids = [
        i
        for i in ([owner_identifiers] if isinstance(owner_identifiers, str) else owner_identifiers)
        if i
    ]
    documents = (
        DigitisedDocument.objects.filter(owner_identifier__in=ids)
        .select_related("stored_file", "dossier")
        .annotate(reuse_count=Count("reuses"))
        .order_by("-created_at", "-pk")
    )
    if reusable_on is not None:
        documents = documents.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=reusable_on))
    return documents


def store_for_officer(user, owner_identifier: str, scope, *, today: dt.date | None = None):
    """The applicant's reusable documents for an officer at intake in ``scope`` (a
    ``permissions.Scope`` of the receiving unit); each read is logged (personal data)."""
    permissions.require(user, USE_AT_INTAKE, scope)
    log.info("data store of owner ...%s read by user %s", owner_identifier[-4:], user.pk)
    return owner_store(owner_identifier, reusable_on=today or timezone.localdate())


def owners_of(dossier) -> set[str]:
    """Whose documents may fill a dossier: the applicant's, and the representative's."""
    return {i for i in (dossier.applicant_id_number, dossier.representative_id_number) if i}


def take_from_store(
    document: DigitisedDocument,
    component,
    *,
    actor,
    channel: str,
    now: dt.datetime | None = None,
    owners: set[str] | None = None,
) -> DocumentReuse:
    """Use a stored document as ``component`` of a new dossier and record the reuse.

    Owner-scoped: the document must belong to the dossier's applicant or representative (or
    to ``owners`` when given: the signed-in citizen's own numbers online). An officer needs
    ``datastore.use`` at the receiving unit. Expired documents are refused.
    """
    dossier = component.dossier
    allowed = owners if owners is not None else owners_of(dossier)
    if document.owner_identifier not in allowed:
        raise StoreError(_("Giấy tờ đã chọn không có trong kho dữ liệu của người nộp."))
    if channel != "online":
        permissions.require(actor, USE_AT_INTAKE, dossier.receiving_scope())
    now = now or timezone.now()
    if document.valid_until and document.valid_until < timezone.localdate(now):
        raise StoreError(
            _("“%(title)s” đã hết hiệu lực từ ngày %(day)s: cần nộp bản mới.")
            % {"title": document.title[:80], "day": document.valid_until.strftime("%d/%m/%Y")}
        )
    reuse, _created = DocumentReuse.objects.get_or_create(
        dossier=dossier,
        component=component,
        defaults={
            "document": document,
            "channel": channel,
            "at": now,
            "by": actor if getattr(actor, "pk", None) else None,
        },
    )
    return reuse


def intake_counts(dossier) -> dict[str, int]:
    """The components of ``dossier`` held digitally (scanned, uploaded or reused) and those
    reused from a data store: the ``receive`` event's payload (Decision 766, 4.2–4.4)."""
    from motcua.dossiers.models import ReceivedComponent

    counts = ReceivedComponent.objects.filter(dossier=dossier).aggregate(
        digitised=Count(
            "pk",
            filter=Q(digitised_documents__isnull=False) | Q(reuses__isnull=False),
            distinct=True,
        ),
        reused=Count("reuses", distinct=True),
    )
    return {
        "digitised_components": counts["digitised"] or 0,
        "reused_components": counts["reused"] or 0,
    }


@access.download_rule
def owner_may_download(user, stored_file: StoredFile) -> bool:
    """A citizen downloads the documents of their own data store."""
    profile = getattr(user, "citizen_profile", None) if not user.is_staff else None
    if profile is None:
        return False
    ids = citizen_identifiers(profile)
    return stored_file.digitised.filter(owner_identifier__in=ids).exists()


@access.download_rule
def reusing_staff_may_download(user, stored_file: StoredFile) -> bool:
    """Staff who may see a dossier that reused the document may open its file."""
    reuses = DocumentReuse.objects.filter(document__stored_file=stored_file).select_related(
        "dossier__current_agency", "dossier__receiving_agency"
    )
    for reuse in reuses[:20]:
        d = reuse.dossier
        if any(
            permissions.can(user, "dossier.view", s)
            for s in (d.permission_scope(), d.receiving_scope())
        ):
            return True
    return False


def citizen_identifiers(profile) -> list[str]:
    """The owner identifiers of a portal account: the personal number, and for an
    organisation its tax code."""
    ids = [profile.id_number]
    tax_code = getattr(profile, "tax_code", "")
    if tax_code:
        ids.append(tax_code)
    return [i for i in ids if i]
